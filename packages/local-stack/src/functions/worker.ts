// Deno bootstrap for one edge function (this file runs in Deno, not Node):
//   deno run --allow-all --no-prompt [--watch=<dir>] worker.ts <name> <entrypoint URL> <port> <watch 0|1> <parent pid>
// It gives plain Deno what Supabase's edge-runtime provides — `EdgeRuntime.waitUntil`, a `Deno.serve` that listens
// where the local stack routes requests (127.0.0.1:<port>, whatever options the function passes), and the
// `export default { fetch }` form — then imports the function. It talks to the parent over stdout marker lines.
// Typed against a minimal local view of the Deno API so Node's tsc can check this file too.
import { MARKERS } from './markers.ts';

type Handler = (request: Request, info: unknown) => Response | Promise<Response>;
type ServeOptions = Record<string, unknown> & {
  handler?: Handler;
  onListen?: (addr: unknown) => void;
  onError?: (error: unknown) => Response | Promise<Response>;
};
interface DenoApi {
  args: string[];
  serve: (...args: unknown[]) => unknown;
  pid: number;
  ppid: number;
  exit(code?: number): never;
  kill(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void;
  unrefTimer(id: number): void;
  addSignalListener(signal: 'SIGTERM', handler: () => void): void;
}
interface WorkerGlobal {
  Deno: DenoApi;
  EdgeRuntime?: unknown;
  addEventListener(type: string, listener: (event: Event & { reason?: unknown; error?: unknown }) => void): void;
}

const g = globalThis as unknown as WorkerGlobal;
const D = g.Deno;
const [name = '?', entrypoint = '', portArg = '', watchArg = '0', parentArg = ''] = D.args;
const port = Number(portArg);
const parentPid = Number(parentArg);
const watching = watchArg === '1';

console.log(MARKERS.starting);

// --- EdgeRuntime.waitUntil: background work that must finish even though the response has been sent. ---
const pending = new Set<Promise<unknown>>();
g.EdgeRuntime = {
  waitUntil<T>(promise: Promise<T>): Promise<T> {
    const tracked = Promise.resolve(promise).catch((error) => {
      console.error(`[${name}] EdgeRuntime.waitUntil task failed:`, error);
    });
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
    return promise;
  },
};

// A stray rejection or throw in one request must not take every other request down with the process.
g.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  console.error(`[${name}] unhandled promise rejection:`, event.reason);
});
g.addEventListener('error', (event) => {
  event.preventDefault();
  console.error(`[${name}] uncaught exception:`, event.error);
});

// Stopping: let background tasks finish (briefly), then die of the signal for real. Not under --watch: there
// Deno's watcher itself signals SIGTERM to the program before each reload (and Deno.exit would only end the run).
if (!watching) {
  const onSigterm = () => {
    const grace = new Promise((resolve) => setTimeout(resolve, 2000));
    void Promise.race([Promise.allSettled([...pending]), grace]).then(() => D.exit(0));
  };
  D.addSignalListener('SIGTERM', onSigterm);
}

// If the Node process dies without stopping us (crash, SIGKILL), we are re-parented: leave too, no orphans.
const parentCheck = setInterval(() => {
  if (D.ppid !== parentPid) D.kill(D.pid, 'SIGKILL');
}, 500);
D.unrefTimer(parentCheck as unknown as number);

// --- Deno.serve: every call shape, pinned to our address. ---
const originalServe = D.serve.bind(D);
let served = false;

const workerError = (error: unknown): Response => {
  console.error(`[${name}] request failed:`, error);
  return new Response(
    JSON.stringify({ code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' }),
    { status: 500, headers: { 'Content-Type': 'application/json' } },
  );
};

function serve(...args: unknown[]): unknown {
  let options: ServeOptions = {};
  let handler: Handler | undefined;
  if (typeof args[0] === 'function') {
    handler = args[0] as Handler;
  } else if (args[0] && typeof args[0] === 'object') {
    options = { ...(args[0] as ServeOptions) };
    handler = typeof args[1] === 'function' ? (args[1] as Handler) : options.handler;
  }
  if (!handler) throw new TypeError('Deno.serve() needs a handler');
  const { onListen, onError } = options;
  // A function serves HTTP on the address we route to: no TLS, no unix socket, no port of its own.
  for (const key of ['handler', 'path', 'cert', 'key', 'transport', 'port', 'hostname', 'onListen', 'onError']) {
    delete options[key];
  }
  const first = !served;
  served = true;
  if (!first) console.error(`[${name}] Deno.serve() called more than once; the extra server gets a random port`);
  return originalServe(
    {
      ...options,
      hostname: '127.0.0.1',
      port: first ? port : 0,
      onError: onError ?? workerError,
      onListen: (addr: unknown) => {
        if (first) console.log(MARKERS.ready);
        onListen?.(addr);
      },
    },
    handler,
  );
}
Object.defineProperty(D, 'serve', { value: serve, configurable: true, writable: true });

// --- Boot. ---
try {
  const mod = (await import(entrypoint)) as { default?: { fetch?: Handler } };
  if (!served) {
    const fetchHandler = mod.default?.fetch;
    if (typeof fetchHandler !== 'function') {
      throw new Error('the function neither called Deno.serve() nor exported default { fetch }');
    }
    serve((request: Request, info: unknown) => fetchHandler.call(mod.default, request, info));
  }
} catch (error) {
  console.error(`[${name}] failed to boot:`, error);
  console.log(MARKERS.bootError);
  // Under --watch the process stays up and Deno reloads on the next file change.
  if (!watching) D.exit(1);
}
