// `npm run stack`: starts the local stack in the foreground and prints what `supabase status` prints.
// Ctrl-C (or SIGTERM) stops every child process. Flags: --reset, --port N, --db-port N, --no-functions,
// --no-watch, --output pretty|env|json.
import { parseArgs } from 'node:util';
import { startStack, type Stack } from './index.ts';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    port: { type: 'string' },
    'db-port': { type: 'string' },
    'no-functions': { type: 'boolean', default: false },
    'no-watch': { type: 'boolean', default: false },
    output: { type: 'string', default: 'pretty' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run stack -- [--reset] [--port 54321] [--db-port 54322] [--no-functions] [--no-watch]
                       [--output pretty|env|json]
  --reset         throw the local database away and start from the migrations and seed again
  --port, --db-port   run beside another stack (its data lives in .stack/<port>)`);
  process.exit(0);
}

function portOf(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${flag} must be a port number (0-65535), got "${v}"`);
    process.exit(2);
  }
  return n;
}

export function statusLines(s: Stack): Array<[string, string]> {
  return [
    ['API URL', s.apiUrl],
    ['REST URL', s.restUrl],
    ['Functions URL', s.functionsUrl],
    ['DB URL', s.dbUrl],
    ['SMS outbox', `${s.apiUrl}/_dev/sms`],
    ['Sandbox pay URL', s.sandboxPayUrl],
    ['JWT secret', s.jwtSecret],
    ['anon key', s.anonKey],
    ['service_role key', s.serviceRoleKey],
    ['Publishable key', s.publishableKey],
    ['Secret key', s.secretKey],
  ];
}

function print(s: Stack, output: string): void {
  const lines = statusLines(s);
  if (output === 'json') {
    console.log(JSON.stringify(Object.fromEntries(lines.map(([k, v]) => [k.replace(/\W+/g, '_').toUpperCase(), v]))));
  } else if (output === 'env') {
    for (const [k, v] of lines) console.log(`${k.replace(/\W+/g, '_').toUpperCase()}="${v}"`);
  } else {
    console.log(`\nEcom local stack is running (started in ${s.startupMs} ms, data in ${s.stateDir}).\n`);
    const width = Math.max(...lines.map(([k]) => k.length));
    for (const [k, v] of lines) console.log(`${k.padStart(width)}: ${v}`);
    console.log('\nPress Ctrl-C to stop.');
  }
}

// Ctrl-C (or SIGTERM, SIGHUP) stops every child, also in the middle of starting: then the start finishes, the stack
// stops, and the process exits.
let stack: Stack | undefined;
let stopRequested = false;
const onSignal = (): void => {
  if (stopRequested) return;
  stopRequested = true;
  if (stack) void stack.stop().then(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

try {
  stack = await startStack({
    reset: values.reset,
    apiPort: portOf(values.port, '--port'),
    dbPort: portOf(values['db-port'], '--db-port'),
    functions: !values['no-functions'],
    watch: !values['no-watch'],
    notifyDrain: true,
    payoutSweep: true,
    log: (line) => console.error(line),
  });
} catch (e) {
  // startStack has already stopped whatever it had started.
  console.error(`\nThe stack did not start: ${(e as Error).message}`);
  process.exit(1);
}
if (stopRequested) {
  await stack.stop();
  process.exit(0);
}
print(stack, values.output ?? 'pretty');
