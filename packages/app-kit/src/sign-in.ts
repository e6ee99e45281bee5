// Signing in by SMS code, the part every app's sign-in page shares (the customer's own page and the staff apps'
// SignInPage.vue): send a code to a parsed number, the 6-digit code with its resend countdown, Auth errors in words
// (auth-errors.ts, the app's `auth.errors.*` messages), and where to go once signed in. Each page keeps its look and
// how it reads the number (the customer picks a country; the staff apps take +225 or a pasted +228).
import type { SupabaseClient } from '@supabase/supabase-js';
import { onBeforeUnmount, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import { signInProblem, type SignInProblemKey } from './auth-errors.ts';
import { useOnline } from './online.ts';

export interface SignInOptions {
  auth: Pick<SupabaseClient['auth'], 'signInWithOtp' | 'verifyOtp'>;
  /** Called once the code is accepted (e.g. the session store's init). */
  afterSignIn: () => Promise<void>;
  /** Where to go when the route gives no `redirect`. */
  home: string;
}

export function useSignIn(options: SignInOptions) {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const { online } = useOnline();

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

  /** Sends a code to a number the page has parsed (E.164), then asks for the code. */
  async function sendCode(phone: string): Promise<void> {
    busy.value = true;
    error.value = null;
    const { error: e } = await options.auth.signInWithOtp({ phone });
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

  async function verify(): Promise<void> {
    const token = code.value.replace(/\D/g, '');
    if (token.length !== 6) {
      error.value = t('auth.errors.codeFormat');
      return;
    }
    busy.value = true;
    error.value = null;
    const { error: e } = await options.auth.verifyOtp({ phone: e164.value, token, type: 'sms' });
    busy.value = false;
    if (e) {
      showAuthError(e);
      return;
    }
    await options.afterSignIn();
    const redirect =
      typeof route.query.redirect === 'string' && route.query.redirect.startsWith('/')
        ? route.query.redirect
        : options.home;
    await router.replace(redirect);
  }

  /** The code field: digits only, sent as soon as there are six. */
  function onCodeInput(event: Event): void {
    code.value = (event.target as HTMLInputElement).value.replace(/\D/g, '').slice(0, 6);
    error.value = null;
    if (code.value.length === 6) void verify();
  }

  function changeNumber(): void {
    step.value = 'phone';
    error.value = null;
  }

  return { code, step, e164, busy, error, resendIn, sendCode, verify, onCodeInput, changeNumber };
}
