import assert from 'node:assert/strict';
import { hexDigestEquals, hmacSha256Hex, nationalNumber, requireWholeXof, xofFrom } from './adapter.ts';
import { referenceHmacHex } from './fake-fetch.ts';
import { PaymentError } from './provider.ts';

// RFC 4231, test case 2.
const RFC4231_KEY = 'Jefe';
const RFC4231_DATA = 'what do ya want for nothing?';
const RFC4231_MAC = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

Deno.test('both HMAC-SHA256 implementations give the RFC 4231 answer', async () => {
  assert.equal(await hmacSha256Hex(RFC4231_KEY, RFC4231_DATA), RFC4231_MAC);
  assert.equal(await referenceHmacHex(RFC4231_KEY, RFC4231_DATA), RFC4231_MAC);
});

Deno.test('hex digests compare in any case, never when malformed or of another length', () => {
  assert.equal(hexDigestEquals(RFC4231_MAC.toUpperCase(), RFC4231_MAC), true);
  assert.equal(hexDigestEquals(` ${RFC4231_MAC} `, RFC4231_MAC), true);
  assert.equal(hexDigestEquals(RFC4231_MAC.slice(0, -1) + '4', RFC4231_MAC), false);
  assert.equal(hexDigestEquals(RFC4231_MAC.slice(2), RFC4231_MAC), false);
  assert.equal(hexDigestEquals('g'.repeat(64), 'g'.repeat(64)), false);
  assert.equal(hexDigestEquals('', RFC4231_MAC), false);
});

Deno.test('XOF amounts: whole numbers in, whole numbers out', () => {
  assert.equal(xofFrom('p', '1500'), 1500);
  assert.equal(xofFrom('p', 1500), 1500);
  assert.equal(xofFrom('p', '1500.00'), 1500);
  assert.equal(xofFrom('p', undefined), undefined);
  for (const bad of ['1500.5', '-5', '1 500', 'abc', 12.5, true]) {
    assert.throws(
      () => xofFrom('p', bad),
      (e: unknown) => e instanceof PaymentError && e.kind === 'protocol',
    );
  }
  assert.equal(requireWholeXof('p', 100), 100);
  for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) {
    assert.throws(
      () => requireWholeXof('p', bad),
      (e: unknown) => e instanceof PaymentError && e.kind === 'rejected',
    );
  }
});

Deno.test('phone numbers must belong to the operator country', () => {
  assert.equal(nationalNumber('p', 'orange_ci', '2250700000101'), '0700000101');
  assert.equal(nationalNumber('p', 'moov_tg', '22890000101'), '90000101');
  for (const [operator, phone] of [
    ['orange_ci', '22890000101'],
    ['moov_tg', '2250700000101'],
    ['mtn_ci', '+2250700000101'],
    ['mtn_ci', '225'],
  ]) {
    assert.throws(
      () => nationalNumber('p', operator!, phone!),
      (e: unknown) => e instanceof PaymentError && e.kind === 'rejected',
    );
  }
});
