// Sign in by SMS code, the logic without the looks (the staff apps' SignInPage.vue and the admin dashboard's page):
// the number (+225 or +228, parsed by @ecom/domain), then the 6-digit code, each refusal turned into the app's
// `auth.errors.*` / `phone.*` message, the resend countdown. The page decides where to go once signed in.
import { parsePhone, PHONE_PLANS } from '@ecom/domain';
import type { SupabaseClient } from '@supabase/supabase-js';
import { onBeforeUnmount, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { signInProblem } from './auth-errors.ts';
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

  function showAuthError(e: unknown): void {
    const problem = signInProblem(e, online.value);
    error.value = t(`auth.errors.${problem.key}`, { seconds: problem.seconds ?? 0 });
    if (problem.seconds) countdown(problem.seconds);
  }

  async function sendCode(): Promise<void> {
    const parsed = parsePhone(phoneText.value, 'CI');
    if (!parsed.ok) {
      const plan = PHONE_PLANS.CI;
      error.value = t(`phone.${parsed.reason}`, { length: plan.nationalLength, example: plan.example });
      return;
    }
    busy.value = true;
    error.value = null;
    const { error: e } = await auth.signInWithOtp({ phone: parsed.e164 });
    busy.value = false;
    if (e) return showAuthError(e);
    e164.value = parsed.e164;
    step.value = 'code';
    code.value = '';
    countdown(60);
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
    if (e) return showAuthError(e);
    await onSignedIn();
  }

  /** Keeps the digits (6 at most) and sends the code once complete. */
  function codeTyped(value: string): void {
    code.value = value.replace(/\D/g, '').slice(0, 6);
    error.value = null;
    if (code.value.length === 6) void verify();
  }

  return { phoneText, code, step, e164, busy, error, resendIn, sendCode, verify, codeTyped };
}
