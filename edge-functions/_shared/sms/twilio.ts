// Twilio Programmable Messaging: form POST to /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP Basic auth
// (Account SID : Auth Token), To + From (or MessagingServiceSid) + Body. 201 answers the message resource
// ({sid, status: "queued" | "accepted"…}); errors answer {code, message, status} (21211 invalid To, 21610
// unsubscribed recipient…: refused for good).
import { type FetchLike, requestText, SmsError, type SmsMessage, type SmsProvider } from './provider.ts';

export const TWILIO_URL = 'https://api.twilio.com';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio number or alphanumeric sender id; or messagingServiceSid. */
  from?: string;
  messagingServiceSid?: string;
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: FetchLike;
}

export function createTwilioProvider(options: TwilioOptions): SmsProvider {
  const name = 'twilio';
  if (!options.accountSid || !options.authToken) {
    throw new SmsError('config', name, 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required');
  }
  if (!options.from && !options.messagingServiceSid) {
    throw new SmsError('config', name, 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required');
  }
  const base = (options.baseUrl || TWILIO_URL).replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const auth = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`;
  const timeoutMs = options.timeoutMs ?? 3500;
  const fetchImpl = options.fetch ?? fetch;

  return {
    name,
    async send(message: SmsMessage) {
      const form = new URLSearchParams({ To: message.to, Body: message.text });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else form.set('From', options.from!);
      const { status, text } = await requestText(
        name,
        fetchImpl,
        url,
        {
          method: 'POST',
          headers: {
            Authorization: auth,
            Accept: 'application/json',
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: form.toString(),
        },
        timeoutMs,
      );
      let body: { sid?: string; code?: number; message?: string; status?: string } = {};
      try {
        body = JSON.parse(text);
      } catch {
        throw new SmsError('http', name, `Twilio answered HTTP ${status} with a body that is not JSON`, { status });
      }
      if (status >= 200 && status < 300) {
        if (!body.sid) throw new SmsError('http', name, 'Twilio answered without a message sid', { status });
        if (body.status === 'failed' || body.status === 'undelivered') {
          throw new SmsError('rejected', name, `Twilio refused the message: ${body.status}`, { status });
        }
        return { messageId: body.sid };
      }
      if (status === 400 || status === 404) {
        throw new SmsError(
          'rejected',
          name,
          `Twilio refused the message: ${body.code ?? status} ${body.message ?? ''}`.trim(),
          {
            status,
          },
        );
      }
      throw new SmsError('http', name, `Twilio answered HTTP ${status}`, { status });
    },
  };
}
