// The whole platform in one scenario file: the people (a customer on the client app, the maquis owner on the
// merchant app, couriers on the courier app, the admin on the admin dashboard), what they do on their screens, and what
// the scenarios read behind the screens (the ledger as the admin sees it through PostgREST, the ledger invariants
// and the order clock over SQL, as the scheduler reaches them).
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { asService } from './api.ts';

export const TANTIE_AWA = { id: '51000000-0000-4000-8000-000000000001', slug: 'maquis-chez-tantie-awa' };
/** Awa Traoré, owner of the maquis (seed/040_demo_accounts.sql). */
export const MERCHANT = { national: '07 00 00 01 11' };
/** The seeded admin (seed/040_demo_accounts.sql), on the admin dashboard. */
export const ADMIN = { national: '07 00 00 01 20' };
/** Seeded moto couriers with no seeded job (seed/030_tiassale_couriers.sql). */
export const COURIER_A = { national: '07 00 00 02 05', id: 'c1000000-0000-4000-8000-000000000205' }; // Jean-Marc Yao
export const COURIER_B = { national: '07 00 00 02 06', id: 'c1000000-0000-4000-8000-000000000206' }; // Moussa Coulibaly
/** The seed's delivery being prepared without a courier: the dispatch clock would offer it to our couriers. */
export const SEED_WAITING_ORDER = 'c3d40004-0000-4000-8000-000000000004';

/**
 * A customer test number of this suite (+225 07 00 00 11 NN, config.toml [auth.sms.test_otp]). The scenarios use
 * 11…15: the sandbox provider treats payers ending in 01…05 as magic numbers (docs/payments.md).
 */
export const customerNumber = (n: number) => {
  const nn = String(n).padStart(2, '0');
  return { national: `07 00 00 11 ${nn}`, msisdn: `22507000011${nn}`, phone: `+22507000011${nn}` };
};

/** Text with every kind of space made a plain one (formatXof and the screens may use no-break spaces). */
export const plain = (s: string | null | undefined): string => (s ?? '').replace(/\s/g, ' ').trim();

export const byTest = (page: Page, id: string) => page.locator(`[data-test="${id}"]`);

/** Signs a seeded staff member in on the merchant or courier app and waits for their home. */
export async function staffSignIn(page: Page, national: string, home: (u: URL) => boolean): Promise<void> {
  await page.goto('/sign-in');
  await byTest(page, 'phone').fill(national);
  await byTest(page, 'send-code').click();
  await byTest(page, 'code').pressSequentially('123456');
  await page.waitForURL(home);
}

/** Text with all runs of white space made one plain space (text spread over several elements and lines). */
export const squash = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** The access token an app keeps for its signed-in person (`ecom.<app>.auth` in localStorage). */
export const storedToken = (page: Page, app: 'client' | 'merchant' | 'courier' | 'admin') =>
  page.evaluate(
    (key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { access_token?: string }).access_token ?? '',
    `ecom.${app}.auth`,
  );

/**
 * On the admin dashboard: the orders page searched by the number the customer gives on the phone; waits for the
 * order's row, which must be the only one and show `status`.
 */
export async function adminFindsOrder(page: Page, national: string, orderId: string, status: string): Promise<void> {
  await page.locator('[data-test="nav-nav.orders"]').click();
  await byTest(page, 'orders').waitFor();
  await byTest(page, 'filter-phone').fill(national);
  await byTest(page, 'search').click();
  // The unfiltered list shows first: wait for the search's answer, this order alone.
  const rows = byTest(page, 'orders').locator('tbody tr');
  const row = byTest(page, `order-${orderId}`);
  const deadline = Date.now() + 15_000;
  while (!((await rows.count()) === 1 && (await row.count()) === 1)) {
    if (Date.now() > deadline) throw new Error(`the search by ${national} did not show order ${orderId} alone`);
    await page.waitForTimeout(200);
  }
  if (!squash(await row.textContent()).includes(status)) throw new Error(`the order is not shown ${status}`);
}

/** The admin's words for the ledger accounts (apps/admin/src/i18n/fr.json, ledger.account). */
const ADMIN_ACCOUNTS: Record<string, string> = {
  'Portefeuille client': 'customer_wallet',
  'Réserve client': 'customer_hold',
  'Portefeuille boutique': 'merchant_wallet',
  'Gains coursier': 'courier_wallet',
  'Espèces du coursier': 'courier_cash',
  'Revenus Ecom': 'platform_revenue',
};

export interface ShownPostings {
  /** The entry kinds shown (data-test posting-<kind>), in order. */
  kinds: () => string[];
  /** The sum of the amounts shown for an account kind. */
  sum: (account: string) => number;
  /** The "balance after" shown on the newest posting of an account kind (entries are listed oldest first). */
  lastBalance: (account: string) => number;
}

/** The ledger entries on the admin's order page, read from the screen: entry kind, account, amount, balance after. */
export async function adminPostings(page: Page): Promise<ShownPostings> {
  await byTest(page, 'ledger').waitFor();
  const rows = await page.locator('[data-test="ledger"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const tds = Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '');
      return {
        kind: (tr.getAttribute('data-test') ?? '').replace(/^posting-/, ''),
        account: tds[tds.length - 3] ?? '',
        amount: tds[tds.length - 2] ?? '',
        after: tds[tds.length - 1] ?? '',
      };
    }),
  );
  const amount = (text: string) => (/[-−]/.test(text) ? -1 : 1) * Number(text.replace(/\D/g, ''));
  const parsed = rows.map((r) => {
    const label = squash(r.account.split('·')[0]);
    const account = ADMIN_ACCOUNTS[label];
    if (!account) throw new Error(`unknown account on the admin's screen: ${label}`);
    return { kind: r.kind, account, amount: amount(r.amount), after: amount(r.after) };
  });
  return {
    kinds: () => parsed.map((p) => p.kind),
    sum: (account) => parsed.filter((p) => p.account === account).reduce((s, p) => s + p.amount, 0),
    lastBalance: (account) => {
      const last = parsed.filter((p) => p.account === account).at(-1);
      if (!last) throw new Error(`no posting on ${account}`);
      return last.after;
    },
  };
}

/** The signed-in person's id as an app keeps it (`ecom.<app>.auth` in localStorage). */
export const signedInId = (page: Page, app: 'client' | 'merchant' | 'courier') =>
  page.evaluate(
    (key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { user?: { id: string } }).user?.id ?? '',
    `ecom.${app}.auth`,
  );

/**
 * The customer's order on the client app: Attiéké poisson braisé (Capitaine) from the maquis, a delivery address
 * made with "Ma position" and a landmark (a new customer has none), then cash with a 5 000 FCFA note or the wallet.
 * Stops on the checkout with everything chosen; returns the total the checkout shows.
 */
export async function checkoutAtTantieAwa(
  page: Page,
  pay: { method: 'cash'; tendered: 5000 } | { method: 'wallet' },
  landmark: string,
): Promise<number> {
  await page.goto(`/stores/${TANTIE_AWA.slug}`);
  await byTest(page, 'product-row').filter({ hasText: 'Attiéké poisson braisé' }).click();
  await byTest(page, 'sheet').getByText('Capitaine').click();
  await byTest(page, 'add-to-cart').click();
  await byTest(page, 'sheet').waitFor({ state: 'detached' });
  await page.goto('/tabs/cart');
  await byTest(page, 'order').click();
  await byTest(page, 'checkout').waitFor();
  await byTest(page, 'address-form').waitFor();
  await byTest(page, 'address-form').getByRole('button', { name: 'Ma position' }).click();
  await byTest(page, 'address-coords').waitFor();
  await byTest(page, 'address-landmark').fill(landmark);
  await byTest(page, 'address-save').click();
  await byTest(page, 'address-option').waitFor();
  await byTest(page, 'address-form').waitFor({ state: 'detached' });
  if (pay.method === 'cash') {
    await byTest(page, 'pay-cash').click();
    await byTest(page, `cash-${pay.tendered}`).click();
  } else {
    await byTest(page, 'pay-wallet').click();
    await byTest(page, 'wallet').waitFor();
  }
  const total = Number((await byTest(page, 'total-total').textContent())!.replace(/\D/g, ''));
  if (!(total > 0)) throw new Error('the checkout shows no total');
  return total;
}

/** Places the order chosen on the checkout and waits for its tracking page; returns the order id. */
export async function placeFromCheckout(page: Page): Promise<string> {
  await byTest(page, 'place-order').click();
  await page.waitForURL('**/orders/*');
  await byTest(page, 'tracking').waitFor();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** A GET through PostgREST as the token's person (RLS applies: the admin sees every ledger account). */
export async function readAs(stack: Stack, token: string, path: string): Promise<unknown> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/${path}`, {
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

export interface LedgerView {
  /** Balance of an account (0 when it has never moved). */
  balance: (kind: string, ownerId: string) => number;
}

/** Every ledger account of the given owners, read as the admin through the API. */
export async function ledgerAsAdmin(stack: Stack, adminToken: string, owners: string[]): Promise<LedgerView> {
  const rows = (await readAs(
    stack,
    adminToken,
    `ledger_accounts?select=kind,owner_id,balance&owner_id=in.(${owners.join(',')})`,
  )) as { kind: string; owner_id: string; balance: number }[];
  return {
    balance: (kind, ownerId) =>
      rows.filter((r) => r.kind === kind && r.owner_id === ownerId).reduce((s, r) => s + Number(r.balance), 0),
  };
}

/** The postings of an order's ledger entries, per account kind, read as the admin through the API. */
export async function orderPostingsAsAdmin(
  stack: Stack,
  adminToken: string,
  orderId: string,
): Promise<Record<string, number>> {
  const entries = (await readAs(
    stack,
    adminToken,
    `ledger_entries?select=kind,ledger_postings(amount,ledger_accounts(kind))&order_id=eq.${orderId}`,
  )) as { kind: string; ledger_postings: { amount: number; ledger_accounts: { kind: string } }[] }[];
  const byKind: Record<string, number> = {};
  for (const e of entries)
    for (const p of e.ledger_postings)
      byKind[p.ledger_accounts.kind] = (byKind[p.ledger_accounts.kind] ?? 0) + Number(p.amount);
  return byKind;
}

/** One SQL statement on the stack's database as its owner (what pg_cron and the ledger checks run as). */
export async function sql<T>(stack: Stack, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** private.ledger_violations(): the ledger invariants broken (none when all is well). */
export const ledgerViolations = (stack: Stack) =>
  sql<{ violation: string; subject: string | null; detail: unknown }>(
    stack,
    'select * from private.ledger_violations()',
  );

/**
 * The order clock as the scheduler calls it (private.run_order_timeouts, every 30 s), with the merchant's answer
 * window shortened to this order's age instead of 10 minutes: the order (and any pending order older than it) is
 * timed out now rather than after 10 real minutes. Returns the clock's counts.
 */
export async function runOrderClockFor(stack: Stack, orderId: string): Promise<{ cancelled: number }> {
  const [row] = await sql<{ result: { cancelled: number } }>(
    stack,
    `select private.run_order_timeouts(now() - (select created_at from public.orders where id = $1)) as result`,
    [orderId],
  );
  return row!.result;
}

/**
 * Staging for the accept race: the order's offer re-issued to a second courier while the first one still holds
 * theirs (as a dispatcher re-sending a job whose answer it thinks lost would). Inserted as the database owner, with
 * dispatch's 20 seconds; the offer trigger tells the courier's phone as for any offer.
 */
export async function reissueOffer(stack: Stack, orderId: string, courierId: string): Promise<string> {
  const [row] = await sql<{ id: string }>(
    stack,
    `insert into public.offers (job_kind, order_id, courier_id, distance_m, expires_at)
     values ('order', $1, $2, 400, now() + interval '20 seconds') returning id`,
    [orderId, courierId],
  );
  return row!.id;
}

/** Offers of a job with their courier and status (service role). */
export const offersOf = async (stack: Stack, orderId: string) =>
  (await asService(stack, `offers?select=id,courier_id,status&order_id=eq.${orderId}&order=created_at`)) as {
    id: string;
    courier_id: string;
    status: string;
  }[];

/** The first 8 characters of an id in capitals, as the apps show an order's reference. */
export const shortRef = (id: string) => id.slice(0, 8).toUpperCase();
