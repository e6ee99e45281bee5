// Firebase Cloud Messaging HTTP v1: POST {base}/v1/projects/<project>/messages:send with an OAuth 2 access token
// (scope firebase.messaging). The token is either pre-issued (FCM_ACCESS_TOKEN) or obtained from a service account:
// a JWT assertion signed RS256 with WebCrypto, exchanged at its token_uri (grant jwt-bearer) and cached until a
// minute before it expires. Android and iOS (through APNs) both go through FCM.
import { signRs256 } from './jwt.ts';
import {
  exchange,
  type FetchLike,
  PushError,
  type PushMessage,
  type PushProvider,
  type PushTarget,
} from './provider.ts';

export const FCM_URL = 'https://fcm.googleapis.com';
const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
  token_uri?: string;
}

export interface FcmOptions {
  projectId?: string;
  /** A pre-issued OAuth access token; otherwise serviceAccount is required. */
  accessToken?: string;
  serviceAccount?: ServiceAccount;
  /** Default https://fcm.googleapis.com (tests: a local fake). */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
}

interface FcmErrorBody {
  error?: { status?: string; message?: string; details?: { errorCode?: string }[] };
}

export function createFcmProvider(options: FcmOptions): PushProvider {
  const name = 'fcm';
  const projectId = options.projectId || options.serviceAccount?.project_id;
  if (!projectId) throw new PushError('config', name, 'FCM_PROJECT_ID (or a service account) is required');
  if (!options.accessToken && !options.serviceAccount) {
    throw new PushError('config', name, 'FCM_ACCESS_TOKEN or FCM_SERVICE_ACCOUNT_JSON is required');
  }
  const url = `${(options.baseUrl || FCM_URL).replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(projectId)}/messages:send`;
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let cached: { token: string; until: number } | null = null;

  async function accessToken(): Promise<string> {
    if (options.accessToken) return options.accessToken;
    if (cached && cached.until > now()) return cached.token;
    const sa = options.serviceAccount!;
    const tokenUri = sa.token_uri || 'https://oauth2.googleapis.com/token';
    const iat = Math.floor(now() / 1000);
    const assertion = await signRs256(
      { iss: sa.client_email, scope: SCOPE, aud: tokenUri, iat, exp: iat + 3600 },
      sa.private_key,
      sa.private_key_id,
    );
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    const { status, text } = await exchange(
      name,
      fetchImpl,
      tokenUri,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() },
      timeoutMs,
    );
    let body: { access_token?: string; expires_in?: number } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // handled below
    }
    if (status !== 200 || !body.access_token) {
      throw new PushError('http', name, `the OAuth token endpoint answered HTTP ${status}`, { status });
    }
    cached = { token: body.access_token, until: now() + ((body.expires_in ?? 3600) - 60) * 1000 };
    return cached.token;
  }

  return {
    name,
    async send(target: PushTarget, message: PushMessage) {
      const data: Record<string, string> = { notification_id: message.id };
      for (const [k, v] of Object.entries(message.data)) data[k] = typeof v === 'string' ? v : JSON.stringify(v);
      const payload = {
        message: {
          token: target.token,
          notification: { title: message.title, body: message.body },
          data,
          android: { priority: 'HIGH', collapse_key: message.id },
          apns: { headers: { 'apns-priority': '10', 'apns-collapse-id': message.id.slice(0, 64) } },
        },
      };
      const { status, text } = await exchange(
        name,
        fetchImpl,
        url,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${await accessToken()}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(payload),
        },
        timeoutMs,
      );
      let body: FcmErrorBody & { name?: string } = {};
      try {
        body = JSON.parse(text);
      } catch {
        // an HTML error page: classified by status below
      }
      if (status >= 200 && status < 300) {
        if (!body.name) throw new PushError('http', name, 'FCM answered without a message name', { status });
        return { messageId: body.name };
      }
      const codes = [body.error?.status, ...(body.error?.details ?? []).map((d) => d.errorCode)];
      const why = `FCM answered HTTP ${status} ${body.error?.status ?? ''}`.trim();
      if (status === 401) cached = null;
      if (codes.includes('UNREGISTERED') || status === 404) throw new PushError('invalid_token', name, why, { status });
      if (status === 400 && /registration token/i.test(body.error?.message ?? '')) {
        throw new PushError('invalid_token', name, why, { status });
      }
      if (status === 429 || status >= 500 || status === 401) throw new PushError('http', name, why, { status });
      throw new PushError('rejected', name, why, { status });
    },
  };
}
