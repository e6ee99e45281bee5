import assert from 'node:assert/strict';
import { smsProviderFromEnv } from './index.ts';
import { SmsError } from './provider.ts';
import { startFakeServer } from './testing.ts';
import { createTwilioProvider } from './twilio.ts';

const MESSAGE = { to: '+2250700000000', text: 'Commande acceptée : en préparation' };
const SID = 'AC00000000000000000000000000000001';

async function failure(promise: Promise<unknown>): Promise<SmsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SmsError, `unexpected error ${error}`);
    return error;
  }
  assert.fail('expected a failure');
}

const created = () =>
  Response.json({ sid: 'SM0123', status: 'queued', to: MESSAGE.to, account_sid: SID }, { status: 201 });

Deno.test('Twilio: form POST to Messages.json with Basic auth, returns the message sid', async () => {
  const server = startFakeServer(created);
  try {
    const twilio = createTwilioProvider({ accountSid: SID, authToken: 'secret', from: 'ECOM', baseUrl: server.url });
    assert.deepEqual(await twilio.send(MESSAGE), { messageId: 'SM0123' });
    const [req] = server.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.equal(req?.headers.get('authorization'), `Basic ${btoa(`${SID}:secret`)}`);
    assert.equal(req?.headers.get('content-type'), 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(req?.body);
    assert.equal(form.get('To'), MESSAGE.to);
    assert.equal(form.get('From'), 'ECOM');
    assert.equal(form.get('Body'), MESSAGE.text);
  } finally {
    await server.close();
  }
});

Deno.test('Twilio: 400 (21211 invalid To) is a refusal, 5xx and 429 are HTTP errors, a hang times out', async () => {
  let release = () => {};
  const hung = new Promise<void>((r) => (release = r));
  const answers: (() => Response | Promise<Response>)[] = [
    () =>
      Response.json(
        { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 },
        { status: 400 },
      ),
    () => Response.json({ code: 20500, message: 'Internal Server Error', status: 500 }, { status: 500 }),
    () => Response.json({ code: 20429, message: 'Too Many Requests', status: 429 }, { status: 429 }),
    async () => {
      await hung;
      return created();
    },
  ];
  let i = 0;
  const server = startFakeServer(() => answers[i++]!());
  try {
    const twilio = createTwilioProvider({
      accountSid: SID,
      authToken: 's',
      messagingServiceSid: 'MG1',
      baseUrl: server.url,
      timeoutMs: 150,
    });
    const first = await failure(twilio.send(MESSAGE));
    assert.equal(first.kind, 'rejected');
    assert.match(first.message, /21211/);
    assert.equal((await failure(twilio.send(MESSAGE))).kind, 'http');
    assert.equal((await failure(twilio.send(MESSAGE))).kind, 'http');
    assert.equal((await failure(twilio.send(MESSAGE))).kind, 'timeout');
    assert.equal(new URLSearchParams(server.requests[0]?.body).get('MessagingServiceSid'), 'MG1');
  } finally {
    release();
    await server.close();
  }
});

Deno.test('Twilio: SMS_PROVIDER=twilio picks it, missing settings are a config error', () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  const p = smsProviderFromEnv(
    env({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' }),
  );
  assert.equal(p.name, 'twilio');
  assert.throws(
    () => smsProviderFromEnv(env({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't' })),
    (e: unknown) => e instanceof SmsError && e.kind === 'config',
  );
});
