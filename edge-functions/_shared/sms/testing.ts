// Test helpers: a throwaway HTTP server on 127.0.0.1 standing in for an SMS gateway or a push service.

export interface FakeServer {
  url: string;
  requests: { method: string; path: string; headers: Headers; body: string; bytes: Uint8Array<ArrayBuffer> }[];
  close(): Promise<void>;
}

export function startFakeServer(respond: (req: Request, body: string) => Response | Promise<Response>): FakeServer {
  const requests: FakeServer['requests'] = [];
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: '127.0.0.1', port: 0, signal: controller.signal, onListen: () => {} },
    async (req) => {
      const bytes = new Uint8Array(await req.arrayBuffer());
      const body = new TextDecoder().decode(bytes);
      requests.push({ method: req.method, path: new URL(req.url).pathname, headers: req.headers, body, bytes });
      return respond(req, body);
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    async close() {
      controller.abort();
      await server.finished;
    },
  };
}
