// What the unit tests of the app's function calls share: the phone's storage (a Map behind localStorage), and a
// network that answers the queued responses in turn (an Error, or nothing left, is a dropped connection) while
// recording what each request sent.
import { vi } from 'vitest';

export const storage = new Map<string, string>();

export function stubStorage(): void {
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, String(v)),
    removeItem: (k: string) => void storage.delete(k),
    clear: () => storage.clear(),
    key: (i: number) => [...storage.keys()][i] ?? null,
    get length() {
      return storage.size;
    },
  });
}

export interface Sent {
  method: string;
  url: string;
  key: string | null;
  language: string | null;
  body: unknown;
}

/** Every request since the last `sent.length = 0`. */
export const sent: Sent[] = [];

export function answer(...responses: Array<Response | Error>): void {
  const queue = [...responses];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      sent.push({
        method: init.method ?? 'GET',
        url,
        key: headers.get('Idempotency-Key'),
        language: headers.get('Accept-Language'),
        body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
      });
      const next = queue.shift();
      if (!next || next instanceof Error) throw next ?? new TypeError('Failed to fetch');
      return next;
    }),
  );
}

export const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
