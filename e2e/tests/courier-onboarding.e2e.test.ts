// Becoming a courier, then the courier's money, in a real browser against the local stack with its Edge Functions: a
// new number signs in and lands on "Devenir coursier / chauffeur", goes through the steps (a bad field and an expired
// insurance refused in words, a reload in the middle losing nothing), photographs each document (small generated
// PNGs through the file input), sends, and sees "en cours de vérification"; an admin (through the Data API) refuses
// the insurance with a note and the application with a reason, the app shows both and the courier sends the
// insurance again; the admin approves everything and the app opens the duty screen by itself. Then a seeded approved
// courier with a cash delivery made through the APIs asks for a payout (more than the balance refused in words, then
// accepted with its status), pays in his cash by mobile money through the sandbox (confirmed with the PIN on the
// phone) and reads his history. Screenshots: e2e/screenshots/co*.png.
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService, signInByPhone } from '../lib/api.ts';
import {
  approveApplication,
  cashDeliveryBy,
  documentsOf,
  rejectDocument,
  solidPng,
  storedFile,
  storeOpenAndCouriersOffline,
} from '../lib/courier-onboarding-api.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';
import { confirmOnPhone, paymentIntents } from '../lib/wallet-api.ts';

const APPLICANT = '07 00 00 10 41'; // config.toml: courier onboarding numbers 10 41 – 10 60
const CUSTOMER = '+2250700001059';
const ADMIN = '+2250700000120'; // Admin Ecom (seed/040_demo_accounts.sql)
const MERCHANT = '+2250700000111'; // Awa Traoré, owner of the maquis (seed/040_demo_accounts.sql)
// Éric N'Guessan, moto (seed/030). His number ends in 07: the sandbox waits for the PIN typed on the phone (01–05 are
// the sandbox's magic endings, docs/payments.md).
const COURIER = { national: '07 00 00 02 07', msisdn: '2250700000207', id: 'c1000000-0000-4000-8000-000000000207' };
const TANTIE_AWA = { id: '51000000-0000-4000-8000-000000000001', at: { lat: 5.8993, lng: -4.8212 } };
const inYears = (n: number) => `${new Date().getFullYear() + n}-06-30`;

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let applicantId = '';
let admin = '';

const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
const shot = (name: string) => scenario.shot(name);
const appToken = () =>
  page.evaluate(
    () => (JSON.parse(localStorage.getItem('ecom.courier.auth') ?? '{}') as { access_token: string }).access_token,
  );
const userIdOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;

async function signIn(national: string): Promise<void> {
  await page.goto('/sign-in');
  await byTest('phone').fill(national);
  await byTest('send-code').click();
  await byTest('code').pressSequentially('123456');
}

async function next(): Promise<void> {
  await byTest('apply-next').click();
}

async function photograph(testId: string, name: string, rgb: [number, number, number]): Promise<void> {
  await byTest(testId).setInputFiles({ name, mimeType: 'image/png', buffer: solidPng(rgb) });
}

/** One document's screen: its title, then number, expiry (when it has one) and photo. */
async function documentStep(
  title: string,
  doc: { number: string; expires?: string; photo: string; rgb: [number, number, number] },
): Promise<void> {
  await expect.poll(() => byTest('apply-doc-title').textContent()).toBe(title);
  await byTest('apply-doc-number').fill(doc.number);
  if (doc.expires) await byTest('apply-doc-expiry').fill(doc.expires);
  await photograph('apply-doc-photo', doc.photo, doc.rgb);
  await byTest('apply-photo-ready').waitFor();
}

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'courier-onboarding',
    app: 'courier',
    functions: true,
    prepare: async (s) => {
      await storeOpenAndCouriersOffline(s, TANTIE_AWA.id);
      // One delivery's earnings (its fee minus the commission) are under the default 500 FCFA minimum: the pilot's
      // admin lowers it, as payout_settings allows.
      await asService(s, 'payout_settings?id=eq.true', {
        method: 'PATCH',
        body: JSON.stringify({ minimum_xof: 100 }),
      });
    },
  });
  ({ stack, page } = scenario);
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  page.on(
    'console',
    (m) =>
      m.type() === 'error' && !m.text().startsWith('Failed to load resource') && console.log(`[console] ${m.text()}`),
  );
  admin = await signInByPhone(stack, ADMIN);
});

afterAll(() => scenario?.stop());

describe('becoming a courier', () => {
  it('takes a signed-in person who is not a courier to the onboarding', async () => {
    await signIn(APPLICANT);
    await page.waitForURL((u) => u.pathname === '/apply');
    applicantId = userIdOf(await appToken());
    await expect.poll(() => byTest('apply-progress').textContent()).toContain('Étape 1 sur');
    await shot('co01-apply-identity');
  });

  it('refuses a missing name and a moto-taxi without town hall number in words, and keeps what was typed', async () => {
    await next();
    await expect
      .poll(() => byTest('apply-error').textContent())
      .toBe('Écrivez votre nom complet (3 à 80 lettres), comme sur la pièce d’identité.');
    // The same in English when chosen, then back to French.
    await byTest('locale').click();
    await expect.poll(() => byTest('apply-progress').textContent()).toContain('Step 1 of');
    await next();
    await expect
      .poll(() => byTest('apply-error').textContent())
      .toBe('Write your full name (3 to 80 letters), as on your ID card.');
    await byTest('locale').click();
    await expect.poll(() => byTest('apply-progress').textContent()).toContain('Étape 1 sur');
    await byTest('apply-full-name').fill('Abou Koné');
    await byTest('apply-national-id').fill('ci 0012 3456 78');
    await next();
    await byTest('apply-vehicle-moto').click();
    await next();
    await byTest('apply-plate').fill('2471 ts 01');
    await next();
    await expect
      .poll(() => byTest('apply-error').textContent())
      .toBe('Pour un moto-taxi, le numéro d’enregistrement à la mairie est obligatoire.');
    await shot('co02-apply-municipal-required');
    await byTest('apply-municipal').fill('TSL-MT-1041');
    await byTest('apply-vest').fill('241');
    await next();
    await byTest('apply-zone').first().click();
    await next();
    // A reload (or a lost connection) in the middle: the steps and the fields are still there.
    await page.reload();
    await expect.poll(() => byTest('apply-doc-title').textContent()).toBe('Pièce d’identité');
    expect(await byTest('apply-progress').textContent()).toContain('Étape 5 sur 10');
    await byTest('apply-previous').click();
    await byTest('apply-previous').click();
    expect(await byTest('apply-plate').inputValue()).toBe('2471 TS 01');
    expect(await byTest('apply-vest').inputValue()).toBe('241');
    await next();
    await next();
  });

  it('photographs each document, and refuses an expired insurance before sending', async () => {
    // National id: its number is the one typed first.
    await byTest('apply-doc-expiry').fill(inYears(4));
    await next();
    await expect
      .poll(() => byTest('apply-error').textContent())
      .toBe('Pièce d’identité : prenez le document en photo.');
    await photograph('apply-doc-photo', 'cni.png', [200, 120, 40]);
    await byTest('apply-photo-ready').waitFor();
    // Taken again (blurred): only the last shot goes with the application; it is shown, and still there after a reload.
    await photograph('apply-doc-photo', 'cni-2.png', [190, 110, 30]);
    await byTest('apply-photo-ready').waitFor();
    await page.reload();
    await byTest('apply-photo-preview').waitFor();
    expect(await byTest('apply-photo-preview').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(
      0,
    );
    await next();
    await documentStep('Permis de conduire', {
      number: 'PA-2024-1041',
      expires: inYears(5),
      photo: 'permis.png',
      rgb: [40, 90, 200],
    });
    await next();
    await documentStep('Carte grise', { number: 'CG 2471 TS 01', photo: 'carte-grise.png', rgb: [90, 160, 90] });
    await next();
    await documentStep('Assurance', {
      number: 'AS-778899',
      expires: '2020-01-15',
      photo: 'assurance.png',
      rgb: [230, 230, 60],
    });
    await next();
    await expect
      .poll(() => byTest('apply-error').textContent())
      .toBe('Assurance : ce document a expiré le 15 janvier 2020. Envoyez un document en cours de validité.');
    await shot('co03-apply-insurance-expired');
    await byTest('apply-doc-expiry').fill(inYears(1));
    await next();
    await documentStep('Carte municipale (mairie)', {
      number: 'MC-1041',
      expires: inYears(1),
      photo: 'carte-municipale.png',
      rgb: [160, 60, 160],
    });
    await next();
    await expect.poll(() => byTest('apply-summary-doc').count()).toBe(5);
    expect(await byTest('apply-summary-row').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('2471 TS 01'), expect.stringContaining('Moto-taxi')]),
    );
    await shot('co04-apply-summary');
  });

  it('sends the application: courier pending, five documents, "en cours de vérification", photos sent once Storage answers', async () => {
    // Storage does not answer while the application goes: the photos wait on the phone.
    const uploads = '**/storage/v1/object/courier-documents/**';
    await page.route(uploads, (route) => route.abort('internetdisconnected'));
    await byTest('apply-send').click();
    await page.waitForURL((u) => u.pathname === '/status');
    await expect
      .poll(() => byTest('photos-waiting').textContent(), { timeout: 10_000 })
      .toBe('5 photo(s) en attente d’envoi : elles partiront dès que le réseau revient.');
    await shot('co05-status-photos-waiting');
    await page.unroute(uploads);
    await byTest('review-refresh').click();
    await expect.poll(() => byTest('photos-waiting').count(), { timeout: 10_000 }).toBe(0);
    await expect
      .poll(() => byTest('review-state').textContent(), { timeout: 10_000 })
      .toContain('Votre demande est en cours de vérification.');
    const [courier] = (await asService(
      stack,
      `couriers?user_id=eq.${applicantId}&select=approval_status,plate,vest_number,municipal_registration_number`,
    )) as Record<string, string>[];
    expect(courier).toEqual({
      approval_status: 'pending',
      plate: '2471 TS 01',
      vest_number: '241',
      municipal_registration_number: 'TSL-MT-1041',
    });
    const docs = await documentsOf(stack, applicantId);
    expect(docs.map((d) => d.kind).sort()).toEqual([
      'driving_licence',
      'insurance',
      'municipal_card',
      'national_id',
      'vehicle_registration',
    ]);
    for (const d of docs) await expect.poll(() => storedFile(stack, d.storage_path)).toBe(true);
    await expect
      .poll(() => byTest('review-document-status').allTextContents())
      .toEqual(Array(5).fill('En vérification'));
    await shot('co06-status-in-review');
  });

  it('shows the refused insurance with its note and the reason, and sends it again', async () => {
    const insurance = (await documentsOf(stack, applicantId)).find((d) => d.kind === 'insurance')!;
    await rejectDocument(
      stack,
      admin,
      applicantId,
      insurance.id,
      'Photo floue : reprenez-la en pleine lumière.',
      'L’attestation d’assurance est illisible.',
    );
    await expect
      .poll(() => byTest('review-reason').textContent(), { timeout: 20_000 })
      .toContain('Motif : L’attestation d’assurance est illisible.');
    expect(await byTest('review-state').textContent()).toContain('Votre demande a été refusée.');
    expect(await byTest('review-note').textContent()).toContain(
      'Remarque : Photo floue : reprenez-la en pleine lumière.',
    );
    await shot('co07-status-rejected');
    await byTest('resend-insurance').click();
    await byTest('resend-number').fill('AS-778899');
    await byTest('resend-expiry').fill('2021-03-01');
    await photograph('resend-photo', 'assurance-2.png', [250, 250, 250]);
    await byTest('resend-send').click();
    await expect
      .poll(() => byTest('resend-error').textContent())
      .toBe('Ce document a expiré le 1 mars 2021 : envoyez le document renouvelé.');
    await byTest('resend-expiry').fill(inYears(1));
    await byTest('resend-send').click();
    await expect
      .poll(() => page.locator('[data-kind="insurance"] [data-test="review-document-status"]').textContent())
      .toBe('En vérification');
    const resent = (await documentsOf(stack, applicantId)).filter((d) => d.kind === 'insurance');
    expect(resent.map((d) => d.review_status)).toEqual(['pending', 'rejected']);
    await expect.poll(() => storedFile(stack, resent[0]!.storage_path)).toBe(true);
    await shot('co08-status-resent');
  });

  it('opens the duty screen by itself once the admin approves everything', async () => {
    await approveApplication(stack, admin, applicantId);
    await page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 });
    await expect.poll(() => byTest('duty-toggle').textContent(), { timeout: 10_000 }).toContain('Hors ligne');
    await shot('co09-approved-duty');
  });
});

describe('a courier’s money', () => {
  let order = { id: '', total_xof: 0 };
  let wallet = 0;

  it('signs in a seeded courier who just delivered a cash order', async () => {
    await byTest('sign-out').click();
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await signIn(COURIER.national);
    await page.waitForURL((u) => u.pathname === '/');
    order = await cashDeliveryBy(
      stack,
      {
        courierToken: await appToken(),
        courierId: COURIER.id,
        merchantToken: await signInByPhone(stack, MERCHANT),
        customerPhone: CUSTOMER,
      },
      { id: TANTIE_AWA.id, product: 'Jus de bissap', at: TANTIE_AWA.at },
    );
    const [account] = (await asService(
      stack,
      `ledger_accounts?owner_id=eq.${COURIER.id}&kind=eq.courier_wallet&select=balance`,
    )) as { balance: number }[];
    wallet = Number(account?.balance ?? 0);
    expect(wallet).toBeGreaterThan(0);
  });

  it('asks for a payout: more than the balance refused in words, then accepted with its status', async () => {
    await page.goto('/payouts');
    await expect
      .poll(() => byTest('payout-balance').textContent(), { timeout: 10_000 })
      .toBe(`Solde disponible : ${formatXof(wallet)}`);
    expect(await byTest('payout-limits').textContent()).toContain(`Minimum ${formatXof(100)} par retrait`);
    expect(await byTest('payout-phone').inputValue()).toBe('+225 07 00 00 02 07');
    await byTest('payout-amount').fill(String(wallet + 1000));
    await byTest('payout-send').click();
    await expect
      .poll(() => byTest('payout-error').textContent())
      .toBe(`Solde insuffisant : vous avez ${formatXof(wallet)}.`);
    await shot('co10-payout-refused');
    await byTest('payout-all').click();
    await byTest('payout-send').click();
    await expect
      .poll(() => byTest('payout-done').textContent(), { timeout: 15_000 })
      .toBe(`Retrait demandé : ${formatXof(wallet)}.`);
    await expect.poll(() => byTest('payout').count()).toBe(1);
    expect(await byTest('payout-status').first().textContent()).toMatch(
      /Payé|Envoyé, en attente de confirmation|Validé, envoi en cours/,
    );
    await shot('co11-payout-requested');
  });

  it('pays in the cash in hand by mobile money, confirmed on the phone with the PIN', async () => {
    await page.goto('/cash-deposit');
    await expect
      .poll(() => byTest('deposit-owed').textContent(), { timeout: 10_000 })
      .toBe(`Espèces en main à verser : ${formatXof(order.total_xof)}`);
    await byTest('deposit-amount').fill(String(order.total_xof + 500));
    await byTest('deposit-send').click();
    await expect
      .poll(() => byTest('deposit-error').textContent())
      .toBe(`Vous pouvez verser au plus ${formatXof(order.total_xof)} (les espèces que vous avez en main).`);
    await byTest('deposit-amount').fill(String(order.total_xof));
    await byTest('deposit-send').click();
    await expect
      .poll(() => byTest('deposit-state').textContent(), { timeout: 15_000 })
      .toContain('Confirmez sur votre téléphone');
    await shot('co12-deposit-confirm');
    const [intent] = await paymentIntents(stack, COURIER.id);
    expect(intent).toMatchObject({ status: 'pending', amount_xof: order.total_xof });
    await confirmOnPhone(stack, COURIER.msisdn, intent!.id);
    await expect
      .poll(async () => (await paymentIntents(stack, COURIER.id))[0], { timeout: 30_000 })
      .toMatchObject({ status: 'succeeded' });
    await expect
      .poll(() => byTest('deposit-done').textContent(), { timeout: 30_000 })
      .toBe(`Versement reçu : ${formatXof(order.total_xof)}. Merci !`);
    await expect.poll(() => byTest('deposit-owed').textContent()).toBe('Vous n’avez pas d’espèces à verser.');
    await shot('co13-deposit-done');
  });

  it('lists the past jobs with the route, what the wallet got, the payment', async () => {
    await page.goto('/history');
    const job = page.locator(`[data-test="history-job"][data-kind="order"]`).first();
    await job.waitFor({ timeout: 10_000 });
    expect(await job.locator('[data-test="history-route"]').textContent()).toBe(
      'Maquis Chez Tantie Awa → Derrière le marché, maison au portail rouge',
    );
    expect(await job.locator('[data-test="history-net"]').textContent()).toBe(`Reçu ${formatXof(wallet)}`);
    expect(await job.textContent()).toContain('Espèces');
    await shot('co14-history');
  });
});
