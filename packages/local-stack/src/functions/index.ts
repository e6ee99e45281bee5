// Edge Functions for the local stack: what `supabase functions serve` does, with plain Deno instead of the
// edge-runtime container. Every enabled `[functions.<name>]` of config.toml runs in its own Deno child
// (worker.ts bootstraps it); `handle` does the part of the CLI's main.ts in front of them — name routing,
// verify_jwt, boot errors — and streams the request and the response through unchanged.
import { mkdirSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseEnvFile, type StackConfig } from '../config.ts';
import { DEV_SEND_SMS_HOOK_SECRET } from '../keys.ts';
import { checkFunctionJwt } from './jwt-gate.ts';
import { createFunctionProcess, type FunctionProcess, resolveDenoBinary } from './process.ts';

export { checkFunctionJwt } from './jwt-gate.ts';

export interface FunctionsServiceOptions {
  config: StackConfig;
  /** Env every function gets, as the platform provides it: SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL, plus secrets. */
  env: Record<string, string>;
  jwtSecret: string;
  watch: boolean; // reload on file change (dev); false in tests/CI
  stateDir: string; // a git-ignored folder for logs / deno cache if you need one
  log?: (line: string) => void;
  /** Deno's cache (modules, npm packages, transpiled code). Default: $ECOM_DENO_DIR or ~/.cache/ecom-deno, shared by restarts. */
  denoDir?: string;
  /** Wall-clock limit per request (504 after it). Default 150 s, the hosted free-plan limit. */
  wallClockMs?: number;
  /** How long a request (or the start) waits for a function to boot. Default 60 s (a cold npm cache downloads). */
  bootTimeoutMs?: number;
}

export interface FunctionsService {
  /** path = what follows /functions/v1, e.g. '/health?x=1' */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  stop(): Promise<void>; // kills every Deno child; no orphans
}

/** Tooling variables Deno itself may need (registry, proxies, CAs); not secrets, and not the rest of our env. */
const DENO_TOOLING_ENV = [
  'NPM_CONFIG_REGISTRY',
  'npm_config_registry',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'DENO_CERT',
  'DENO_TLS_CA_STORE',
  'SSL_CERT_FILE',
  'TZ',
];

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

export function defaultDenoDir(): string {
  return process.env.ECOM_DENO_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ecom-deno');
}

/**
 * The environment of every function, lowest precedence first: the Send SMS hook secret Auth signs with,
 * `supabase/functions/.env` (where `supabase functions serve` reads secrets; SUPABASE_* names are reserved and
 * skipped, as the CLI does), then `opts.env`. Nothing else from this Node process leaks in, and SUPABASE_INTERNAL_*
 * never passes.
 */
export function functionEnv(
  opts: Pick<FunctionsServiceOptions, 'config' | 'env'>,
  denoDir: string,
  log: (line: string) => void = () => {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of DENO_TOOLING_ENV) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  const hookSecrets = opts.config.auth.hooks.sendSms?.secrets ?? [];
  env.SEND_SMS_HOOK_SECRETS = hookSecrets.length > 0 ? hookSecrets.join('|') : DEV_SEND_SMS_HOOK_SECRET;
  const secretsFile = join(opts.config.supabaseDir, 'functions', '.env');
  for (const [name, value] of Object.entries(parseEnvFile(secretsFile))) {
    if (name.startsWith('SUPABASE_')) {
      log(`[functions] ${secretsFile}: skipping ${name} (names starting with SUPABASE_ are reserved)`);
      continue;
    }
    env[name] = value;
  }
  Object.assign(env, opts.env);
  for (const name of Object.keys(env)) if (name.startsWith('SUPABASE_INTERNAL_')) delete env[name];
  env.DENO_DIR = denoDir;
  env.DENO_NO_UPDATE_CHECK = '1';
  env.NO_COLOR = '1';
  return env;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function forwardHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** Response headers as an object whose repeated names (Set-Cookie…) are arrays, so none is lost. */
function responseHeaders(raw: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (HOP_BY_HOP.has(name)) continue;
    const previous = out[name];
    out[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

/** Streams `req` to the function on 127.0.0.1:port and its answer back, under the wall-clock limit. */
function proxy(
  proc: FunctionProcess,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  wallClockMs: number,
  log: (line: string) => void,
): Promise<void> {
  return new Promise((done) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done();
    };
    const upstream = httpRequest({
      host: '127.0.0.1',
      port: proc.port(),
      method: req.method,
      path,
      headers: forwardHeaders(req.headers),
      // One connection per request: a function reloaded under --watch never meets a stale pooled socket.
      agent: false,
      setHost: false,
    });
    const timer = setTimeout(() => {
      log(`[functions:${proc.name}] ${req.method} ${path} exceeded the ${wallClockMs} ms wall-clock limit`);
      upstream.destroy();
      if (res.headersSent) res.destroy();
      else sendJson(res, 504, { message: 'The upstream server is timing out' });
      finish();
    }, wallClockMs);

    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders(answer.rawHeaders));
      res.flushHeaders();
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      answer.on('end', finish);
    });
    upstream.on('error', (error) => {
      if (finished) return;
      log(`[functions:${proc.name}] ${req.method} ${path} failed: ${error.message}`);
      if (!res.headersSent) {
        sendJson(res, 500, { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' });
      } else {
        res.destroy();
      }
      finish();
    });
    // The caller went away: stop the function's work on it too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      finish();
    });

    if (req.readableEnded) upstream.end();
    else req.pipe(upstream);
  });
}

export async function startFunctionsService(opts: FunctionsServiceOptions): Promise<FunctionsService> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const denoDir = opts.denoDir ?? defaultDenoDir();
  mkdirSync(denoDir, { recursive: true });
  mkdirSync(opts.stateDir, { recursive: true });
  const env = functionEnv(opts, denoDir, log);
  const denoBin = resolveDenoBinary();
  const wallClockMs = opts.wallClockMs ?? 150_000;
  const bootTimeoutMs = opts.bootTimeoutMs ?? 60_000;

  const processes = new Map<string, { verifyJwt: boolean; proc: FunctionProcess }>();
  for (const fn of opts.config.functions) {
    if (!fn.enabled) continue;
    processes.set(fn.name, {
      verifyJwt: fn.verifyJwt,
      proc: createFunctionProcess({ fn, denoBin, env, watch: opts.watch, bootTimeoutMs, log }),
    });
  }

  const killAll = () => {
    for (const { proc } of processes.values()) proc.kill();
  };
  process.once('exit', killAll);

  const started = Date.now();
  const results = await Promise.all([...processes.values()].map(({ proc }) => proc.ready()));
  const failed = [...processes.keys()].filter((_, i) => !results[i]);
  log(
    `[functions] ${processes.size - failed.length}/${processes.size} functions ready in ${Date.now() - started} ms` +
      (failed.length ? ` (failed to boot: ${failed.join(', ')})` : ''),
  );

  let stopped = false;
  return {
    async handle(req, res, rawPath) {
      const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
      const name = path.split('?')[0]!.split('/')[1] ?? '';
      const entry = stopped ? undefined : processes.get(name);
      if (!entry) return sendText(res, 404, 'Function not found');

      if (entry.verifyJwt) {
        const refusal = checkFunctionJwt(req.method, req.headers.authorization, opts.jwtSecret);
        if (refusal) return sendJson(res, refusal.status, refusal.body);
      }

      if (!(await entry.proc.ready())) {
        return sendJson(res, 503, { code: 'BOOT_ERROR', message: 'Function failed to start (please check logs)' });
      }
      await proxy(entry.proc, req, res, path, wallClockMs, log);
    },
    async stop() {
      stopped = true;
      process.removeListener('exit', killAll);
      await Promise.all([...processes.values()].map(({ proc }) => proc.stop()));
    },
  };
}
