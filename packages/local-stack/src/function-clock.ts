// Clocks that call an Edge Function, the local stand-in for pg_cron + pg_net on Supabase (`net.http_post` from a
// scheduled job; docs/payments.md gives that SQL). Each clock POSTs `{}` to /functions/v1/<path> with the service
// role key every n seconds, one call at a time (a slow call delays the next one instead of piling up).
export interface FunctionClock {
  /** The path after /functions/v1, e.g. `payments/sweep`. */
  path: string;
  everySeconds: number;
}

export interface FunctionClocks {
  stop(): Promise<void>;
}

export function startFunctionClocks(options: {
  functionsUrl: string;
  serviceRoleKey: string;
  clocks: FunctionClock[];
  log: (line: string) => void;
}): FunctionClocks {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  let stopped = false;
  for (const clock of options.clocks.filter((c) => c.everySeconds > 0)) {
    let busy = false;
    const tick = (): void => {
      if (busy || stopped) return;
      busy = true;
      const call = fetch(`${options.functionsUrl}/${clock.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.serviceRoleKey}`, 'content-type': 'application/json' },
        body: '{}',
        signal: AbortSignal.timeout(60_000),
      })
        .then(async (res) => {
          const text = await res.text();
          if (!res.ok) options.log(`[clock] ${clock.path}: HTTP ${res.status} ${text.slice(0, 200)}`);
        })
        .catch((e: unknown) => {
          if (!stopped) options.log(`[clock] ${clock.path}: ${String(e)}`);
        })
        .finally(() => {
          busy = false;
          running.delete(call);
        });
      running.add(call);
    };
    timers.push(setInterval(tick, clock.everySeconds * 1000));
  }
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
