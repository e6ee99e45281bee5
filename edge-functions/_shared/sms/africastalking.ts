// Africa's Talking bulk SMS API (supabase-protocols.md D.8): form POST to /version1/messaging with the `apiKey`
// header; the answer lists one entry per recipient in SMSMessageData.Recipients, statusCode 101 (Sent) or
// 100 (Processed) meaning accepted.
import { type FetchLike, requestText, SmsError, type SmsMessage, type SmsProvider } from './provider.ts';

export const AFRICASTALKING_LIVE_URL = 'https://api.africastalking.com';
export const AFRICASTALKING_SANDBOX_URL = 'https://api.sandbox.africastalking.com';

const ACCEPTED = new Set([100, 101]);

export interface AfricasTalkingOptions {
  username: string;
  apiKey: string;
  /** Registered alphanumeric sender id or short code; the account default when absent. */
  senderId?: string;
  /** Defaults to the sandbox for username "sandbox", else the live API. */
  baseUrl?: string;
  /** Per call; keep it under Auth's 5 s hook budget. */
  timeoutMs?: number;
  fetch?: FetchLike;
}

interface Recipient {
  statusCode?: number;
  status?: string;
  number?: string;
  messageId?: string;
}

export function createAfricasTalkingProvider(options: AfricasTalkingOptions): SmsProvider {
  const name = 'africastalking';
  if (!options.username || !options.apiKey) {
    throw new SmsError('config', name, 'AFRICASTALKING_USERNAME and AFRICASTALKING_API_KEY are required');
  }
  const base = (
    options.baseUrl || (options.username === 'sandbox' ? AFRICASTALKING_SANDBOX_URL : AFRICASTALKING_LIVE_URL)
  ).replace(/\/+$/, '');
  const url = `${base}/version1/messaging`;
  const timeoutMs = options.timeoutMs ?? 3500;
  const fetchImpl = options.fetch ?? fetch;

  return {
    name,
    async send(message: SmsMessage) {
      const form = new URLSearchParams({ username: options.username, to: message.to, message: message.text });
      if (options.senderId) form.set('from', options.senderId);
      const { status, text } = await requestText(
        name,
        fetchImpl,
        url,
        {
          method: 'POST',
          headers: {
            apiKey: options.apiKey,
            Accept: 'application/json',
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: form.toString(),
        },
        timeoutMs,
      );
      if (status < 200 || status >= 300) {
        throw new SmsError('http', name, `Africa's Talking answered HTTP ${status}`, { status });
      }
      let recipients: Recipient[] | undefined;
      try {
        recipients = JSON.parse(text)?.SMSMessageData?.Recipients;
      } catch {
        throw new SmsError('http', name, "Africa's Talking answered with a body that is not JSON", { status });
      }
      const first = Array.isArray(recipients) ? recipients[0] : undefined;
      if (!first) throw new SmsError('rejected', name, "Africa's Talking accepted no recipient", { status });
      if (typeof first.statusCode !== 'number' || !ACCEPTED.has(first.statusCode)) {
        throw new SmsError(
          'rejected',
          name,
          `Africa's Talking refused the recipient: ${first.statusCode ?? '?'} ${first.status ?? ''}`.trim(),
          { status },
        );
      }
      return { messageId: first.messageId || 'unknown' };
    },
  };
}
