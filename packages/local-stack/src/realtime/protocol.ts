// Phoenix framing as realtime-js speaks it (supabase-protocols.md B.2): vsn 1.0.0 JSON objects, vsn 2.0.0 JSON
// arrays, and the v2 binary frames — kind 3 (client broadcast push) decoded, kind 4 (server broadcast) encoded
// for binary payloads. Decoding never throws past `decodeFrame`: a malformed frame comes back as `undefined`.

export type Vsn = '1.0.0' | '2.0.0';

export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A client broadcast pushed as binary kind 3: the user payload stays raw until it is delivered. */
export interface BinaryBroadcast extends Frame {
  event: 'broadcast';
  payload: { type: 'broadcast'; event: string; payload: unknown };
  /** Bytes of the user payload as sent (the size limit applies to them). */
  size: number;
  /** True when the payload is raw bytes (encoding 0), false for JSON (encoding 1). */
  binary: boolean;
}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

const asRef = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

export function decodeText(text: string, vsn: Vsn): Frame | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (vsn === '2.0.0' && Array.isArray(raw)) {
    if (raw.length !== 5) return undefined;
    const [joinRef, ref, topic, event, payload] = raw as unknown[];
    if (typeof topic !== 'string' || typeof event !== 'string') return undefined;
    return { joinRef: asRef(joinRef), ref: asRef(ref), topic, event, payload };
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    if (typeof o.topic !== 'string' || typeof o.event !== 'string') return undefined;
    return { joinRef: asRef(o.join_ref), ref: asRef(o.ref), topic: o.topic, event: o.event, payload: o.payload };
  }
  return undefined;
}

/** Kind 3 USER_BROADCAST_PUSH: [3, len(join_ref), len(ref), len(topic), len(event), len(meta), encoding] + fields + payload. */
export function decodeBinary(buf: Buffer): BinaryBroadcast | undefined {
  if (buf.length < 7 || buf[0] !== KIND_USER_BROADCAST_PUSH) return undefined;
  const lens = [buf[1]!, buf[2]!, buf[3]!, buf[4]!, buf[5]!];
  const encoding = buf[6]!;
  let offset = 7;
  const fields: string[] = [];
  for (const len of lens) {
    if (offset + len > buf.length) return undefined;
    fields.push(buf.toString('utf8', offset, offset + len));
    offset += len;
  }
  const [joinRef, ref, topic, userEvent] = fields as [string, string, string, string, string];
  const body = buf.subarray(offset);
  let payload: unknown;
  if (encoding === ENCODING_JSON) {
    try {
      payload = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return undefined;
    }
  } else if (encoding === ENCODING_BINARY) {
    payload = Buffer.from(body);
  } else return undefined;
  if (!topic) return undefined;
  return {
    joinRef: joinRef || null,
    ref: ref || null,
    topic,
    event: 'broadcast',
    payload: { type: 'broadcast', event: userEvent, payload },
    size: body.length,
    binary: encoding === ENCODING_BINARY,
  };
}

export function encodeText(frame: Frame, vsn: Vsn): string {
  if (vsn === '2.0.0') return JSON.stringify([frame.joinRef, frame.ref, frame.topic, frame.event, frame.payload]);
  return JSON.stringify({
    join_ref: frame.joinRef,
    ref: frame.ref,
    topic: frame.topic,
    event: frame.event,
    payload: frame.payload,
  });
}

/** Kind 4 USER_BROADCAST: [4, len(topic), len(event), len(meta), encoding] + topic + event + meta + payload. */
export function encodeBinaryBroadcast(topic: string, event: string, meta: object | undefined, payload: Buffer): Buffer {
  const t = Buffer.from(topic, 'utf8');
  const e = Buffer.from(event, 'utf8');
  const m = Buffer.from(meta ? JSON.stringify(meta) : '', 'utf8');
  if (t.length > 255 || e.length > 255 || m.length > 255) throw new Error('broadcast header field over 255 bytes');
  return Buffer.concat([
    Buffer.from([KIND_USER_BROADCAST, t.length, e.length, m.length, ENCODING_BINARY]),
    t,
    e,
    m,
    payload,
  ]);
}

export const reply = (frame: Frame, status: 'ok' | 'error', response: unknown): Frame => ({
  joinRef: frame.joinRef,
  ref: frame.ref,
  topic: frame.topic,
  event: 'phx_reply',
  payload: { status, response },
});
