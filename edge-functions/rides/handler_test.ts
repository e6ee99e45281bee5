import assert from 'node:assert/strict';
import { signTestJwt } from '../_shared/test-jwt.ts';
import { refusalFromPg } from './db.ts';
import { createRidesHandler, type RidesDb, RidesError } from './handler.ts';
import { KNOWN_CODES, message } from './messages.ts';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const RIDER = 'a0000000-0000-4000-8000-000000000001';
const RIDE = 'e5000000-0000-4000-8000-000000000001';

const jwt = (claims: Record<string, unknown>, secret = SECRET) => signTestJwt(claims, secret);

function fakeDb(overrides: Partial<RidesDb> = {}) {
  const calls: Array<[string, ...unknown[]]> = [];
  const db: RidesDb = {
    quote: (_c, q) => {
      calls.push(['quote', q]);
      return Promise.resolve({ fare_xof: 350 });
    },
    requestRide: (_c, r, hash) => {
      calls.push(['request', r, hash]);
      return Promise.resolve({ ride: { id: RIDE, status: 'requested' }, start_pin: '1234' });
    },
    moveRide: (_c, id, m) => {
      calls.push(['move', id, m]);
      return Promise.resolve({ ride: { id, status: m.to }, previous_status: 'requested' });
    },
    reassignRide: (_c, id, r) => {
      calls.push(['reassign', id, r]);
      return Promise.resolve({ ride: { id, status: 'requested' }, previous_courier_id: null, offer: null });
    },
    getRide: () => Promise.resolve(null),
    profileLanguage: () => Promise.resolve(null),
    ...overrides,
  };
  return { db, calls };
}

async function send(db: RidesDb, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const handler = createRidesHandler({ db, jwtSecret: SECRET, log: () => undefined });
  const token = await jwt({ sub: RIDER, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 });
  const res = await handler(
    new Request(`http://x/rides${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, headers: res.headers, json: await res.json() };
}

const trip = {
  pickup: { lat: 5.8983, lng: -4.8228, landmark: 'Pharmacie du marché' },
  dropoff: { lat: 5.9083, lng: -4.8228, landmark: 'Gare routière' },
  vehicle_type: 'moto',
};

Deno.test('quotes without an idempotency key and answers { quote }', async () => {
  const { db, calls } = fakeDb();
  const r = await send(db, 'POST', '/quote', { ...trip, fare_xof: 1 });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { quote: { fare_xof: 350 } });
  assert.deepEqual(calls[0], ['quote', trip]); // the fare sent is dropped
});

Deno.test('requests a ride with a key (201), drops any fare sent, hashes the same request the same', async () => {
  const { db, calls } = fakeDb();
  const a = await send(db, 'POST', '', { ...trip, fare_quote_xof: 1 }, { 'Idempotency-Key': 'key-12345678' });
  const b = await send(db, 'POST', '', trip, { 'Idempotency-Key': 'key-12345678' });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  const [, first, hashA] = calls[0] as [string, Record<string, unknown>, string];
  const [, , hashB] = calls[1] as [string, unknown, string];
  assert.equal(first.fare_quote_xof, undefined);
  assert.equal(first.payment_method, 'cash');
  assert.equal(first.idempotency_key, 'key-12345678');
  assert.equal(hashA, hashB);
});

Deno.test('refuses a request without an Idempotency-Key, bad JSON, a bad body (400)', async () => {
  const { db, calls } = fakeDb();
  let r = await send(db, 'POST', '', trip);
  assert.deepEqual([r.status, r.json.error.code], [400, 'idempotency_key_required']);
  r = await send(db, 'POST', '', '{', { 'Idempotency-Key': 'key-12345678' });
  assert.deepEqual([r.status, r.json.error.code], [400, 'invalid_json']);
  r = await send(db, 'POST', '', { ...trip, pickup: { lat: 99, lng: 0 } }, { 'Idempotency-Key': 'key-12345678' });
  assert.deepEqual([r.status, r.json.error.code], [400, 'validation_failed']);
  assert.ok(r.json.error.details.some((d: { field: string }) => d.field === 'pickup.lat'));
  assert.equal(calls.length, 0);
});

Deno.test('transition: needs the PIN to start, takes a pin only to start, passes the move on', async () => {
  const { db, calls } = fakeDb();
  let r = await send(db, 'POST', `/${RIDE}/transition`, { to: 'in_progress' });
  assert.deepEqual([r.status, r.json.error.code], [400, 'validation_failed']);
  r = await send(db, 'POST', `/${RIDE}/transition`, { to: 'arrived', pin: '1234' });
  assert.deepEqual([r.status, r.json.error.code], [400, 'validation_failed']);
  r = await send(db, 'POST', `/${RIDE}/transition`, { to: 'expired' });
  assert.deepEqual([r.status, r.json.error.code], [400, 'validation_failed']);
  r = await send(db, 'POST', `/${RIDE}/transition`, { to: 'in_progress', pin: '1234' });
  assert.equal(r.status, 200);
  assert.deepEqual(calls, [['move', RIDE, { to: 'in_progress', pin: '1234' }]]);
});

Deno.test('maps refusals to the envelope in the caller language; routes and methods', async () => {
  const { db } = fakeDb({
    moveRide: () => Promise.reject(new RidesError(409, 'illegal_transition', { status: 'accepted', to: 'completed' })),
  });
  let r = await send(db, 'POST', `/${RIDE}/transition`, { to: 'completed' }, { 'Accept-Language': 'en' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.message, 'Not possible: the ride is accepted and cannot move to "completed".');
  assert.equal(r.json.error.status, 'accepted');
  r = await send(db, 'GET', `/${RIDE}`);
  assert.deepEqual([r.status, r.json.error.code, r.json.error.message], [404, 'ride_not_found', 'Course introuvable.']);
  r = await send(db, 'POST', '/not-a-uuid/transition', { to: 'arrived' });
  assert.deepEqual([r.status, r.json.error.code], [404, 'ride_not_found']);
  r = await send(db, 'GET', '/quote');
  assert.equal(r.status, 405);
  r = await send(db, 'POST', `/${RIDE}/rate`, {});
  assert.deepEqual([r.status, r.json.error.code], [404, 'not_found']);
});

Deno.test('reassigns a ride with a reason; a locked PIN is a 429 with Retry-After', async () => {
  const { db, calls } = fakeDb({
    moveRide: () => Promise.reject(new RidesError(429, 'code_locked', { retry_after_s: 61 })),
  });
  let r = await send(db, 'POST', `/${RIDE}/reassign`, { reason: 'Chauffeur injoignable' });
  assert.equal(r.status, 200);
  assert.deepEqual(calls, [['reassign', RIDE, { reason: 'Chauffeur injoignable' }]]);
  r = await send(db, 'POST', `/${RIDE}/reassign`, { reason: '' });
  assert.deepEqual([r.status, r.json.error.details[0].field], [400, 'reason']);
  r = await send(db, 'POST', `/${RIDE}/transition`, { to: 'in_progress', pin: '1234' }, { 'Accept-Language': 'en' });
  assert.deepEqual(
    [r.status, r.headers.get('retry-after'), r.json.error.message],
    [429, '61', "Too many wrong PINs: starting this ride is locked. Try again in 2 min with the rider's PIN."],
  );
  assert.equal(
    message('wrong_start_pin', 'fr', { attempts_left: 4 }),
    'Code PIN de départ incorrect. Encore 4 essais avant le blocage.',
  );
});

Deno.test('401 without a signed-in caller', async () => {
  const handler = createRidesHandler({ db: fakeDb().db, jwtSecret: SECRET, log: () => undefined });
  const res = await handler(new Request('http://x/rides/quote', { method: 'POST', body: '{}' }));
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, 'unauthorized');
});

Deno.test('maps Postgres errors to refusals', () => {
  const eo = refusalFromPg({ code: 'EO422', message: 'same_place', detail: '{}' });
  assert.deepEqual([eo?.status, eo?.code], [422, 'same_place']);
  const pin = refusalFromPg({ code: '23514', message: 'wrong start PIN' });
  assert.deepEqual([pin?.status, pin?.code], [422, 'wrong_start_pin']);
  const illegal = refusalFromPg({ code: '55000', message: 'illegal transition from completed to cancelled' });
  assert.deepEqual([illegal?.status, illegal?.detail], [409, { status: 'completed', to: 'cancelled' }]);
  assert.equal(refusalFromPg({ code: '42P01', message: 'x' }), null);
});

Deno.test('every code has a French and an English message', () => {
  for (const code of KNOWN_CODES) {
    assert.ok(message(code, 'fr').length > 0 && message(code, 'en').length > 0, code);
  }
  assert.equal(
    message('outside_zone', 'fr', { place: 'dropoff' }),
    "Le point d'arrivée est en dehors de la zone desservie.",
  );
});
