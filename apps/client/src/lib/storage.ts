// Private photos in Storage (buckets `avatars` and `address-photos`, objects under `<user id>/`), spoken to with
// fetch like the orders function: the Storage client of supabase-js would cost the first screen. Path columns hold
// `<bucket>/<user id>/<file>`; pictures are shown through short signed URLs (the buckets are not public).
import { accessToken, ANON_KEY, SUPABASE_URL } from './supabase.ts';

export type PhotoBucket = 'avatars' | 'address-photos';

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

async function storageFetch(path: string, init: RequestInit): Promise<Response> {
  const token = await accessToken();
  if (!token) throw new Error('not signed in');
  const headers = new Headers(init.headers);
  headers.set('apikey', ANON_KEY);
  headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(`${SUPABASE_URL}/storage/v1${path}`, {
    ...init,
    headers,
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`storage ${res.status}`);
  return res;
}

/** Uploads a JPEG under the person's folder; returns the path to save (`<bucket>/<user id>/<random>.jpg`). */
export async function uploadPhoto(bucket: PhotoBucket, userId: string, jpeg: Blob): Promise<string> {
  const key = `${userId}/${crypto.randomUUID()}.jpg`;
  await storageFetch(`/object/${bucket}/${encodeKey(key)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'image/jpeg', 'x-upsert': 'false', 'cache-control': 'max-age=31536000' },
    body: jpeg,
  });
  return `${bucket}/${key}`;
}

/** A signed URL to show a saved photo for an hour, or null when there is no path. */
export async function signedPhotoUrl(path: string | null | undefined, expiresIn = 3600): Promise<string | null> {
  if (!path) return null;
  const res = await storageFetch(`/object/sign/${encodeKey(path)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ expiresIn }),
  });
  const { signedURL } = (await res.json()) as { signedURL?: string };
  if (!signedURL) throw new Error('storage: no signed URL');
  return `${SUPABASE_URL}/storage/v1${signedURL}`;
}
