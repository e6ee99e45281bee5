// `npm run demo`: the whole platform on this machine for a demo. Starts the local stack from the migrations and the
// Tiassalé seed (a fresh database each time; `--keep` keeps the last one), then the Vite dev server of every app
// present in apps/ on its fixed port (client 5173, merchant 5174, courier 5175, admin 5176 once apps/admin exists),
// all pointed at the stack, and prints which URL to open for whom and which test number signs them in.
// `--apps client,merchant` starts only those apps. Other arguments go to the stack (`npm run demo -- --port 55321
// --db-port 55322` runs beside another stack). Ctrl-C stops everything; if one part stops, the rest is stopped too.
// `npm run dev` is this script with `--keep --apps client`: the stack with its data and the customer app.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The apps a demo can run, their dev port and who signs in on them (seed/040_demo_accounts.sql, code 123456). */
const DEMO_APPS = [
  { app: 'client', port: 5173, who: 'customer', phone: '+225 07 00 00 01 01 (Aya Kouassi)' },
  { app: 'merchant', port: 5174, who: 'merchant', phone: '+225 07 00 00 01 11 (Awa Traoré, Maquis Chez Tantie Awa)' },
  { app: 'courier', port: 5175, who: 'courier', phone: '+225 07 00 00 02 05 (Jean-Marc Yao, moto)' },
  { app: 'admin', port: 5176, who: 'admin', phone: '+225 07 00 00 01 20 (Admin Ecom)' },
] as const;

const argv = process.argv.slice(2);
const keep = argv.includes('--keep');
const appsArg = argv.indexOf('--apps');
const only = appsArg >= 0 ? (argv[appsArg + 1] ?? '').split(',') : null;
const stackArgs = argv.filter((a, i) => a !== '--keep' && (appsArg < 0 || (i !== appsArg && i !== appsArg + 1)));
if (!keep && !stackArgs.includes('--reset')) stackArgs.push('--reset');
const portArg = stackArgs.indexOf('--port');
const apiPort = portArg >= 0 ? Number(stackArgs[portArg + 1]) : 54321;
const apiUrl = `http://127.0.0.1:${apiPort}`;
const present = DEMO_APPS.filter(
  (a) => existsSync(`${root}apps/${a.app}/package.json`) && (only === null || only.includes(a.app)),
);

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGINT');
  setTimeout(() => process.exit(code), 15_000).unref();
  void Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() =>
    process.exit(code),
  );
}

function run(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, quiet = false): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, ...env },
  });
  child.once('exit', (code) => {
    if (!stopping) console.error(`[demo] ${name} stopped (${code ?? 'signal'}); stopping the rest`);
    stopAll(code ?? 1);
  });
  children.push(child);
  return child;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stopAll(0));

run('stack', [`${root}packages/local-stack/src/cli.ts`, ...stackArgs], root);

// The apps start once the stack answers, so their first requests do not fail.
for (let i = 0; i < 600 && !stopping; i += 1) {
  const up = await fetch(`${apiUrl}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  await new Promise((r) => setTimeout(r, 500));
}

if (!stopping) {
  for (const a of present) {
    // --strictPort: a port already taken stops the demo with Vite's message instead of moving the app elsewhere.
    run(
      a.app,
      [`${root}node_modules/vite/bin/vite.js`, '--port', String(a.port), '--strictPort', '--host', '127.0.0.1'],
      `${root}apps/${a.app}`,
      { VITE_SUPABASE_URL: apiUrl },
      true,
    );
  }
  // Say where to go once every dev server answers.
  for (const a of present) {
    for (let i = 0; i < 240 && !stopping; i += 1) {
      const up = await fetch(`http://127.0.0.1:${a.port}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  if (!stopping) {
    console.log('\nEcom demo is running. Sign in with the number below and the code 123456.\n');
    for (const a of present) {
      console.log(`  ${a.who.padEnd(9)} http://127.0.0.1:${a.port}/   ${a.phone}`);
    }
    const missing = DEMO_APPS.filter((a) => !present.includes(a) && only === null);
    for (const a of missing) console.log(`  ${a.who.padEnd(9)} (apps/${a.app} is not in this checkout)`);
    console.log(`\n  stack     ${apiUrl}   (SMS outbox ${apiUrl}/_dev/sms)\n\nPress Ctrl-C to stop.`);
  }
}
