import assert from 'node:assert/strict';
import { signTestJwt } from '../_shared/test-jwt.ts';
import { refusalFromPg } from './db.ts';
import { type CourierDb, CourierError, createCourierHandler } from './handler.ts';
import { KNOWN_CODES, message, stepMessage } from './messages.ts';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const COURIER = 'a0000000-0000-4000-8000-000000000005';
const OFFER = 'e6000000-0000-4000-8000-000000000001';

const jwt = (claims: Record<string, unknown>, secret = SECRET) => signTestJwt(claims, secret);

function fakeDb(overrides: Partial<CourierDb> = {}) {
  const calls: Array<[string, ...unknown[]]> = [];
  const db: CourierDb = {
    updatePresence: (_caller, p) => {
      calls.push(['presence', p]);
      return Promise.resolve({ presence: { online: p.online }, stored: true, order_id: null });
    },
    answerOffer: (_caller, id, accept) => {
      calls.push(['answer', id, accept]);
      return Promise.resolve({ offer: { id, status: accept ? 'accepted' : 'declined' } });
    },
    applyOfflineActions: (_caller, actions) => {
      calls.push(['sync', actions]);
      return Promise.resolve(
        actions.map((a) =>
          a.to === 'delivered'
            ? {
                id: a.id,
                job: a.job,
                to: a.to,
                ok: false,
                status: 422,
                code: 'wrong_delivery_code',
                detail: { attempts_left: 3 },
                replayed: false,
              }
            : a.job === 'ride'
              ? {
                  id: a.id,
                  job: a.job,
                  to: a.to,
                  ok: false,
                  status: 409,
                  code: 'illegal_transition',
                  detail: { status: 'completed', to: a.to },
                  replayed: false,
                }
              : { id: a.id, job: a.job, to: a.to, ok: true, status_after: a.to, replayed: false },
        ),
      );
    },
    profileLanguage: () => Promise.resolve(null),
    ...overrides,
  };
  return { db, calls };
}

async function send(db: CourierDb, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const handler = createCourierHandler({ db, jwtSecret: SECRET, log: () => undefined });
  const token = await jwt({ sub: COURIER, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 });
  const res = await handler(
    new Request(`http://x/courier${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, json: await res.json() };
}

Deno.test('stores a presence with a position and answers what the database said', async () => {
  const { db, calls } = fakeDb();
  const r = await send(db, 'POST', '/presence', { online: true, lat: 5.9, lng: -4.82, heading: 90, speed: 4 });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { presence: { online: true }, stored: true, order_id: null });
  assert.deepEqual(calls, [['presence', { online: true, lat: 5.9, lng: -4.82, heading: 90, speed: 4 }]]);
});

Deno.test('refuses to go online without a position, and out-of-range values, with 400 and the fields', async () => {
  const { db, calls } = fakeDb();
  const noPosition = await send(db, 'POST', '/presence', { online: true });
  assert.equal(noPosition.status, 400);
  assert.equal(noPosition.json.error.message, 'Certaines informations de la demande sont invalides.');
  assert.deepEqual(
    noPosition.json.error.details.map((d: { field: string }) => d.field),
    ['lat'],
  );
  const bad = await send(db, 'POST', '/presence', { online: true, lat: 91, lng: -4.8, heading: 360, speed: -1 });
  assert.deepEqual(bad.json.error.details.map((d: { field: string }) => d.field).sort(), ['heading', 'lat', 'speed']);
  assert.equal((await send(db, 'POST', '/presence', '{oops')).json.error.code, 'invalid_json');
  assert.equal(calls.length, 0);
  // Offline needs no position.
  assert.equal((await send(db, 'POST', '/presence', { online: false })).status, 200);
});

Deno.test('accepts and declines an offer by its id', async () => {
  const { db, calls } = fakeDb();
  assert.equal((await send(db, 'POST', `/offers/${OFFER}/accept`)).json.offer.status, 'accepted');
  assert.equal((await send(db, 'POST', `/offers/${OFFER}/decline`)).json.offer.status, 'declined');
  assert.deepEqual(calls, [
    ['answer', OFFER, true],
    ['answer', OFFER, false],
  ]);
});

Deno.test('answers 404 for a malformed offer id or an unknown route, 405 for a GET, 401 without a token', async () => {
  const { db, calls } = fakeDb();
  assert.equal((await send(db, 'POST', '/offers/not-a-uuid/accept')).json.error.code, 'offer_not_found');
  assert.equal((await send(db, 'POST', `/offers/${OFFER}/maybe`)).status, 404);
  assert.equal((await send(db, 'GET', '/presence')).status, 405);
  const handler = createCourierHandler({ db, jwtSecret: SECRET });
  const anon = await handler(new Request('http://x/courier/presence', { method: 'POST', body: '{}' }));
  assert.equal(anon.status, 401);
  assert.equal((await anon.json()).error.message, 'Connectez-vous pour continuer.');
  assert.equal(calls.length, 0);
});

Deno.test('turns refusals into their status, code and message in the caller’s language', async () => {
  const { db } = fakeDb({
    answerOffer: () => Promise.reject(new CourierError(409, 'offer_taken')),
    updatePresence: () => Promise.reject(new CourierError(403, 'courier_not_approved', { approval_status: 'pending' })),
  });
  assert.deepEqual(await send(db, 'POST', `/offers/${OFFER}/accept`), {
    status: 409,
    json: { error: { code: 'offer_taken', message: 'Cette course a déjà été prise par un autre coursier.' } },
  });
  assert.deepEqual(await send(db, 'POST', '/presence', { online: false }, { 'Accept-Language': 'en' }), {
    status: 403,
    json: {
      error: {
        approval_status: 'pending',
        code: 'courier_not_approved',
        message: 'Your courier account is not approved yet.',
      },
    },
  });
});

Deno.test('hides unexpected failures behind a stable 500', async () => {
  const logged: string[] = [];
  const db = fakeDb({
    answerOffer: () => Promise.reject(new Error('connection reset: select private.answer_offer')),
  }).db;
  const handler = createCourierHandler({ db, jwtSecret: SECRET, log: (e) => logged.push(e) });
  const token = await jwt({ sub: COURIER, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 });
  const res = await handler(
    new Request(`http://x/courier/offers/${OFFER}/accept`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    }),
  );
  assert.equal(res.status, 500);
  assert.equal(JSON.stringify(await res.json()).includes('select'), false);
  assert.deepEqual(logged, ['courier: unhandled error']);
});

Deno.test('maps database refusals to their codes', () => {
  const eo = refusalFromPg({ code: 'EO409', message: 'offer_closed', detail: '{"status":"accepted"}' });
  assert.deepEqual([eo?.status, eo?.code, eo?.detail], [409, 'offer_closed', { status: 'accepted' }]);
  const race = refusalFromPg({
    code: '23505',
    message: 'duplicate key value violates unique constraint "offers_one_accepted_per_job"',
  });
  assert.deepEqual([race?.status, race?.code], [409, 'offer_taken']);
  assert.equal(refusalFromPg({ code: '55000', message: 'this offer has expired' })?.code, 'offer_expired');
  assert.equal(refusalFromPg({ code: '08006', message: 'connection failure' }), null);
});

Deno.test('has a French and an English message for every code', () => {
  for (const code of KNOWN_CODES) {
    assert.ok(message(code, 'fr').length > 0 && message(code, 'en').length > 0, code);
    assert.notEqual(message(code, 'fr'), message(code, 'en'), code);
  }
});

const ORDER = 'c0000000-0000-4000-8000-000000000001';
const RIDE = 'c2000000-0000-4000-8000-000000000001';
const step = (n: number, extra: Record<string, unknown>) => ({
  id: `ac000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  job: 'order',
  job_id: ORDER,
  occurred_at: '2026-11-21T10:15:00.000Z',
  lat: 5.9,
  lng: -4.82,
  ...extra,
});

Deno.test('takes a batch of offline steps and answers each outcome, refusals in the caller’s words', async () => {
  const { db, calls } = fakeDb();
  const picked = step(1, { to: 'picked_up' });
  const delivered = step(2, { to: 'delivered', code: '1234' });
  const arrived = step(3, { job: 'ride', job_id: RIDE, to: 'arrived', lat: null, lng: null });
  const r = await send(db, 'POST', '/sync', { actions: [picked, delivered, arrived] });
  assert.equal(r.status, 200);
  assert.deepEqual(
    r.json.results.map((x: { ok: boolean; message?: string }) => [x.ok, x.message]),
    [
      [true, undefined],
      [false, 'Code de livraison incorrect. Encore 3 essais avant le blocage.'],
      [false, 'Impossible : la course est terminée, elle ne peut pas passer à « chauffeur arrivé ».'],
    ],
  );
  assert.deepEqual(calls, [['sync', [picked, delivered, arrived]]]);
});

Deno.test('refuses a malformed batch whole, naming the fields, and applies nothing', async () => {
  const { db, calls } = fakeDb();
  const cases: Array<[unknown, string[]]> = [
    [{ actions: [] }, ['actions']],
    [{ actions: [step(1, { to: 'delivered' })] }, ['actions.0.code']],
    [{ actions: [step(1, { job: 'ride', to: 'picked_up' })] }, ['actions.0.to']],
    [{ actions: [step(1, { to: 'accepted' })] }, ['actions.0.to']],
    [{ actions: [step(1, { job: 'ride', to: 'in_progress' })] }, ['actions.0.pin']],
    [{ actions: [step(1, { to: 'picked_up', occurred_at: 'yesterday' })] }, ['actions.0.occurred_at']],
    [{ actions: [step(1, { to: 'picked_up', lat: null })] }, ['actions.0.lat']],
    [{ actions: [step(1, { to: 'picked_up', id: 'x' })] }, ['actions.0.id']],
    [{ actions: [step(1, { to: 'picked_up' }), step(1, { to: 'delivered', code: '1234' })] }, ['actions.1.id']],
    [{ actions: Array.from({ length: 51 }, (_, i) => step(i, { to: 'picked_up' })) }, ['actions']],
  ];
  for (const [body, fields] of cases) {
    const r = await send(db, 'POST', '/sync', body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 120));
    assert.deepEqual(
      r.json.error.details.map((d: { field: string }) => d.field),
      fields,
      JSON.stringify(body),
    );
  }
  assert.equal((await send(db, 'GET', '/sync')).status, 405);
  assert.equal(calls.length, 0);
});

Deno.test('says why an offline step was refused, per job kind, in both languages', () => {
  assert.equal(
    stepMessage('job_cancelled', 'fr', { status: 'cancelled' }, 'order'),
    'Annulée entre-temps : cette étape n’a pas été enregistrée. Ne remettez rien et contactez le support.',
  );
  assert.equal(
    stepMessage('job_reassigned', 'en', {}, 'ride'),
    'This job was given to another courier meanwhile: this step was not recorded.',
  );
  assert.match(stepMessage('wrong_start_pin', 'fr', { attempts_left: 2 }, 'ride'), /PIN/);
  assert.match(stepMessage('illegal_transition', 'en', { status: 'cancelled', to: 'picked_up' }, 'order'), /order/);
  assert.match(stepMessage('illegal_transition', 'en', { status: 'cancelled', to: 'arrived' }, 'ride'), /ride/);
});
