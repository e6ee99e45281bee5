// Realtime's REST API as realtime-js uses it (supabase-protocols.md B.6): `POST /api/broadcast` (batch, the
// fallback of `channel.send()` when not joined) and `POST /api/broadcast/<topic>/events/<event>`
// (`channel.httpSend`). Both answer 202 with an empty body. Private messages are checked against the caller's
// write policy on realtime.messages; refused ones are skipped, as the server does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { canWrite } from './authorization.ts';
import { topicKey, type Hub } from './broadcast.ts';
import { MAX_PAYLOAD_BYTES } from './connection.ts';
import { checkToken } from './tokens.ts';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const payloadTooLarge = (res: ServerResponse) =>
  json(res, 413, {
    error: 'payload_size_exceeded',
    message: `Payload size exceeds the broadcast limit of ${MAX_PAYLOAD_BYTES / 1000} KB`,
  });

interface Outgoing {
  topic: string;
  event: string;
  payload: unknown;
  binary?: Buffer;
  private: boolean;
}

export async function handleRest(
  ctx: { pool: pg.Pool; hub: Hub; jwtSecret: string },
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const url = new URL(path, 'http://realtime');
  const single = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(url.pathname);
  if (url.pathname !== '/api/broadcast' && !single) return json(res, 404, { message: 'Not Found' });
  if (req.method !== 'POST') return json(res, 405, { message: 'Method Not Allowed' });

  const bearer = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const auth = checkToken(bearer, ctx.jwtSecret);
  if (!auth.ok) return json(res, 401, { message: auth.message });

  const body = await readBody(req);
  if (!body) return payloadTooLarge(res);

  const out: Outgoing[] = [];
  if (single) {
    let topic: string;
    let event: string;
    try {
      topic = decodeURIComponent(single[1]!);
      event = decodeURIComponent(single[2]!);
    } catch {
      return json(res, 400, { message: 'Invalid topic or event' });
    }
    const isPrivate = url.searchParams.get('private') === 'true';
    if ((req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
      if (body.length > MAX_PAYLOAD_BYTES) return payloadTooLarge(res);
      out.push({ topic, event, payload: undefined, binary: body, private: isPrivate });
    } else {
      if (body.length > MAX_PAYLOAD_BYTES) return payloadTooLarge(res);
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return json(res, 400, { message: 'Invalid JSON body' });
      }
      out.push({ topic, event, payload, private: isPrivate });
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return json(res, 400, { message: 'Invalid JSON body' });
    }
    const messages = (parsed as { messages?: unknown })?.messages;
    if (!Array.isArray(messages)) return json(res, 422, { errors: { messages: ["can't be blank"] } });
    for (const m of messages as Array<Record<string, unknown>>) {
      if (typeof m?.topic !== 'string' || !m.topic || typeof m.event !== 'string') {
        return json(res, 422, { errors: { messages: [{ topic: ["can't be blank"], event: ["can't be blank"] }] } });
      }
      if (Buffer.byteLength(JSON.stringify(m.payload ?? {})) > MAX_PAYLOAD_BYTES) return payloadTooLarge(res);
      out.push({ topic: m.topic, event: m.event, payload: m.payload ?? {}, private: m.private === true });
    }
  }

  const allowed = new Map<string, Promise<boolean>>();
  for (const m of out) {
    if (m.private) {
      let ok = allowed.get(m.topic);
      if (!ok) allowed.set(m.topic, (ok = canWrite(ctx.pool, { topic: m.topic, claims: auth.claims }, 'broadcast')));
      if (!(await ok)) continue;
    }
    ctx.hub.publish(
      topicKey(m.private, m.topic),
      m.topic,
      m.binary ? { event: m.event, payload: undefined, binary: m.binary } : { event: m.event, payload: m.payload },
    );
  }
  res.writeHead(202, { 'content-length': '0' });
  res.end();
}
