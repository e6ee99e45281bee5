// Phone sign-in (Supabase Auth, SMS code): an Auth error → the i18n key of what we tell the person, with the
// seconds to wait when the server names them. Codes: docs/local-stack.md "Limits" (the same as Supabase Auth).
import { isAuthError } from '@supabase/supabase-js';

export type SignInProblemKey =
  'wrongCode' | 'tooManyAttempts' | 'rateLimited' | 'smsLimit' | 'offline' | 'refused' | 'unknown';

export interface SignInProblem {
  /** Under the app's `auth.errors.` messages. */
  key: SignInProblemKey;
  /** Only with `rateLimited`. */
  seconds?: number;
}

/** "For security purposes, you can only request this after 42 seconds." → 42. */
export function secondsToWait(message: string): number | null {
  const m = /after (\d+) seconds?/.exec(message);
  return m ? Number(m[1]) : null;
}

export function signInProblem(error: unknown, online: boolean): SignInProblem {
  if (!online) return { key: 'offline' };
  if (!isAuthError(error)) return { key: 'unknown' };
  if (error.name === 'AuthRetryableFetchError' || error.status === 0) return { key: 'offline' };
  if (error.code === 'otp_expired') return { key: 'wrongCode' };
  if (error.code === 'over_request_rate_limit') return { key: 'tooManyAttempts' };
  if (error.code === 'validation_failed' || error.code === 'sms_send_failed') return { key: 'refused' };
  if (error.code === 'over_sms_send_rate_limit') {
    const seconds = secondsToWait(error.message);
    return seconds === null ? { key: 'smsLimit' } : { key: 'rateLimited', seconds };
  }
  return { key: 'unknown' };
}
