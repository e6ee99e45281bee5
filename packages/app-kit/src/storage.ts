// Short-lived links to private files (`<bucket>/<folder>/<file>`): Storage signs them when the bucket's policies let
// the signed-in person read the file. Null when refused or unreachable (the screen says the photo is unavailable).
import type { AppSupabase } from './supabase.ts';

export async function signedObjectUrl(
  client: Pick<AppSupabase, 'url' | 'anonKey' | 'accessToken'>,
  path: string,
  expiresInSeconds = 600,
): Promise<string | null> {
  const key = path.split('/').map(encodeURIComponent).join('/');
  const res = await fetch(`${client.url}/storage/v1/object/sign/${key}`, {
    method: 'POST',
    headers: {
      apikey: client.anonKey,
      Authorization: `Bearer ${(await client.accessToken()) ?? client.anonKey}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ expiresIn: expiresInSeconds }),
  }).catch(() => null);
  if (!res?.ok) return null;
  const body = (await res.json().catch(() => ({}))) as { signedURL?: string };
  return body.signedURL ? `${client.url}/storage/v1${body.signedURL}` : null;
}
