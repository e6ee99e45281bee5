// Document photos waiting to reach Storage (bucket courier-documents), kept on the phone in IndexedDB so that a
// reload, a closed app or a lost connection loses nothing: a photo is put here, compressed, as soon as it is chosen;
// flush() uploads what is waiting (once the person holds the courier role: after rpc apply_as_courier) and forgets
// each photo only when Storage has it. An upload replaces a file of the same path, so sending twice is harmless.
import type { AppSupabase } from '@ecom/app-kit/supabase';

const DB = 'ecom-courier';
const STORE = 'document-photos';

export interface WaitingPhoto {
  /** `<user id>/<file>` inside the bucket. */
  path: string;
  blob: Blob;
  /** false until the application is sent: such photos wait for the courier role. */
  ready: boolean;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'path' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, act: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const keepPhoto = (photo: WaitingPhoto) => run('readwrite', (s) => s.put(photo)).then(() => undefined);
export const forgetPhoto = (path: string) => run('readwrite', (s) => s.delete(path)).then(() => undefined);
export const waitingPhotos = () => run<WaitingPhoto[]>('readonly', (s) => s.getAll());

/** Marks the photos of these paths as free to upload (the application was accepted). */
export async function releasePhotos(paths: readonly string[]): Promise<void> {
  for (const photo of await waitingPhotos()) {
    if (paths.includes(photo.path) && !photo.ready) await keepPhoto({ ...photo, ready: true });
  }
}

/** Forgets the photos of this person that were never released (replaced by another shot before sending). */
export async function dropUnreleased(userId: string): Promise<void> {
  for (const photo of await waitingPhotos()) {
    if (!photo.ready && photo.path.startsWith(`${userId}/`)) await forgetPhoto(photo.path);
  }
}

/** Uploads every released photo; those that fail stay for the next try. Returns the paths still waiting. */
export async function flushPhotos(client: Pick<AppSupabase, 'storage'>, userId: string): Promise<string[]> {
  const left: string[] = [];
  for (const photo of await waitingPhotos()) {
    if (!photo.path.startsWith(`${userId}/`)) continue;
    if (!photo.ready) {
      left.push(photo.path);
      continue;
    }
    try {
      await client.storage.upload('courier-documents', photo.path, photo.blob, photo.blob.type || 'image/jpeg');
      await forgetPhoto(photo.path);
    } catch {
      left.push(photo.path);
    }
  }
  return left;
}
