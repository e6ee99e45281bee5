// Phone numbers and one-time codes as GoTrue handles them (internal/api/phone.go, internal/crypto): numbers are
// stored without "+", codes are numeric and zero-padded, and only sha224_hex(phone + code) is kept.
import { createHash, randomInt } from 'node:crypto';
import { badRequest } from './http.ts';

const E164 = /^[1-9][0-9]{1,14}$/;

/** Strips a leading "+" and spaces, as GoTrue's formatPhoneNumber does. */
export const formatPhone = (phone: string): string => phone.trim().replace(/^\+/, '').replace(/\s/g, '');

/** Returns the stored form of a phone (digits, no "+") or throws 400 `validation_failed`. */
export function validatePhone(phone: unknown): string {
  const p = typeof phone === 'string' ? formatPhone(phone) : '';
  if (!E164.test(p)) throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)');
  return p;
}

/** Our own rule (not GoTrue's): only numbers from the countries we serve may receive codes. */
export function checkCountry(phone: string, allowedCountryCodes: string[]): void {
  if (!allowedCountryCodes.some((cc) => phone.startsWith(cc))) {
    throw badRequest('validation_failed', 'Phone number country is not supported');
  }
}

export const otpHash = (phone: string, otp: string): string =>
  createHash('sha224')
    .update(phone + otp)
    .digest('hex');

/** A uniformly random numeric code of `length` digits (zero-padded), like crypto.GenerateOtp. */
export function generateOtp(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += String(randomInt(10));
  return out;
}

/** Random refresh token in GoTrue's legacy format: 12 characters of [a-z0-9]. */
export function generateRefreshToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 12; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}
