import assert from 'node:assert/strict';
import { createAfricasTalkingProvider } from './africastalking.ts';
import { SmsError } from './provider.ts';
import { startFakeServer } from './testing.ts';

const MESSAGE = { to: '+2250700000000', text: 'Votre code Ecom : 123456. Ne le partagez avec personne.' };

function atAnswer(statusCode: number, status: string): Response {
  return Response.json(
    {
      SMSMessageData: {
        Message: 'Sent to 1/1 Total Cost: XOF 25',
        Recipients: [{ statusCode, number: '+2250700000000', status, cost: 'XOF 25', messageId: 'ATXid_1' }],
      },
    },
    { status: 201 },
  );
}

async function failure(promise: Promise<unknown>): Promise<SmsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SmsError, `unexpected error ${error}`);
    return error;
  }
  assert.fail('expected a failure');
}

Deno.test("posts the form Africa's Talking expects and returns its message id", async () => {
  const server = startFakeServer(() => atAnswer(101, 'Success'));
  try {
    const provider = createAfricasTalkingProvider({
      username: 'ecom',
      apiKey: 'at-key',
      senderId: 'ECOM',
      baseUrl: server.url,
    });
    assert.deepEqual(await provider.send(MESSAGE), { messageId: 'ATXid_1' });
    const [req] = server.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, '/version1/messaging');
    assert.equal(req?.headers.get('apikey'), 'at-key');
    assert.equal(req?.headers.get('accept'), 'application/json');
    assert.equal(req?.headers.get('content-type'), 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(req?.body);
    assert.equal(form.get('username'), 'ecom');
    assert.equal(form.get('to'), '+2250700000000');
    assert.equal(form.get('message'), MESSAGE.text);
    assert.equal(form.get('from'), 'ECOM');
  } finally {
    await server.close();
  }
});

Deno.test('treats statusCode 100 (Processed) as accepted and omits from without a sender id', async () => {
  const server = startFakeServer(() => atAnswer(100, 'Processed'));
  try {
    const provider = createAfricasTalkingProvider({ username: 'ecom', apiKey: 'k', baseUrl: server.url });
    assert.deepEqual(await provider.send(MESSAGE), { messageId: 'ATXid_1' });
    assert.equal(new URLSearchParams(server.requests[0]?.body).has('from'), false);
  } finally {
    await server.close();
  }
});

Deno.test('reports a rejected recipient (403 InvalidPhoneNumber) as rejected', async () => {
  const server = startFakeServer(() => atAnswer(403, 'InvalidPhoneNumber'));
  try {
    const provider = createAfricasTalkingProvider({ username: 'ecom', apiKey: 'k', baseUrl: server.url });
    const error = await failure(provider.send(MESSAGE));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /403 InvalidPhoneNumber/);
  } finally {
    await server.close();
  }
});

Deno.test('reports an empty recipient list as rejected', async () => {
  const server = startFakeServer(() =>
    Response.json({ SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } }),
  );
  try {
    const provider = createAfricasTalkingProvider({ username: 'ecom', apiKey: 'k', baseUrl: server.url });
    assert.equal((await failure(provider.send(MESSAGE))).kind, 'rejected');
  } finally {
    await server.close();
  }
});

Deno.test('reports an HTTP 500 from the gateway', async () => {
  const server = startFakeServer(() => new Response('Internal Server Error', { status: 500 }));
  try {
    const provider = createAfricasTalkingProvider({ username: 'ecom', apiKey: 'k', baseUrl: server.url });
    const error = await failure(provider.send(MESSAGE));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 500);
  } finally {
    await server.close();
  }
});

Deno.test('reports a 200 with a body that is not JSON', async () => {
  const server = startFakeServer(() => new Response('<html>maintenance</html>', { status: 200 }));
  try {
    const provider = createAfricasTalkingProvider({ username: 'ecom', apiKey: 'k', baseUrl: server.url });
    assert.equal((await failure(provider.send(MESSAGE))).kind, 'http');
  } finally {
    await server.close();
  }
});

Deno.test('gives up after its deadline when the gateway hangs', async () => {
  let release = () => {};
  const hung = new Promise<void>((resolve) => (release = resolve));
  const server = startFakeServer(async () => {
    await hung;
    return atAnswer(101, 'Success');
  });
  try {
    const provider = createAfricasTalkingProvider({
      username: 'ecom',
      apiKey: 'k',
      baseUrl: server.url,
      timeoutMs: 150,
    });
    const started = Date.now();
    const error = await failure(provider.send(MESSAGE));
    assert.equal(error.kind, 'timeout');
    assert.ok(Date.now() - started < 1000, 'the deadline is honoured');
  } finally {
    release();
    await server.close();
  }
});

Deno.test('reports a refused connection as a network error', async () => {
  const server = startFakeServer(() => atAnswer(101, 'Success'));
  const url = server.url;
  await server.close();
  const provider = createAfricasTalkingProvider({ username: 'ecom', apiKey: 'k', baseUrl: url });
  assert.equal((await failure(provider.send(MESSAGE))).kind, 'network');
});

Deno.test('refuses to start without credentials', () => {
  assert.throws(
    () => createAfricasTalkingProvider({ username: '', apiKey: 'k' }),
    (e: unknown) => e instanceof SmsError && e.kind === 'config',
  );
});
