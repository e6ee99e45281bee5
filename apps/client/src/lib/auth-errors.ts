// Supabase Auth errors → what we tell the person. Codes: docs/local-stack.md "Limits" (same as Supabase Auth).
import { isAuthError } from '@supabase/supabase-js';

export type AuthProblem =
  | { key: 'auth.errors.wrongCode' }
  | { key: 'auth.errors.tooManyAttempts' }
  | { key: 'auth.errors.rateLimited'; seconds: number }
  | { key: 'auth.errors.smsLimit' }
  | { key: 'auth.errors.offline' }
  | { key: 'auth.errors.refused' }
  | { key: 'auth.errors.unknown' };

/** "For security purposes, you can only request this after 42 seconds." → 42. */
export function waitSeconds(message: string): number | null {
  const m = /after (\d+) seconds?/.exec(message);
  return m ? Number(m[1]) : null;
}

export function authProblem(error: unknown, online = navigator.onLine): AuthProblem {
  if (!online) return { key: 'auth.errors.offline' };
  if (!isAuthError(error)) return { key: 'auth.errors.unknown' };
  if (error.name === 'AuthRetryableFetchError' || error.status === 0) return { key: 'auth.errors.offline' };
  switch (error.code) {
    case 'otp_expired':
      return { key: 'auth.errors.wrongCode' };
    case 'over_request_rate_limit':
      return { key: 'auth.errors.tooManyAttempts' };
    case 'over_sms_send_rate_limit': {
      const seconds = waitSeconds(error.message);
      return seconds === null ? { key: 'auth.errors.smsLimit' } : { key: 'auth.errors.rateLimited', seconds };
    }
    case 'validation_failed':
    case 'sms_send_failed':
      return { key: 'auth.errors.refused' };
    default:
      return { key: 'auth.errors.unknown' };
  }
}
