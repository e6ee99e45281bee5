// The built customer app pointed at a given stack, served by a tiny static server (SPA fallback, correct
// content types, gzip for text as any host would serve it). Used by the e2e scenarios and by bench/client.ts.
import { createReadStream } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const CLIENT_ROOT = fileURLToPath(new URL('../../apps/client/', import.meta.url));

/** The apps a scenario can build (folders of apps/). */
export type AppName = 'client' | 'merchant' | 'courier' | 'admin';
const appRoot = (app: AppName): string => fileURLToPath(new URL(`../../apps/${app}/`, import.meta.url));

const run = promisify(execFile);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * Builds apps/client (or `app`) into `outDir` with the stack's URL and anon key compiled in (Vite reads VITE_* from env). Map
 * tiles point at a closed local port by default: the scenarios run without network, and the screens must work
 * without tiles.
 */
export async function buildClient(opts: {
  outDir: string;
  supabaseUrl: string;
  anonKey: string;
  tileUrl?: string;
  app?: AppName;
}): Promise<void> {
  process.env.VITE_SUPABASE_URL = opts.supabaseUrl;
  process.env.VITE_SUPABASE_ANON_KEY = opts.anonKey;
  process.env.VITE_MAP_TILE_URL = opts.tileUrl ?? 'http://127.0.0.1:9/{z}/{x}/{y}.png';
  // Vitest sets NODE_ENV=test, and Vite keeps an existing NODE_ENV: the build would be a development one
  // (Vue's dev runtime, import.meta.env.PROD false, no service worker). Build what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    const root = appRoot(opts.app ?? 'client');
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: opts.outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A throw-away self-signed certificate for 127.0.0.1 (openssl), for the HTTP/2 server: browsers speak HTTP/2 only
 * over TLS. The browser must be told to accept it (launchChromium's `ignoreCertificateErrors`).
 */
async function selfSignedCert(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ecom-cert-'));
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Serves a built app. `http2`: over TLS with HTTP/2 (as a CDN serves it: every request of a page on one connection),
 * else plain HTTP/1.1 (at most 6 requests at a time per origin in Chromium).
 */
export async function serveStatic(dir: string, opts: { http2?: boolean } = {}): Promise<StaticServer> {
  const root = normalize(dir);
  const handler = async (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      (res as ServerResponse).writeHead(403).end();
      return;
    }
    const isFile = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) {
      if (extname(path) !== '') {
        (res as ServerResponse).writeHead(404).end();
        return;
      }
      file = join(root, 'index.html'); // client-side route
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const gzip = /gzip/.test(String(req.headers['accept-encoding'])) && /text|json|svg/.test(type);
    (res as ServerResponse).writeHead(200, {
      'content-type': type,
      'cache-control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    const body = createReadStream(file);
    const out = res as NodeJS.WritableStream;
    if (gzip) body.pipe(createGzip({ level: 9 })).pipe(out);
    else body.pipe(out);
  };
  const server: Server | Http2SecureServer = opts.http2
    ? createSecureServer({ ...(await selfSignedCert()), allowHTTP1: true }, handler)
    : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.http2 ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
