// The API gateway on the API port (54321), doing what Kong does in front of the Supabase services: routing by
// path prefix, the `apikey` check, the apikey → Authorization mapping for the new `sb_…` keys, CORS for the apps,
// and a health endpoint.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';

export type Handler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> | void;

export interface GatewayKeys {
  anon: string;
  serviceRole: string;
  publishable: string;
  secret: string;
}

export interface GatewayRoutes {
  /** Upstream base URL of PostgREST (`/rest/v1` is stripped). */
  rest: string;
  auth: Handler;
  functions: Handler;
  devSms: Handler;
  /** The sandbox mobile-money provider (local only), at /sandbox-pay/v1. */
  sandboxPay?: Handler;
  storage: Handler;
  realtime: Handler;
  realtimeUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  health: () => Record<string, unknown>;
}

const ALLOW_HEADERS =
  'authorization, x-client-info, apikey, content-type, accept, accept-profile, content-profile, prefer, range, ' +
  'x-supabase-api-version, x-region, x-upsert, cache-control, idempotency-key';
const EXPOSE_HEADERS =
  'content-range, content-location, location, x-total-count, link, x-supabase-api-version, x-sb-error-code, ' +
  'preference-applied, x-relay-error';

/** Paths under /auth/v1 that Kong leaves open (links opened from SMS/e-mail and OAuth redirects). */
const OPEN_AUTH_PATHS = ['/verify', '/callback', '/authorize', '/.well-known/jwks.json'];

export function corsHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS',
    'access-control-allow-headers': (req.headers['access-control-request-headers'] as string) || ALLOW_HEADERS,
    'access-control-expose-headers': EXPOSE_HEADERS,
    'access-control-max-age': '3600',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The `apikey` a request carries: header first, then the query string (realtime-js and links use the latter). */
export function apikeyOf(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.apikey;
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return fromHeader || url.searchParams.get('apikey') || undefined;
}

/**
 * The JWT a request is authorised with, as the CLI's Kong template computes it: keep a non-`sb_` bearer; otherwise
 * the secret key maps to the service_role JWT, the publishable key to the anon JWT, and a legacy JWT apikey is used
 * as it is.
 */
export function bearerFor(authorization: string | undefined, apikey: string | undefined, keys: GatewayKeys) {
  if (authorization && !/^bearer\s+sb_/i.test(authorization)) return authorization;
  if (apikey === keys.secret) return `Bearer ${keys.serviceRole}`;
  if (apikey === keys.publishable) return `Bearer ${keys.anon}`;
  if (apikey) return `Bearer ${apikey}`;
  return authorization;
}

function proxy(req: IncomingMessage, res: ServerResponse, base: string, path: string): void {
  const target = new URL(path, base);
  const headers = { ...req.headers, host: target.host };
  const upstream = httpRequest(target, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) sendJson(res, 502, { message: 'An invalid response was received from the upstream server' });
    else res.destroy();
  });
  req.pipe(upstream);
}

/**
 * Serves the routes on `server` (a new one by default). The stack passes the server it opened at the very start, so
 * the API port is taken before anything else starts (no race for a port picked earlier and freed again); until the
 * routes are attached it answers 503.
 */
export function createGateway(routes: GatewayRoutes, keys: GatewayKeys, server: Server = createServer()): Server {
  const validKeys = new Set([keys.anon, keys.serviceRole, keys.publishable, keys.secret]);
  server.removeAllListeners('request');
  server.removeAllListeners('upgrade');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    for (const [k, v] of Object.entries(corsHeaders(req))) res.setHeader(k, v);
    if (req.method === 'OPTIONS') {
      res.writeHead(200, { 'content-length': '0' });
      res.end();
      return;
    }
    if (!req.headers['x-forwarded-for']) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';

    const pathname = url.pathname;
    const rest = (prefix: string): string => pathname.slice(prefix.length) + url.search;
    const dispatch = (handler: Handler, path: string): void => {
      Promise.resolve(handler(req, res, path)).catch((e: unknown) => {
        console.error('[gateway]', e);
        if (!res.headersSent) sendJson(res, 500, { message: 'An unexpected error occurred' });
        else res.destroy();
      });
    };

    if (pathname === '/health' || pathname === '/_health') return sendJson(res, 200, routes.health());
    if (pathname === '/_dev/sms' || pathname.startsWith('/_dev/sms/'))
      return dispatch(routes.devSms, rest('/_dev/sms'));
    // The sandbox provider checks its own API key (and the payer's PIN), as a real provider would.
    if (routes.sandboxPay && (pathname === '/sandbox-pay/v1' || pathname.startsWith('/sandbox-pay/v1/')))
      return dispatch(routes.sandboxPay, rest('/sandbox-pay/v1') || '/');

    // Edge Functions check their own JWT (verify_jwt) and receive webhooks that carry no apikey; Storage checks its
    // own JWT and serves public objects to <img> tags that send no header at all. Both get the apikey → bearer
    // mapping when a valid key is present.
    const keyOptional = (['/functions/v1', '/storage/v1'] as const).find((p) => pathname.startsWith(p));
    if (keyOptional) {
      const apikey = apikeyOf(req, url);
      if (apikey && validKeys.has(apikey)) {
        const bearer = bearerFor(req.headers.authorization, apikey, keys);
        if (bearer) req.headers.authorization = bearer;
      }
      const handler = keyOptional === '/functions/v1' ? routes.functions : routes.storage;
      return dispatch(handler, rest(keyOptional) || '/');
    }

    const service = pathname.startsWith('/rest/v1')
      ? 'rest'
      : pathname.startsWith('/auth/v1')
        ? 'auth'
        : pathname.startsWith('/realtime/v1')
          ? 'realtime'
          : undefined;
    if (!service) return sendJson(res, 404, { message: 'no Route matched with those values' });

    const open = service === 'auth' && OPEN_AUTH_PATHS.includes(pathname.slice('/auth/v1'.length));
    const apikey = apikeyOf(req, url);
    if (!open) {
      if (!apikey) {
        return sendJson(res, 401, {
          message: 'No API key found in request',
          hint: 'No `apikey` request header or url param was found.',
        });
      }
      if (!validKeys.has(apikey))
        return sendJson(res, 401, {
          message: 'Invalid API key',
          hint: 'Double check your Supabase `anon` or `service_role` API key.',
        });
    }
    const bearer = bearerFor(req.headers.authorization, apikey, keys);
    if (bearer) req.headers.authorization = bearer;

    if (service === 'rest') return proxy(req, res, routes.rest, rest('/rest/v1') || '/');
    if (service === 'realtime') return dispatch(routes.realtime, rest('/realtime/v1') || '/');
    return dispatch(routes.auth, rest('/auth/v1') || '/');
  });

  // Realtime's WebSocket: the server checks the apikey itself (401 at upgrade), as Supabase Realtime does; the
  // gateway only swaps an `sb_` key in the query string for the JWT it stands for, as Kong does.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname !== '/realtime/v1/websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const apikey = url.searchParams.get('apikey');
    if (apikey === keys.publishable || apikey === keys.secret) {
      url.searchParams.set('apikey', apikey === keys.secret ? keys.serviceRole : keys.anon);
      req.url = url.pathname + url.search;
    }
    if (!req.headers['x-forwarded-for']) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
    routes.realtimeUpgrade(req, socket, head);
  });
  return server;
}
