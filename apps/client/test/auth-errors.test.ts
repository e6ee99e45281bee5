import { AuthApiError, AuthRetryableFetchError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { authProblem, waitSeconds } from '../src/lib/auth-errors.ts';

describe('authProblem', () => {
  it('reads a wrong or expired code', () => {
    expect(authProblem(new AuthApiError('Token has expired or is invalid', 403, 'otp_expired'), true)).toEqual({
      key: 'auth.errors.wrongCode',
    });
  });

  it('takes the wait from the rate-limit message for the resend countdown', () => {
    const e = new AuthApiError(
      'For security purposes, you can only request this after 42 seconds.',
      429,
      'over_sms_send_rate_limit',
    );
    expect(authProblem(e, true)).toEqual({ key: 'auth.errors.rateLimited', seconds: 42 });
    expect(waitSeconds('For security purposes, you can only request this after 1 second.')).toBe(1);
  });

  it('tells a project-wide SMS limit apart from the per-number wait', () => {
    expect(authProblem(new AuthApiError('SMS rate limit exceeded', 429, 'over_sms_send_rate_limit'), true)).toEqual({
      key: 'auth.errors.smsLimit',
    });
  });

  it('stops after too many wrong codes', () => {
    expect(
      authProblem(new AuthApiError('Too many attempts, request a new code', 429, 'over_request_rate_limit'), true),
    ).toEqual({
      key: 'auth.errors.tooManyAttempts',
    });
  });

  it('says offline when the phone is offline or the request never reached the server', () => {
    expect(authProblem(new AuthApiError('x', 500, 'unexpected_failure'), false)).toEqual({
      key: 'auth.errors.offline',
    });
    expect(authProblem(new AuthRetryableFetchError('Failed to fetch', 0), true)).toEqual({
      key: 'auth.errors.offline',
    });
  });

  it('refuses a number the server does not accept, and hides anything else behind a generic message', () => {
    expect(
      authProblem(new AuthApiError('Phone number country is not supported', 400, 'validation_failed'), true),
    ).toEqual({
      key: 'auth.errors.refused',
    });
    expect(authProblem(new Error('boom'), true)).toEqual({ key: 'auth.errors.unknown' });
  });
});
