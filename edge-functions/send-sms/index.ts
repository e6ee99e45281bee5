// Send SMS Auth hook (verify_jwt = false: Auth signs the call with Standard Webhooks instead of a JWT).
import { smsProviderFromEnv } from '../_shared/sms/index.ts';
import { parseSecrets } from '../_shared/standard-webhooks.ts';
import { createSendSmsHandler, parseCountryCodes } from './handler.ts';

const env = (name: string) => Deno.env.get(name);

const handler = createSendSmsHandler({
  secrets: parseSecrets(env('SEND_SMS_HOOK_SECRETS')),
  provider: smsProviderFromEnv(env),
  allowedCountryCodes: parseCountryCodes(env('SMS_ALLOWED_COUNTRY_CODES')),
});

Deno.serve(handler);
