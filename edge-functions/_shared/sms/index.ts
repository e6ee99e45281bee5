// Picks the SMS gateway from the environment:
//   SMS_PROVIDER=africastalking  AFRICASTALKING_USERNAME, AFRICASTALKING_API_KEY, [AFRICASTALKING_SENDER_ID],
//                                [AFRICASTALKING_BASE_URL]
//   SMS_PROVIDER=twilio          TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID,
//                                [TWILIO_BASE_URL]
//   SMS_PROVIDER=dev-outbox      the local stack's outbox (SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY)
//   unset                        dev-outbox when SUPABASE_URL is a local address, otherwise a configuration error
//                                (a deployed project must never silently drop codes).
import { createAfricasTalkingProvider } from './africastalking.ts';
import { createDevOutboxProvider } from './dev-outbox.ts';
import { createTwilioProvider } from './twilio.ts';
import { type FetchLike, SmsError, type SmsProvider } from './provider.ts';

export { type SmsMessage, type SmsProvider, SmsError, type SmsErrorKind } from './provider.ts';
export { createAfricasTalkingProvider } from './africastalking.ts';
export { createDevOutboxProvider } from './dev-outbox.ts';
export { createTwilioProvider } from './twilio.ts';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', 'host.docker.internal', 'kong']);

export function isLocalUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function smsProviderFromEnv(
  env: (name: string) => string | undefined,
  options: { fetch?: FetchLike; timeoutMs?: number } = {},
): SmsProvider {
  const supabaseUrl = env('SUPABASE_URL');
  const choice = env('SMS_PROVIDER') || (isLocalUrl(supabaseUrl) ? 'dev-outbox' : '');
  switch (choice) {
    case 'dev-outbox':
      return createDevOutboxProvider({
        supabaseUrl: supabaseUrl ?? '',
        serviceRoleKey: env('SUPABASE_SERVICE_ROLE_KEY') ?? '',
        ...options,
      });
    case 'africastalking':
      return createAfricasTalkingProvider({
        username: env('AFRICASTALKING_USERNAME') ?? '',
        apiKey: env('AFRICASTALKING_API_KEY') ?? '',
        ...(env('AFRICASTALKING_SENDER_ID') ? { senderId: env('AFRICASTALKING_SENDER_ID') } : {}),
        ...(env('AFRICASTALKING_BASE_URL') ? { baseUrl: env('AFRICASTALKING_BASE_URL') } : {}),
        ...options,
      });
    case 'twilio':
      return createTwilioProvider({
        accountSid: env('TWILIO_ACCOUNT_SID') ?? '',
        authToken: env('TWILIO_AUTH_TOKEN') ?? '',
        ...(env('TWILIO_FROM') ? { from: env('TWILIO_FROM') } : {}),
        ...(env('TWILIO_MESSAGING_SERVICE_SID') ? { messagingServiceSid: env('TWILIO_MESSAGING_SERVICE_SID') } : {}),
        ...(env('TWILIO_BASE_URL') ? { baseUrl: env('TWILIO_BASE_URL') } : {}),
        ...options,
      });
    case '':
      throw new SmsError('config', 'none', 'SMS_PROVIDER is not set and SUPABASE_URL is not local');
    default:
      throw new SmsError('config', choice, `Unknown SMS_PROVIDER "${choice}" (africastalking | twilio | dev-outbox)`);
  }
}
