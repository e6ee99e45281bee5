import assert from 'node:assert/strict';
import { isLocalUrl, SmsError, smsProviderFromEnv } from './index.ts';
import { startFakeServer } from './testing.ts';

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test('uses the dev outbox by default on a local stack', () => {
  const provider = smsProviderFromEnv(
    envOf({ SUPABASE_URL: 'http://127.0.0.1:54321', SUPABASE_SERVICE_ROLE_KEY: 'jwt' }),
  );
  assert.equal(provider.name, 'dev-outbox');
  assert.equal(isLocalUrl('http://host.docker.internal:54321'), true);
  assert.equal(isLocalUrl('https://abc.supabase.co'), false);
});

Deno.test("uses Africa's Talking when asked to", () => {
  const provider = smsProviderFromEnv(
    envOf({
      SUPABASE_URL: 'http://127.0.0.1:54321',
      SMS_PROVIDER: 'africastalking',
      AFRICASTALKING_USERNAME: 'sandbox',
      AFRICASTALKING_API_KEY: 'k',
    }),
  );
  assert.equal(provider.name, 'africastalking');
});

Deno.test('refuses to guess a provider for a deployed project, or an unknown one', () => {
  const isConfig = (e: unknown) => e instanceof SmsError && e.kind === 'config';
  assert.throws(() => smsProviderFromEnv(envOf({ SUPABASE_URL: 'https://abc.supabase.co' })), isConfig);
  assert.throws(
    () => smsProviderFromEnv(envOf({ SUPABASE_URL: 'http://127.0.0.1', SMS_PROVIDER: 'carrier-pigeon' })),
    isConfig,
  );
  assert.throws(() => smsProviderFromEnv(envOf({ SMS_PROVIDER: 'africastalking' })), isConfig);
});

Deno.test('the dev outbox posts the phone and text with the service-role key', async () => {
  const server = startFakeServer(() => Response.json({ id: 42, phone: '+2250700000000' }, { status: 201 }));
  try {
    const provider = smsProviderFromEnv(
      envOf({ SUPABASE_URL: server.url, SMS_PROVIDER: 'dev-outbox', SUPABASE_SERVICE_ROLE_KEY: 'service-jwt' }),
    );
    assert.deepEqual(await provider.send({ to: '+2250700000000', text: 'hello' }), { messageId: '42' });
    const [req] = server.requests;
    assert.equal(req?.path, '/_dev/sms');
    assert.equal(req?.headers.get('authorization'), 'Bearer service-jwt');
    assert.deepEqual(JSON.parse(req?.body ?? ''), { phone: '+2250700000000', body: 'hello' });
  } finally {
    await server.close();
  }
});

Deno.test('the dev outbox reports a refusal', async () => {
  const server = startFakeServer(() => Response.json({ message: 'forbidden' }, { status: 403 }));
  try {
    const provider = smsProviderFromEnv(
      envOf({ SUPABASE_URL: server.url, SMS_PROVIDER: 'dev-outbox', SUPABASE_SERVICE_ROLE_KEY: 'x' }),
    );
    await assert.rejects(
      provider.send({ to: '+2250700000000', text: 'hello' }),
      (e: unknown) => e instanceof SmsError && e.kind === 'http' && e.status === 403,
    );
  } finally {
    await server.close();
  }
});
