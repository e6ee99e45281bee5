import assert from 'node:assert/strict';
import { signTestJwt } from '../_shared/test-jwt.ts';
import { refusalFromPg } from './db.ts';
import { type CourierDb, CourierError, createCourierHandler } from './handler.ts';
import { KNOWN_CODES, message } from './messages.ts';

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
