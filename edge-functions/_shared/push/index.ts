// Picks the push adapters from the environment:
//   android, ios  FCM HTTP v1: FCM_PROJECT_ID + FCM_ACCESS_TOKEN (pre-issued), or FCM_SERVICE_ACCOUNT_JSON (the
//                 service account's JSON key; project from it unless FCM_PROJECT_ID); [FCM_BASE_URL]
//   web           Web Push: VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY (base64url), VAPID_SUBJECT (mailto: / https:),
//                 [WEBPUSH_TTL_SECONDS], [WEBPUSH_ALLOWED_HOSTS] (comma-separated; replaces the known services)
// A platform without settings gets a provider that fails with a 'config' error (the delivery is retried, then
// failed, and the missing setting is in last_error), so one missing secret never blocks the other channels.
import { createFcmProvider, type ServiceAccount } from './fcm.ts';
import { type DevicePlatform, type FetchLike, PushError, type PushProvider } from './provider.ts';
import { createWebPushProvider } from './webpush.ts';

export * from './provider.ts';
export { createFcmProvider } from './fcm.ts';
export { createWebPushProvider, encryptPayload, parseSubscription } from './webpush.ts';

export type PushProviders = Record<DevicePlatform, PushProvider>;

function unconfigured(name: string, error: unknown): PushProvider {
  const message = error instanceof Error ? error.message : String(error);
  return {
    name,
    send: () => Promise.reject(new PushError('config', name, message)),
  };
}

export function pushProvidersFromEnv(
  env: (name: string) => string | undefined,
  options: { fetch?: FetchLike; timeoutMs?: number; now?: () => number } = {},
): PushProviders {
  let fcm: PushProvider;
  try {
    const saJson = env('FCM_SERVICE_ACCOUNT_JSON');
    let serviceAccount: ServiceAccount | undefined;
    if (saJson) {
      try {
        serviceAccount = JSON.parse(saJson);
      } catch {
        throw new PushError('config', 'fcm', 'FCM_SERVICE_ACCOUNT_JSON is not JSON');
      }
    }
    fcm = createFcmProvider({
      projectId: env('FCM_PROJECT_ID'),
      accessToken: env('FCM_ACCESS_TOKEN'),
      serviceAccount,
      baseUrl: env('FCM_BASE_URL'),
      ...options,
    });
  } catch (e) {
    fcm = unconfigured('fcm', e);
  }
  let web: PushProvider;
  try {
    const hosts = env('WEBPUSH_ALLOWED_HOSTS');
    web = createWebPushProvider({
      vapid: { publicKey: env('VAPID_PUBLIC_KEY') ?? '', privateKey: env('VAPID_PRIVATE_KEY') ?? '' },
      subject: env('VAPID_SUBJECT') ?? '',
      ...(env('WEBPUSH_TTL_SECONDS') ? { ttl: Number(env('WEBPUSH_TTL_SECONDS')) } : {}),
      ...(hosts
        ? {
            allowedHosts: hosts
              .split(',')
              .map((h) => h.trim())
              .filter(Boolean),
          }
        : {}),
      ...options,
    });
  } catch (e) {
    web = unconfigured('webpush', e);
  }
  return { android: fcm, ios: fcm, web };
}
