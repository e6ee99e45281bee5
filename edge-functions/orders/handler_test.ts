import assert from 'node:assert/strict';
import { signTestJwt } from '../_shared/test-jwt.ts';
import { refusalFromPg } from './db.ts';
import { requestHash } from '../_shared/request.ts';
import { type Caller, createOrdersHandler, type OrdersDb, OrdersError } from './handler.ts';
import { formatXof, KNOWN_CODES, languageFromHeader, message } from './messages.ts';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const USER = 'a0000000-0000-4000-8000-000000000001';
const STORE = 'd0000000-0000-4000-8000-000000000001';
const PRODUCT = 'd2000000-0000-4000-8000-000000000001';
const ORDER = 'e3000000-0000-4000-8000-000000000001';

const jwt = (claims: Record<string, unknown>, secret = SECRET) => signTestJwt(claims, secret);
const userToken = () => jwt({ sub: USER, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 });

interface Calls {
  place: Array<{ caller: Caller; request: Record<string, unknown>; hash: string }>;
  move: Array<{ orderId: string; move: Record<string, unknown> }>;
  reassign: Array<{ orderId: string; request: Record<string, unknown> }>;
  refund: Array<{ orderId: string; refund: Record<string, unknown>; hash: string }>;
}

function fakeDb(overrides: Partial<OrdersDb> = {}, language: 'fr' | 'en' | null = null) {
  const calls: Calls = { place: [], move: [], reassign: [], refund: [] };
  const db: OrdersDb = {
    placeOrder: (caller, request, hash) => {
      calls.place.push({ caller, request, hash });
      return Promise.resolve({ order: { id: ORDER, status: 'pending' } });
    },
    moveOrder: (_caller, orderId, move) => {
      calls.move.push({ orderId, move });
      return Promise.resolve({ order: { id: orderId, status: move.to }, previous_status: 'pending' });
    },
    reassignOrder: (_caller, orderId, request) => {
      calls.reassign.push({ orderId, request });
      return Promise.resolve({ order: { id: orderId }, previous_courier_id: null, offer: null });
    },
    refundOrder: (_caller, orderId, refund, hash) => {
      calls.refund.push({ orderId, refund, hash });
      return Promise.resolve({ refund: { order_id: orderId, amount_xof: refund.amount_xof } });
    },
    getOrder: (_caller, orderId) => Promise.resolve(orderId === ORDER ? { id: ORDER } : null),
    profileLanguage: () => Promise.resolve(language),
    ...overrides,
  };
  return { db, calls };
}

const order = {
  store_id: STORE,
  items: [{ product_id: PRODUCT, quantity: 2 }],
  fulfilment: 'pickup',
  payment_method: 'cash',
};

async function send(
  handler: (req: Request) => Promise<Response>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const token = await userToken();
  const res = await handler(
    new Request(`http://x/orders${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': 'key-12345678', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return { res, json: await res.json() };
}

Deno.test('places an order: 201, CORS, the verified caller, prices from the client dropped', async () => {
  const { db, calls } = fakeDb();
  const handler = createOrdersHandler({ db, jwtSecret: SECRET });
  const { res, json } = await send(handler, 'POST', '', {
    ...order,
    items: [{ product_id: PRODUCT, quantity: 2, unit_price_xof: 1 }],
    total_xof: 1,
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(json, { order: { id: ORDER, status: 'pending' } });
  assert.equal(calls.place[0]!.caller.userId, USER);
  assert.deepEqual(calls.place[0]!.request, {
    ...order,
    items: [{ product_id: PRODUCT, quantity: 2, option_ids: [] }],
    idempotency_key: 'key-12345678',
  });
  assert.match(calls.place[0]!.hash, /^[0-9a-f]{64}$/);
});

Deno.test('hashes requests that mean the same thing the same way', async () => {
  assert.equal(await requestHash({ a: 1, b: [1, { c: 2, d: null }] }), await requestHash({ b: [1, { c: 2 }], a: 1 }));
  assert.notEqual(await requestHash({ a: 1 }), await requestHash({ a: 2 }));
});

Deno.test('refuses bad bodies with 400 and field details, in French by default', async () => {
  const handler = createOrdersHandler({ db: fakeDb().db });
  const { res, json } = await send(handler, 'POST', '', {
    ...order,
    fulfilment: 'delivery',
    items: [{ product_id: 'nope', quantity: 0 }],
    cash_tendered_xof: 1.5,
  });
  assert.equal(res.status, 400);
  assert.equal(json.error.code, 'validation_failed');
  assert.equal(json.error.message, 'Certaines informations de la demande sont invalides.');
  const fields = json.error.details.map((d: { field: string }) => d.field).sort();
  assert.deepEqual(fields, ['address_id', 'cash_tendered_xof', 'items.0.product_id', 'items.0.quantity']);

  const noKey = await send(handler, 'POST', '', order, { 'Idempotency-Key': '' });
  assert.equal(noKey.json.error.code, 'idempotency_key_required');
  const notJson = await send(handler, 'POST', '', '{', { 'Accept-Language': 'en' });
  assert.deepEqual(notJson.json, {
    error: { code: 'invalid_json', message: 'The request body must be a JSON object.' },
  });
  const noReason = await send(handler, 'POST', `/${ORDER}/transition`, { to: 'cancelled' });
  assert.equal(noReason.res.status, 400);
  assert.equal(noReason.json.error.details[0].field, 'reason');
  const noCode = await send(handler, 'POST', `/${ORDER}/transition`, { to: 'delivered' });
  assert.equal(noCode.json.error.details[0].field, 'code');
});

Deno.test('401 for a missing, anonymous, expired or forged token', async () => {
  const handler = createOrdersHandler({ db: fakeDb().db, jwtSecret: SECRET });
  const now = Math.floor(Date.now() / 1000);
  const tokens = [
    '',
    'Bearer not-a-jwt',
    `Bearer ${await jwt({ role: 'anon', exp: now + 60 })}`,
    `Bearer ${await jwt({ sub: USER, role: 'authenticated', exp: now - 1 })}`,
    `Bearer ${await jwt({ sub: USER, role: 'authenticated', exp: now + 60 }, 'another-secret-another-secret-another')}`,
  ];
  for (const authorization of tokens) {
    const res = await handler(new Request('http://x/orders', { method: 'POST', headers: { authorization } }));
    assert.equal(res.status, 401, authorization);
    assert.deepEqual(await res.json(), {
      error: { code: 'unauthorized', message: 'Connectez-vous pour continuer.' },
    });
  }
});

Deno.test('moves and reads orders; unknown routes, bad ids and methods', async () => {
  const { db, calls } = fakeDb();
  const handler = createOrdersHandler({ db });
  const moved = await send(handler, 'POST', `/${ORDER}/transition`, { to: 'accepted', prep_minutes: 15 });
  assert.equal(moved.res.status, 200);
  assert.deepEqual(calls.move[0], { orderId: ORDER, move: { to: 'accepted', prep_minutes: 15 } });
  assert.deepEqual((await send(handler, 'GET', `/${ORDER}`)).json, { order: { id: ORDER } });
  const other = await send(handler, 'GET', '/e3000000-0000-4000-8000-0000000000ff');
  assert.deepEqual(other.json, { error: { code: 'order_not_found', message: 'Commande introuvable.' } });
  assert.equal((await send(handler, 'GET', '/not-a-uuid')).res.status, 404);
  assert.equal((await send(handler, 'GET', `/${ORDER}/items`)).json.error.code, 'not_found');
  const wrong = await send(handler, 'DELETE', `/${ORDER}`);
  assert.equal(wrong.res.status, 405);
  assert.equal(wrong.res.headers.get('allow'), 'GET, POST, OPTIONS');
  const pre = await handler(new Request('http://x/orders', { method: 'OPTIONS' }));
  assert.equal(pre.status, 200);
  assert.ok(pre.headers.get('access-control-allow-headers')?.includes('idempotency-key'));
});

Deno.test('refunds are for admins, with a key, an amount and a reason', async () => {
  const { db, calls } = fakeDb();
  const handler = createOrdersHandler({ db });
  const refund = { amount_xof: 500, reason: 'Plat froid' };
  const customer = await send(handler, 'POST', `/${ORDER}/refund`, refund);
  assert.equal(customer.res.status, 403);
  assert.deepEqual(customer.json, {
    error: { code: 'admin_only', message: 'Seul un administrateur peut faire cela.' },
  });
  const adminToken = await jwt({
    sub: USER,
    role: 'authenticated',
    exp: Math.floor(Date.now() / 1000) + 600,
    user_roles: ['admin', 'customer'],
  });
  const asAdmin = (body: unknown, key = 'refund-key-0001') =>
    handler(
      new Request(`http://x/orders/${ORDER}/refund`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Idempotency-Key': key },
        body: JSON.stringify(body),
      }),
    );
  const ok = await asAdmin(refund);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { refund: { order_id: ORDER, amount_xof: 500 } });
  assert.deepEqual(calls.refund[0]!.refund, { ...refund, idempotency_key: 'refund-key-0001' });
  assert.equal(calls.refund[0]!.hash, await requestHash({ order_id: ORDER, ...refund }));
  assert.equal((await asAdmin(refund, 'short')).status, 400);
  const invalid = await asAdmin({ amount_xof: 0, reason: '' });
  assert.equal(invalid.status, 400);
  assert.equal((await invalid.json()).error.code, 'validation_failed');
  assert.equal(calls.refund.length, 1);
});

Deno.test('database refusals keep their status and details; messages follow the language', async () => {
  const refuse = (e: OrdersError) => () => Promise.reject(e);
  const { db } = fakeDb(
    { moveOrder: refuse(new OrdersError(409, 'illegal_transition', { status: 'delivered', to: 'cancelled' })) },
    'en',
  );
  const handler = createOrdersHandler({ db });
  const fromProfile = await send(handler, 'POST', `/${ORDER}/transition`, { to: 'cancelled', reason: 'x' });
  assert.equal(fromProfile.res.status, 409);
  assert.deepEqual(fromProfile.json, {
    error: {
      code: 'illegal_transition',
      status: 'delivered',
      to: 'cancelled',
      message: 'Not possible: the order is delivered and cannot move to "cancelled".',
    },
  });
  const fromHeader = await send(
    handler,
    'POST',
    `/${ORDER}/transition`,
    { to: 'cancelled', reason: 'x' },
    {
      'Accept-Language': 'fr-CI,fr;q=0.9',
    },
  );
  assert.equal(
    fromHeader.json.error.message,
    'Impossible : la commande est livrée, elle ne peut pas passer à « annulée ».',
  );
});

Deno.test('reassigns: a reason is required, courier_id is a uuid or absent, POST only', async () => {
  const { db, calls } = fakeDb();
  const handler = createOrdersHandler({ db });
  const courier = 'c9100000-0000-4000-8000-000000000001';
  const ok = await send(handler, 'POST', `/${ORDER}/reassign`, { reason: ' Moto en panne ', courier_id: courier });
  assert.equal(ok.res.status, 200);
  assert.deepEqual(calls.reassign, [{ orderId: ORDER, request: { reason: 'Moto en panne', courier_id: courier } }]);
  const noReason = await send(handler, 'POST', `/${ORDER}/reassign`, { courier_id: courier });
  assert.deepEqual([noReason.res.status, noReason.json.error.details[0].field], [400, 'reason']);
  const badCourier = await send(handler, 'POST', `/${ORDER}/reassign`, { reason: 'x', courier_id: 'moussa' });
  assert.deepEqual([badCourier.res.status, badCourier.json.error.details[0].field], [400, 'courier_id']);
  assert.equal((await send(handler, 'GET', `/${ORDER}/reassign`)).res.status, 405);
  assert.equal(calls.reassign.length, 1);
});

Deno.test('a locked code is a 429 with Retry-After; a wrong one says how many tries are left', async () => {
  const locked = new OrdersError(429, 'code_locked', { locked_until: '2026-11-21T16:10:00Z', retry_after_s: 540 });
  const { db } = fakeDb({ moveOrder: () => Promise.reject(locked) });
  const r = await send(createOrdersHandler({ db }), 'POST', `/${ORDER}/transition`, { to: 'delivered', code: '1234' });
  assert.equal(r.res.status, 429);
  assert.equal(r.res.headers.get('retry-after'), '540');
  assert.equal(
    r.json.error.message,
    'Trop de codes incorrects : la remise de cette commande est bloquée. Réessayez dans 9 min avec le code du client.',
  );
  assert.equal(
    message('wrong_delivery_code', 'fr', { attempts_left: 2 }),
    'Code de livraison incorrect. Encore 2 essais avant le blocage.',
  );
  assert.equal(
    message('wrong_delivery_code', 'en', { attempts_left: 1 }),
    'Wrong delivery code. 1 more try before it locks.',
  );
  assert.equal(message('courier_unavailable', 'fr', { reason: 'offline' }), "Ce coursier n'est pas en ligne.");
});

Deno.test('an unexpected failure is a stable 500, logged, never echoed', async () => {
  const logged: unknown[] = [];
  const { db } = fakeDb({ placeOrder: () => Promise.reject(new Error('relation "orders" does not exist')) });
  const handler = createOrdersHandler({ db, log: (event, fields) => logged.push([event, fields]) });
  const { res, json } = await send(handler, 'POST', '', order);
  assert.equal(res.status, 500);
  assert.deepEqual(json, {
    error: { code: 'internal_error', message: 'Une erreur est survenue. Réessayez dans un instant.' },
  });
  assert.equal(logged.length, 1);
  const noDb = await send(createOrdersHandler({ db: undefined, log: () => undefined }), 'POST', '', order);
  assert.equal(noDb.res.status, 503);
});

Deno.test('maps Postgres errors to refusals', () => {
  const m = (e: Record<string, unknown>) => {
    const r = refusalFromPg(e);
    return r && { status: r.status, code: r.code, detail: r.detail };
  };
  assert.deepEqual(m({ code: 'EO422', message: 'store_busy', detail: '{"busy_until":"2026-11-21T12:00:00+00:00"}' }), {
    status: 422,
    code: 'store_busy',
    detail: { busy_until: '2026-11-21T12:00:00+00:00' },
  });
  assert.deepEqual(m({ code: '55000', message: 'illegal transition from picked_up to cancelled for customer' }), {
    status: 409,
    code: 'illegal_transition',
    detail: { status: 'picked_up', to: 'cancelled' },
  });
  assert.equal(m({ code: '23514', message: 'wrong delivery code' })?.status, 422);
  assert.equal(m({ code: '42501', message: 'only an admin can do this' })?.status, 403);
  assert.equal(m({ code: '40P01', message: 'deadlock detected' }), null);
});

Deno.test('every message exists in French and English; money and languages read as people expect', () => {
  for (const code of KNOWN_CODES) {
    for (const lang of ['fr', 'en'] as const) assert.ok(message(code, lang, { name: 'Garba' }).length > 3, code);
  }
  assert.equal(formatXof(1500), '1 500 FCFA');
  assert.equal(formatXof(1250000), '1 250 000 FCFA');
  assert.equal(languageFromHeader('en-US,en;q=0.9,fr;q=0.8'), 'en');
  assert.equal(languageFromHeader('de, fr;q=0.5'), 'fr');
  assert.equal(languageFromHeader('fr;q=0, en;q=0.1'), 'en');
  assert.equal(languageFromHeader('de'), null);
});
