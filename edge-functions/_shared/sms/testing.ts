// Test helpers: a throwaway HTTP server on 127.0.0.1 standing in for an SMS gateway.

export interface FakeServer {
  url: string;
  requests: { method: string; path: string; headers: Headers; body: string }[];
  close(): Promise<void>;
}

export function startFakeServer(respond: (req: Request, body: string) => Response | Promise<Response>): FakeServer {
  const requests: FakeServer['requests'] = [];
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: '127.0.0.1', port: 0, signal: controller.signal, onListen: () => {} },
    async (req) => {
      const body = await req.text();
      requests.push({ method: req.method, path: new URL(req.url).pathname, headers: req.headers, body });
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
