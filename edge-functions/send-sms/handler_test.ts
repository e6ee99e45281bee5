import assert from 'node:assert/strict';
import { createAfricasTalkingProvider } from '../_shared/sms/africastalking.ts';
import { SmsError, type SmsMessage, type SmsProvider } from '../_shared/sms/provider.ts';
import { startFakeServer } from '../_shared/sms/testing.ts';
import { signedHeaders } from '../_shared/standard-webhooks.ts';
import { createSendSmsHandler, MemoryDedupe, parseCountryCodes } from './handler.ts';

const SECRET = 'v1,whsec_' + btoa('send-sms-hook-test-secret-0123456789');
const COUNTRIES = ['225', '228'];
const OLD_SECRET = 'v1,whsec_' + btoa('the-secret-before-the-last-rotation');

function fakeProvider(
  behaviour: (m: SmsMessage) => Promise<{ messageId: string }> = () => Promise.resolve({ messageId: 'm1' }),
) {
  const sent: SmsMessage[] = [];
  const provider: SmsProvider = {
    name: 'fake',
    send(message) {
      sent.push(message);
      return behaviour(message);
    },
  };
  return { provider, sent };
}

function hookBody(otp = '123456', phone = '2250700000000'): string {
  return JSON.stringify({
    metadata: { uuid: crypto.randomUUID(), time: new Date().toISOString(), name: 'send-sms', ip_address: '127.0.0.1' },
    user: { id: crypto.randomUUID(), aud: 'authenticated', role: 'authenticated', phone },
    sms: { otp, phone },
  });
}

async function hookRequest(
  body: string,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): Promise<Request> {
  const headers = await signedHeaders(options.secret ?? SECRET, body, options);
  return new Request('http://localhost/send-sms', {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body,
  });
}

const logs: string[] = [];
const log = (event: string, fields?: Record<string, unknown>) => logs.push(JSON.stringify({ event, ...fields }));

Deno.test('sends the French code text to the number with a + and answers 200 {} as JSON', async () => {
  const { provider, sent } = fakeProvider();
  const handler = createSendSmsHandler({ allowedCountryCodes: COUNTRIES, secrets: [SECRET], provider, log });
  const res = await handler(await hookRequest(hookBody('654321', '2250700000009')));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(await res.json(), {});
  assert.deepEqual(sent, [{ to: '+2250700000009', text: 'Votre code Ecom : 654321. Ne le partagez avec personne.' }]);
});

Deno.test('never writes the code to the logs', async () => {
  logs.length = 0;
  const failing = fakeProvider(() => Promise.reject(new SmsError('rejected', 'fake', 'no route')));
  await createSendSmsHandler({
    allowedCountryCodes: COUNTRIES,
    secrets: [SECRET],
    provider: fakeProvider().provider,
    log,
  })(await hookRequest(hookBody('918273')));
  await createSendSmsHandler({ allowedCountryCodes: COUNTRIES, secrets: [SECRET], provider: failing.provider, log })(
    await hookRequest(hookBody('918273')),
  );
  assert.ok(logs.length >= 2);
  assert.ok(
    logs.every((line) => !line.includes('918273')),
    logs.join('\n'),
  );
});

Deno.test('accepts a call signed with any of the configured secrets (rotation)', async () => {
  const { provider, sent } = fakeProvider();
  const handler = createSendSmsHandler({
    allowedCountryCodes: COUNTRIES,
    secrets: [SECRET, OLD_SECRET],
    provider,
    log,
  });
  assert.equal((await handler(await hookRequest(hookBody(), { secret: OLD_SECRET }))).status, 200);
  assert.equal(sent.length, 1);
});

Deno.test('refuses a bad signature with 401 before reading the body', async () => {
  const { provider, sent } = fakeProvider();
  const handler = createSendSmsHandler({ allowedCountryCodes: COUNTRIES, secrets: [SECRET], provider, log });
  const wrongSecret = await handler(await hookRequest(hookBody(), { secret: OLD_SECRET }));
  assert.equal(wrongSecret.status, 401);
  assert.equal(wrongSecret.headers.get('content-type'), 'application/json');
  assert.deepEqual(await wrongSecret.json(), { error: { http_code: 401, message: 'Invalid webhook signature' } });

  const signed = await hookRequest(hookBody());
  const tampered = new Request(signed.url, { method: 'POST', headers: signed.headers, body: hookBody('000000') });
  assert.equal((await handler(tampered)).status, 401);

  const unsigned = new Request('http://localhost/send-sms', { method: 'POST', body: hookBody() });
  assert.equal((await handler(unsigned)).status, 401);

  const stale = await handler(await hookRequest(hookBody(), { timestamp: Math.floor(Date.now() / 1000) - 600 }));
  assert.equal(stale.status, 401);
  assert.equal(sent.length, 0);
});

Deno.test('refuses a signed payload without a usable code or number with 400', async () => {
  const { provider, sent } = fakeProvider();
  const handler = createSendSmsHandler({ allowedCountryCodes: COUNTRIES, secrets: [SECRET], provider, log });
  for (const body of [
    'not json',
    '{}',
    JSON.stringify({ sms: { otp: '12ab', phone: '2250700000000' } }),
    JSON.stringify({ sms: { otp: '123456', phone: '+0' } }),
  ]) {
    const res = await handler(await hookRequest(body));
    assert.equal(res.status, 400, body);
    assert.equal(((await res.json()) as { error: { http_code: number } }).error.http_code, 400);
  }
  assert.equal(sent.length, 0);
});

Deno.test('refuses methods other than POST', async () => {
  const handler = createSendSmsHandler({
    allowedCountryCodes: COUNTRIES,
    secrets: [SECRET],
    provider: fakeProvider().provider,
    log,
  });
  assert.equal((await handler(new Request('http://localhost/send-sms'))).status, 405);
});

Deno.test('sends once per webhook-id when Auth retries, also concurrently', async () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { provider, sent } = fakeProvider(async () => {
    await gate;
    return { messageId: 'm1' };
  });
  const handler = createSendSmsHandler({ allowedCountryCodes: COUNTRIES, secrets: [SECRET], provider, log });
  const body = hookBody();
  const first = handler(await hookRequest(body, { id: 'retry-1' }));
  const concurrent = handler(await hookRequest(body, { id: 'retry-1' }));
  release();
  assert.equal((await first).status, 200);
  assert.equal((await concurrent).status, 200);
  const later = await handler(await hookRequest(body, { id: 'retry-1' }));
  assert.equal(later.status, 200);
  assert.equal(sent.length, 1);
  await handler(await hookRequest(body, { id: 'another-id' }));
  assert.equal(sent.length, 2);
});

Deno.test('lets a retry send again after a failed attempt, and forgets ids after the TTL', async () => {
  let fail = true;
  const { provider, sent } = fakeProvider(() =>
    fail ? Promise.reject(new SmsError('http', 'fake', 'down')) : Promise.resolve({ messageId: 'm' }),
  );
  let clock = Date.now();
  const handler = createSendSmsHandler({
    allowedCountryCodes: COUNTRIES,
    secrets: [SECRET],
    provider,
    log,
    dedupe: new MemoryDedupe({ ttlMs: 1000, now: () => clock }),
  });
  const body = hookBody();
  assert.equal((await handler(await hookRequest(body, { id: 'x' }))).status, 500);
  fail = false;
  assert.equal((await handler(await hookRequest(body, { id: 'x' }))).status, 200);
  assert.equal((await handler(await hookRequest(body, { id: 'x' }))).status, 200);
  assert.equal(sent.length, 2);
  clock += 1001;
  assert.equal((await handler(await hookRequest(body, { id: 'x' }))).status, 200);
  assert.equal(sent.length, 3);
});

// Through a local fake of Africa's Talking, as in production.
async function withFakeAfricasTalking(
  respond: () => Response | Promise<Response>,
  run: (handler: (req: Request) => Promise<Response>, requests: { body: string }[]) => Promise<void>,
) {
  const server = startFakeServer(respond);
  try {
    const provider = createAfricasTalkingProvider({
      username: 'ecom',
      apiKey: 'k',
      baseUrl: server.url,
      timeoutMs: 300,
    });
    await run(
      createSendSmsHandler({ allowedCountryCodes: COUNTRIES, secrets: [SECRET], provider, log }),
      server.requests,
    );
  } finally {
    await server.close();
  }
}

const atAccepted = () =>
  Response.json(
    {
      SMSMessageData: {
        Message: 'Sent to 1/1',
        Recipients: [{ statusCode: 101, status: 'Success', number: '+2250700000000', messageId: 'ATX1' }],
      },
    },
    { status: 201 },
  );

Deno.test("Africa's Talking: an accepted message answers 200 {}", async () => {
  await withFakeAfricasTalking(atAccepted, async (handler, requests) => {
    const res = await handler(await hookRequest(hookBody('135790')));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
    const form = new URLSearchParams(requests[0]?.body);
    assert.equal(form.get('to'), '+2250700000000');
    assert.equal(form.get('message'), 'Votre code Ecom : 135790. Ne le partagez avec personne.');
  });
});

Deno.test("Africa's Talking: a rejected recipient makes Auth report a failure", async () => {
  const rejected = () =>
    Response.json(
      {
        SMSMessageData: {
          Message: 'Sent to 0/1',
          Recipients: [{ statusCode: 407, status: 'CouldNotRoute', number: '+2250700000000' }],
        },
      },
      { status: 201 },
    );
  await withFakeAfricasTalking(rejected, async (handler) => {
    const res = await handler(await hookRequest(hookBody()));
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: { http_code: 500, message: 'SMS could not be sent' } });
  });
});

Deno.test("Africa's Talking: an HTTP 500 makes Auth report a failure", async () => {
  await withFakeAfricasTalking(
    () => new Response('oops', { status: 500 }),
    async (handler) => {
      const res = await handler(await hookRequest(hookBody()));
      assert.equal(res.status, 500);
      assert.equal(((await res.json()) as { error: { http_code: number } }).error.http_code, 500);
    },
  );
});

Deno.test("Africa's Talking: a hung gateway is cut off well inside Auth's 5 s budget", async () => {
  let release = () => {};
  const hung = new Promise<void>((resolve) => (release = resolve));
  await withFakeAfricasTalking(
    async () => {
      await hung;
      return atAccepted();
    },
    async (handler) => {
      const started = Date.now();
      const res = await handler(await hookRequest(hookBody()));
      release();
      assert.ok(Date.now() - started < 2000);
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), { error: { http_code: 500, message: 'SMS gateway did not answer in time' } });
    },
  );
});

Deno.test('refuses a number outside the allowed countries with 400 and sends nothing', async () => {
  const { provider, sent } = fakeProvider();
  const handler = createSendSmsHandler({ allowedCountryCodes: COUNTRIES, secrets: [SECRET], provider, log });
  for (const phone of ['33612345678', '2348012345678', '2290197000000']) {
    const res = await handler(await hookRequest(hookBody('123456', phone)));
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: { http_code: 400, message: 'Phone number country is not supported' } });
  }
  assert.deepEqual(sent, []);
  const togo = await handler(await hookRequest(hookBody('123456', '22890000001')));
  assert.equal(togo.status, 200);
  assert.equal(sent.length, 1);
});

Deno.test('reads the allowed countries from SMS_ALLOWED_COUNTRY_CODES, CI and Togo by default', () => {
  assert.deepEqual(parseCountryCodes(undefined), ['225', '228']);
  assert.deepEqual(parseCountryCodes(' +225, 228 ,221'), ['225', '228', '221']);
  assert.throws(() => parseCountryCodes('225,abc'), /not a calling code/);
});
