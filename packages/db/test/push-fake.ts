// A fake push service on 127.0.0.1 for the `notify` tests: answers FCM HTTP v1 (`/v1/projects/<p>/messages:send`)
// and Web Push endpoints (`/wp/<id>`) on the port the test stack's notify function was told about (global setup),
// records every request, and answers what the test asks for (success by default, after an optional delay).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { inject } from 'vitest';

export interface PushRequest {
  kind: 'fcm' | 'webpush';
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** FCM: the JSON message; Web Push: null (the payload is encrypted). */
  json: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type Answer = { status: number; body?: unknown; delayMs?: number };

export interface FakePush {
  port: number;
  requests: PushRequest[];
  /** Decides the answer per request; default 200 / 201 after `delayMs`. */
  answer: (req: PushRequest) => Answer;
  fcm(): PushRequest[];
  webpush(): PushRequest[];
  reset(): void;
  close(): Promise<void>;
}

export const defaultAnswer = (req: PushRequest): Answer =>
  req.kind === 'fcm'
    ? { status: 200, body: { name: `projects/ecom-test/messages/${Math.random().toString(36).slice(2)}` } }
    : { status: 201 };

export async function startFakePush(): Promise<FakePush> {
  const { port } = inject('push');
  const fake: FakePush = {
    port,
    requests: [],
    answer: defaultAnswer,
    fcm: () => fake.requests.filter((r) => r.kind === 'fcm'),
    webpush: () => fake.requests.filter((r) => r.kind === 'webpush'),
    reset() {
      fake.requests.length = 0;
      fake.answer = defaultAnswer;
    },
    // Deno keeps its connections to the fake alive: drop them, or close() waits for them to go idle.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const kind = path.startsWith('/wp/') ? 'webpush' : 'fcm';
      let json = null;
      if (kind === 'fcm') {
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          json = null;
        }
      }
      const record: PushRequest = { kind, path, headers: req.headers, body, json };
      fake.requests.push(record);
      const a = fake.answer(record);
      setTimeout(() => {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body === undefined ? '' : JSON.stringify(a.body));
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return fake;
}

/** A browser's PushSubscription JSON whose endpoint is the fake. */
export function webSubscription(id: string): string {
  const { port } = inject('push');
  return JSON.stringify({
    endpoint: `http://127.0.0.1:${port}/wp/${id}`,
    // RFC 8291 Appendix A's user-agent key and auth secret: any valid P-256 point works.
    keys: {
      p256dh: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
      auth: 'BTBZMqHH6r4Tts7J_aSIgg',
    },
  });
}

/** POST /functions/v1/notify with `token` (default: the service role). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function drainNotify(apiUrl: string, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${apiUrl}/functions/v1/notify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: res.status, body: await res.json() };
}
