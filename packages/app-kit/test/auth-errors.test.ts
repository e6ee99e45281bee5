import { AuthApiError, AuthRetryableFetchError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { secondsToWait, signInProblem } from '../src/auth-errors.ts';

describe('signInProblem', () => {
  it('says offline before anything else when the phone has no network', () => {
    expect(signInProblem(new AuthApiError('x', 400, 'otp_expired'), false)).toEqual({ key: 'offline' });
  });
  it('reads a wrong or expired code', () => {
    expect(signInProblem(new AuthApiError('Token has expired or is invalid', 403, 'otp_expired'), true)).toEqual({
      key: 'wrongCode',
    });
  });
  it('gives the seconds to wait before another SMS', () => {
    const e = new AuthApiError(
      'For security purposes, you can only request this after 42 seconds.',
      429,
      'over_sms_send_rate_limit',
    );
    expect(signInProblem(e, true)).toEqual({ key: 'rateLimited', seconds: 42 });
    expect(secondsToWait('For security purposes, you can only request this after 1 second.')).toBe(1);
  });
  it('tells a project-wide SMS limit apart from the per-number wait', () => {
    expect(signInProblem(new AuthApiError('SMS rate limit exceeded', 429, 'over_sms_send_rate_limit'), true)).toEqual({
      key: 'smsLimit',
    });
  });
  it('stops after too many wrong codes', () => {
    const e = new AuthApiError('Too many attempts, request a new code', 429, 'over_request_rate_limit');
    expect(signInProblem(e, true)).toEqual({ key: 'tooManyAttempts' });
  });
  it('refuses a number the server does not accept', () => {
    const e = new AuthApiError('Phone number country is not supported', 400, 'validation_failed');
    expect(signInProblem(e, true)).toEqual({ key: 'refused' });
  });
  it('treats a failed fetch as offline', () => {
    expect(signInProblem(new AuthRetryableFetchError('fetch failed', 0), true)).toEqual({ key: 'offline' });
    expect(signInProblem(new AuthApiError('x', 500, 'unexpected_failure'), false)).toEqual({ key: 'offline' });
  });
  it('does not invent a reason for something that is not an Auth error', () => {
    expect(signInProblem(new Error('boom'), true)).toEqual({ key: 'unknown' });
    expect(secondsToWait('no number here')).toBeNull();
  });
});
