// Sign in by SMS code, the logic without the looks (the staff apps' SignInPage.vue, the admin dashboard's page and the
// customer's AuthSignInPage): the number (+225 or +228, parsed by @ecom/domain; the customer's page parses its own,
// with a country choice, and calls sendCodeTo), then the 6-digit code, each refusal turned into the app's
// `auth.errors.*` / `phone.*` message, the resend countdown. The page decides where to go once signed in.
import { parsePhone, PHONE_PLANS } from '@ecom/domain';
import type { SupabaseClient } from '@supabase/supabase-js';
import { onBeforeUnmount, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { signInProblem, type SignInProblemKey } from './auth-errors.ts';
import { useOnline } from './online.ts';

export type SmsAuth = Pick<SupabaseClient['auth'], 'signInWithOtp' | 'verifyOtp'>;

export function useSmsSignIn(auth: SmsAuth, onSignedIn: () => Promise<void>) {
  const { t } = useI18n();
  const { online } = useOnline();
  const phoneText = ref('');
  const code = ref('');
  const step = ref<'phone' | 'code'>('phone');
  const e164 = ref('');
  const busy = ref(false);
  const error = ref<string | null>(null);
  const resendIn = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  onBeforeUnmount(() => clearInterval(timer));

  function countdown(seconds: number): void {
    resendIn.value = seconds;
    clearInterval(timer);
    timer = setInterval(() => {
      resendIn.value -= 1;
      if (resendIn.value <= 0) clearInterval(timer);
    }, 1000);
  }

  function showAuthError(e: unknown): SignInProblemKey {
    const problem = signInProblem(e, online.value);
    error.value = t(`auth.errors.${problem.key}`, { seconds: problem.seconds ?? 0 });
    if (problem.seconds) countdown(problem.seconds);
    return problem.key;
  }

  /** Sends a code to a number already parsed (E.164), then asks for the code. */
  async function sendCodeTo(phone: string): Promise<void> {
    busy.value = true;
    error.value = null;
    const { error: e } = await auth.signInWithOtp({ phone });
    busy.value = false;
    // Already sent a moment ago: the code in hand is still good, go (back) to the code step.
    if (e) {
      if (showAuthError(e) === 'rateLimited' && e164.value === phone) step.value = 'code';
      return;
    }
    e164.value = phone;
    step.value = 'code';
    code.value = '';
    countdown(60);
  }

  /** Sends a code to the number typed in `phoneText` (+225 unless it says +228). */
  async function sendCode(): Promise<void> {
    const parsed = parsePhone(phoneText.value, 'CI');
    if (!parsed.ok) {
      const plan = PHONE_PLANS.CI;
      error.value = t(`phone.${parsed.reason}`, { length: plan.nationalLength, example: plan.example });
      return;
    }
    await sendCodeTo(parsed.e164);
  }

  async function verify(): Promise<void> {
    const token = code.value.replace(/\D/g, '');
    if (token.length !== 6) {
      error.value = t('auth.errors.codeFormat');
      return;
    }
    busy.value = true;
    error.value = null;
    const { error: e } = await auth.verifyOtp({ phone: e164.value, token, type: 'sms' });
    busy.value = false;
    if (e) {
      showAuthError(e);
      return;
    }
    await onSignedIn();
  }

  /** Keeps the digits (6 at most) and sends the code once complete. */
  function codeTyped(value: string): void {
    code.value = value.replace(/\D/g, '').slice(0, 6);
    error.value = null;
    if (code.value.length === 6) void verify();
  }

  function changeNumber(): void {
    step.value = 'phone';
    error.value = null;
  }

  return { phoneText, code, step, e164, busy, error, resendIn, sendCode, sendCodeTo, verify, codeTyped, changeNumber };
}
