// Edge Functions through the whole local stack, as an app and as Supabase Auth reach them: unmodified supabase-js
// `functions.invoke()` and plain fetch against the gateway. The second block starts the runner directly on
// throw-away functions to pin the platform behaviours our own functions do not exercise (call shapes, boot errors,
// streaming, the wall-clock limit, the environment).
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startFunctionsService, type FunctionsService } from '../src/functions/index.ts';
import { DEV_SEND_SMS_HOOK_SECRET, signJwt } from '../src/keys.ts';
import { newClient, stack, uniquePhone } from './stack.ts';

const TEST_OTP_PHONE = '+2250700000001';
const hookSecret = (process.env.SEND_SMS_HOOK_SECRETS || DEV_SEND_SMS_HOOK_SECRET).split('|')[0]!.trim();

/** Standard Webhooks headers as Supabase Auth sends them. */
function signHook(body: string, secret = hookSecret, id: string = randomUUID()): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  const key = Buffer.from(secret.replace(/^v1,/, '').replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
    'content-type': 'application/json',
  };
}

const hookBody = (phone: string, otp: string) =>
  JSON.stringify({
    metadata: { uuid: randomUUID(), time: new Date().toISOString(), name: 'send-sms', ip_address: '127.0.0.1' },
    user: { id: randomUUID(), aud: 'authenticated', role: 'authenticated', phone: phone.slice(1) },
    sms: { otp, phone: phone.slice(1) },
  });

async function outbox(phone: string): Promise<{ body: string; source: string }[]> {
  const res = await fetch(`${stack().apiUrl}/_dev/sms?phone=${encodeURIComponent(phone)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: { body: string; source: string }[] }).messages;
}

async function httpError(
  promise: Promise<{ data: unknown; error: unknown }>,
): Promise<{ status: number; body: string }> {
  const { data, error } = await promise;
  expect(data).toBeNull();
  expect(error).toBeInstanceOf(FunctionsHttpError);
  const response = (error as FunctionsHttpError).context as Response;
  return { status: response.status, body: await response.text() };
}

describe('edge functions through the stack', () => {
  const fnUrl = (name: string) => `${stack().apiUrl}/functions/v1/${name}`;

  it('runs health for the anon key without a session', async () => {
    const { data, error } = await newClient().functions.invoke('health');
    expect(error).toBeNull();
    expect(data).toEqual({ status: 'ok', role: 'anon', user_id: null });
  });

  it('runs health as the signed-in user', async () => {
    const client = newClient();
    expect((await client.auth.signInWithOtp({ phone: TEST_OTP_PHONE })).error).toBeNull();
    const { data: verified, error: verifyError } = await client.auth.verifyOtp({
      phone: TEST_OTP_PHONE,
      token: '123456',
      type: 'sms',
    });
    expect(verifyError).toBeNull();
    const { data, error } = await client.functions.invoke('health', { method: 'GET' });
    expect(error).toBeNull();
    expect(data).toEqual({ status: 'ok', role: 'authenticated', user_id: verified.user!.id });
  });

  it('refuses a JWT signed with another secret, or expired, with 401 Invalid JWT', async () => {
    const forged = signJwt(
      { role: 'service_role', exp: Math.floor(Date.now() / 1000) + 60 },
      'not-the-project-secret-at-all-0123456789',
    );
    const forgedCall = await httpError(
      newClient().functions.invoke('health', { headers: { Authorization: `Bearer ${forged}` } }),
    );
    expect(forgedCall).toEqual({ status: 401, body: JSON.stringify({ msg: 'Invalid JWT' }) });

    const expired = signJwt(
      { role: 'authenticated', sub: randomUUID(), exp: Math.floor(Date.now() / 1000) - 10 },
      stack().jwtSecret,
    );
    const expiredCall = await httpError(
      newClient().functions.invoke('health', { headers: { Authorization: `Bearer ${expired}` } }),
    );
    expect(expiredCall.status).toBe(401);
    expect(JSON.parse(expiredCall.body)).toEqual({ msg: 'Invalid JWT' });

    const garbage = await fetch(fnUrl('health'), { headers: { Authorization: 'Bearer not-a-jwt' } });
    expect(garbage.status).toBe(401);
    expect(await garbage.json()).toEqual({ msg: 'Invalid JWT' });
  });

  it('refuses a call without Authorization, or not Bearer, with the CLI messages', async () => {
    const none = await fetch(fnUrl('health'), { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/json');
    expect(await none.json()).toEqual({ msg: 'Error: Missing authorization header' });

    const basic = await fetch(fnUrl('health'), { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
    expect(await basic.json()).toEqual({ msg: "Error: Auth header is not 'Bearer {token}'" });
  });

  it('answers 404 Function not found for an unknown name', async () => {
    const invoked = await httpError(newClient().functions.invoke('no-such-function'));
    expect(invoked).toEqual({ status: 404, body: 'Function not found' });
    const root = await fetch(`${stack().apiUrl}/functions/v1/`);
    expect(root.status).toBe(404);
    expect(await root.text()).toBe('Function not found');
  });

  it('lets unsigned or badly signed calls reach send-sms without an apikey, and refuses them with 401', async () => {
    const body = hookBody(uniquePhone(), '123456');
    const unsigned = await fetch(fnUrl('send-sms'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: { http_code: 401, message: 'Invalid webhook signature' } });

    const wrongSecret = `v1,whsec_${Buffer.from('some-other-hook-secret-value').toString('base64')}`;
    const forged = await fetch(fnUrl('send-sms'), { method: 'POST', headers: signHook(body, wrongSecret), body });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { http_code: number } }).error.http_code).toBe(401);
  });

  it('delivers a signed Send SMS hook call to the dev outbox once per webhook-id', async () => {
    const phone = uniquePhone();
    const body = hookBody(phone, '482913');
    const headers = signHook(body);
    const first = await fetch(fnUrl('send-sms'), { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(await first.json()).toEqual({});

    const retry = await fetch(fnUrl('send-sms'), { method: 'POST', headers, body });
    expect(retry.status).toBe(200);

    const messages = await outbox(phone);
    expect(messages.map((m) => m.body)).toEqual(['Votre code Ecom : 482913. Ne le partagez avec personne.']);
  });

  it('carries a real OTP from Auth through send-sms to the phone, and the code signs in', async () => {
    const phone = uniquePhone();
    const client = newClient();
    const { error } = await client.auth.signInWithOtp({ phone });
    expect(error).toBeNull();
    const [message] = await outbox(phone);
    const code = /Votre code Ecom : (\d{6})\. Ne le partagez avec personne\./.exec(message?.body ?? '')?.[1];
    expect(code, JSON.stringify(message)).toBeDefined();
    const { data, error: verifyError } = await client.auth.verifyOtp({ phone, token: code!, type: 'sms' });
    expect(verifyError).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------------------------

const FIXTURES: Record<string, string> = {
  'serve-handler': `Deno.serve((req) => new Response('handler ' + new URL(req.url).pathname + new URL(req.url).search));`,
  'serve-options': `Deno.serve({ port: 8000, hostname: '0.0.0.0', onListen() {} }, async (req) => {
    const text = await req.text();
    const headers = new Headers({ 'x-method': req.method, 'x-seen': req.headers.get('x-custom') ?? '' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    return new Response('options ' + text.length, { status: 201, headers });
  });`,
  'serve-object': `Deno.serve({ handler: () => Response.json({ edgeRuntime: typeof EdgeRuntime.waitUntil }) });`,
  'default-fetch': `export default { fetch(req: Request) { return new Response('default ' + new URL(req.url).pathname); } };`,
  'boot-error': `throw new Error('broken at boot');`,
  throws: `Deno.serve(() => { throw new Error('broken in handler'); });`,
  stream: `Deno.serve(() => {
    let i = 0;
    const body = new ReadableStream({ async pull(c) {
      if (i++ === 3) return c.close();
      await new Promise((r) => setTimeout(r, 150));
      c.enqueue(new TextEncoder().encode('chunk' + i + '\\n'));
    } });
    return new Response(body, { headers: { 'content-type': 'text/plain' } });
  });`,
  slow: `Deno.serve(async () => { await new Promise((r) => setTimeout(r, 5000)); return new Response('late'); });`,
  env: `Deno.serve(() => Response.json(Deno.env.toObject()));`,
};

describe('startFunctionsService (the runner, started directly)', () => {
  let dir: string;
  let service: FunctionsService;
  let server: Server;
  let base: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecom-functions-test-'));
    const supabaseDir = join(dir, 'supabase');
    await mkdir(join(supabaseDir, 'functions'), { recursive: true });
    await writeFile(
      join(supabaseDir, 'functions', '.env'),
      'MY_SECRET=from-functions-env\nSUPABASE_URL=http://ignored\n',
    );
    for (const [name, code] of Object.entries(FIXTURES)) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'index.ts'), code + '\n');
    }
    const config = {
      ...loadConfig(),
      supabaseDir,
      functions: [
        ...Object.keys(FIXTURES).map((name) => ({
          name,
          enabled: true,
          verifyJwt: false,
          entrypoint: join(dir, name, 'index.ts'),
        })),
        { name: 'disabled', enabled: false, verifyJwt: false, entrypoint: join(dir, 'serve-handler', 'index.ts') },
      ],
    };
    process.env.ECOM_TEST_SHOULD_NOT_LEAK = 'leak';
    service = await startFunctionsService({
      config,
      env: { SUPABASE_URL: 'http://127.0.0.1:1', SUPABASE_INTERNAL_DEBUG: 'true', APP_SETTING: 'from-opts' },
      jwtSecret: 'unused-here-because-verify-jwt-is-off-0123',
      watch: false,
      stateDir: join(dir, 'state'),
      wallClockMs: 1000,
      log: (line) => logs.push(line),
    });
    delete process.env.ECOM_TEST_SHOULD_NOT_LEAK;
    server = createServer((req, res) => void service.handle(req, res, req.url ?? '/'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await service?.stop();
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves Deno.serve(handler) with the path the platform gives: /<name>/…', async () => {
    const res = await fetch(`${base}/serve-handler/a/b?x=1`);
    expect(await res.text()).toBe('handler /serve-handler/a/b?x=1');
  });

  it('serves Deno.serve(options, handler) on its own port, streaming bodies and keeping every header', async () => {
    const res = await fetch(`${base}/serve-options`, {
      method: 'PUT',
      headers: { 'x-custom': 'kept' },
      body: 'x'.repeat(200_000),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-method')).toBe('PUT');
    expect(res.headers.get('x-seen')).toBe('kept');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.text()).toBe('options 200000');
  });

  it('serves Deno.serve({ handler }) with EdgeRuntime.waitUntil available', async () => {
    expect(await (await fetch(`${base}/serve-object`)).json()).toEqual({ edgeRuntime: 'function' });
  });

  it('serves export default { fetch }', async () => {
    expect(await (await fetch(`${base}/default-fetch/x`)).text()).toBe('default /default-fetch/x');
  });

  it('answers 503 BOOT_ERROR for a function that fails to boot, with its error in the log', async () => {
    const res = await fetch(`${base}/boot-error`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ code: 'BOOT_ERROR', message: 'Function failed to start (please check logs)' });
    expect(logs.some((line) => line.includes('broken at boot'))).toBe(true);
  });

  it('answers 500 WORKER_ERROR when a handler throws', async () => {
    const res = await fetch(`${base}/throws`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { code: string }).code).toBe('WORKER_ERROR');
  });

  it('streams the response as the function produces it', async () => {
    const started = Date.now();
    const res = await fetch(`${base}/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(new TextDecoder().decode(first.value)).toBe('chunk1\n');
    expect(rest).toBe('chunk2\nchunk3\n');
    expect(firstAt).toBeLessThan(Date.now() - started - 200);
  });

  it('answers 504 after the wall-clock limit', async () => {
    const res = await fetch(`${base}/slow`);
    expect(res.status).toBe(504);
  });

  it('gives functions opts.env and supabase/functions/.env, and nothing else of ours', async () => {
    const env = (await (await fetch(`${base}/env`)).json()) as Record<string, string>;
    expect(env.APP_SETTING).toBe('from-opts');
    expect(env.MY_SECRET).toBe('from-functions-env');
    expect(env.SUPABASE_URL).toBe('http://127.0.0.1:1');
    expect(env.SEND_SMS_HOOK_SECRETS).toBeTruthy();
    expect(env.SUPABASE_INTERNAL_DEBUG).toBeUndefined();
    expect(env.ECOM_TEST_SHOULD_NOT_LEAK).toBeUndefined();
    expect(env.HOME).toBeUndefined();
  });

  it('answers 404 for a disabled or unknown function', async () => {
    for (const name of ['disabled', 'nope', '']) {
      const res = await fetch(`${base}/${name}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('Function not found');
    }
  });
});
