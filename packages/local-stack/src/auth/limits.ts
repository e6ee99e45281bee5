// In-memory limits of the Auth stand-in. GoTrue's own: per-IP request buckets from [auth.rate_limit], the global
// `sms_sent` hourly budget and `[auth.sms] max_frequency` per number. Ours on top (documented in
// docs/local-stack.md): wrong-code attempts per number, a daily cap per number prefix and allowed countries.
// State lives in memory: a restart forgets it, exactly like GoTrue's in-process limiter.

/** Counts events per key in a sliding window. */
export class WindowCounter {
  private readonly hits = new Map<string, number[]>();
  readonly limit: number;
  readonly windowMs: number;
  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  private live(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** True when one more event would stay within the limit. */
  allows(key: string, now = Date.now()): boolean {
    return this.live(key, now).length < this.limit;
  }

  record(key: string, now = Date.now()): void {
    const list = this.live(key, now);
    list.push(now);
    this.hits.set(key, list);
  }

  /** Records the event when allowed; returns whether it was. */
  take(key: string, now = Date.now()): boolean {
    if (!this.allows(key, now)) return false;
    this.record(key, now);
    return true;
  }

  sweep(now = Date.now()): void {
    for (const key of [...this.hits.keys()]) this.live(key, now);
  }
}

export interface VerifyAttempts {
  wrong: number;
}

/** Everything the service limits, built from config + our extra limits. */
export class AuthLimits {
  readonly otpPerIp: WindowCounter;
  readonly verifyPerIp: WindowCounter;
  readonly refreshPerIp: WindowCounter;
  readonly smsSent: WindowCounter;
  readonly perPrefix: WindowCounter;
  readonly maxVerifyAttempts: number;
  readonly allowedCountryCodes: string[];
  /** Last time a code was sent to a number (ms), whatever the database says. */
  readonly lastSent = new Map<string, number>();
  /** Wrong codes entered for the number's current code. */
  readonly attempts = new Map<string, VerifyAttempts>();

  constructor(opts: {
    signInSignUps: number;
    tokenVerifications: number;
    tokenRefresh: number;
    smsSentPerHour: number;
    dailySendCapPerPrefix: number;
    maxVerifyAttempts: number;
    allowedCountryCodes: string[];
  }) {
    const fiveMinutes = 5 * 60_000;
    this.otpPerIp = new WindowCounter(opts.signInSignUps, fiveMinutes);
    this.verifyPerIp = new WindowCounter(opts.tokenVerifications, fiveMinutes);
    this.refreshPerIp = new WindowCounter(opts.tokenRefresh, fiveMinutes);
    this.smsSent = new WindowCounter(opts.smsSentPerHour, 3600_000);
    this.perPrefix = new WindowCounter(opts.dailySendCapPerPrefix, 24 * 3600_000);
    this.maxVerifyAttempts = opts.maxVerifyAttempts;
    this.allowedCountryCodes = opts.allowedCountryCodes;
  }

  /** A number's prefix for the daily cap: its first 6 digits (country code + operator block). */
  static prefixOf(phone: string): string {
    return phone.slice(0, 6);
  }

  /** A new code was sent: the wrong-attempt counter starts over. */
  codeSent(phone: string, now = Date.now()): void {
    this.lastSent.set(phone, now);
    this.attempts.delete(phone);
  }

  sweep(now = Date.now()): void {
    for (const c of [this.otpPerIp, this.verifyPerIp, this.refreshPerIp, this.smsSent, this.perPrefix]) c.sweep(now);
    for (const [phone, t] of this.lastSent) if (t < now - 24 * 3600_000) this.lastSent.delete(phone);
  }
}
