// `npm run dev` (root): the local stack and the client's Vite dev server together, the client pointed at the
// stack. Arguments go to the stack (`npm run dev -- --port 55321 --db-port 55322` runs beside another stack).
// Ctrl-C stops both; if either stops, the other is stopped too.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const client = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const apiPort = portArg >= 0 ? Number(args[portArg + 1]) : 54321;
const apiUrl = `http://127.0.0.1:${apiPort}`;

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGINT');
  setTimeout(() => process.exit(code), 10_000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() =>
    process.exit(code),
  );
}

function run(name: string, cmd: string, cmdArgs: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(cmd, cmdArgs, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  child.once('exit', (code) => {
    if (!stopping) console.error(`[dev] ${name} stopped (${code ?? 'signal'}); stopping the rest`);
    stopAll(code ?? 1);
  });
  children.push(child);
  return child;
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

run('stack', process.execPath, [`${root}packages/local-stack/src/cli.ts`, ...args], root);

// The client starts once the stack answers, so its first requests do not fail.
for (let i = 0; i < 600 && !stopping; i += 1) {
  const up = await fetch(`${apiUrl}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  await new Promise((r) => setTimeout(r, 500));
}
if (!stopping) {
  run('client', process.execPath, [`${root}node_modules/vite/bin/vite.js`], client, { VITE_SUPABASE_URL: apiUrl });
}
