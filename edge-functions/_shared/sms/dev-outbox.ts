// Local stand-in for an SMS gateway: appends the message to the dev outbox the local stack serves at
// `${SUPABASE_URL}/_dev/sms`, where tests and developers read the codes. Never used outside a local stack.
import { type FetchLike, requestText, SmsError, type SmsMessage, type SmsProvider } from './provider.ts';

export interface DevOutboxOptions {
  supabaseUrl: string;
  /** The service-role JWT: the outbox only accepts writes from the service role. */
  serviceRoleKey: string;
  timeoutMs?: number;
  fetch?: FetchLike;
}

export function createDevOutboxProvider(options: DevOutboxOptions): SmsProvider {
  const name = 'dev-outbox';
  if (!options.supabaseUrl || !options.serviceRoleKey) {
    throw new SmsError('config', name, 'SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are required');
  }
  const url = `${options.supabaseUrl.replace(/\/+$/, '')}/_dev/sms`;
  const timeoutMs = options.timeoutMs ?? 3500;
  const fetchImpl = options.fetch ?? fetch;

  return {
    name,
    async send(message: SmsMessage) {
      const { status, text } = await requestText(
        name,
        fetchImpl,
        url,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${options.serviceRoleKey}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify({ phone: message.to, body: message.text }),
        },
        timeoutMs,
      );
      if (status < 200 || status >= 300) {
        throw new SmsError('http', name, `The dev outbox answered HTTP ${status}`, { status });
      }
      let id: unknown;
      try {
        const parsed = JSON.parse(text || '{}');
        id = parsed?.id ?? parsed?.message?.id;
      } catch {
        // The outbox accepted the message; an unreadable body only costs us the id.
      }
      return { messageId: typeof id === 'string' || typeof id === 'number' ? String(id) : crypto.randomUUID() };
    },
  };
}
