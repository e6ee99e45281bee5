// The OTP (SMS code) limits are Auth configuration, not data: supabase/config.toml [auth.sms] and [auth.rate_limit]
// (on hosted Supabase: Dashboard → Authentication → Rate limits / Providers → Phone). The dashboard shows them
// read-only from the file it was built with (otp-config.ts), with where to change them; the wrong-code limits of
// deliveries and rides live in the database (private.check_job_code: the 5th wrong code locks the job's code).
export interface OtpLimit {
  key: string;
  value: string;
  /** The section of supabase/config.toml that holds it. */
  section: string;
}

const WANTED: Record<string, string[]> = {
  'auth.sms': ['max_frequency', 'otp_length', 'otp_expiry'],
  'auth.rate_limit': ['sms_sent', 'token_verifications', 'sign_in_sign_ups', 'token_refresh'],
};

/** Reads `key = value` lines of the wanted sections of a TOML text (strings unquoted). */
export function readOtpLimits(toml: string): OtpLimit[] {
  const out: OtpLimit[] = [];
  let section = '';
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const pair = /^([a-z_]+)\s*=\s*(.+)$/.exec(line);
    if (pair && WANTED[section]?.includes(pair[1]!)) {
      out.push({ section, key: pair[1]!, value: pair[2]!.replace(/^"(.*)"$/, '$1') });
    }
  }
  return out;
}
