// Photos are made small on the phone before they leave it: a cheap phone's camera shot is 3–8 MB, a dish on a menu
// needs ≈ 100 KB. Scale the longest side down, re-encode as JPEG, lower the quality until it fits.

export interface CompressOptions {
  /** Longest side in pixels (default 1280). */
  maxSide?: number;
  /** Largest result in bytes (default 300 KB). */
  maxBytes?: number;
}

export class PhotoError extends Error {
  declare readonly code: 'not_an_image' | 'too_large';
  constructor(code: 'not_an_image' | 'too_large', message: string) {
    super(message);
    this.name = 'PhotoError';
    this.code = code;
  }
}

/** The size that keeps the proportions and fits within maxSide (never enlarges, keeps at least one pixel). */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new RangeError('a picture has a positive width and height');
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** JPEG qualities tried in turn until the photo fits. */
export const JPEG_QUALITIES = [0.82, 0.7, 0.58, 0.46, 0.35] as const;

/** Browser only: decodes the file, draws it scaled on a canvas and returns a JPEG within maxBytes. */
export async function compressPhoto(file: Blob, options: CompressOptions = {}): Promise<Blob> {
  const maxSide = options.maxSide ?? 1280;
  const maxBytes = options.maxBytes ?? 300_000;
  if (!file.type.startsWith('image/')) throw new PhotoError('not_an_image', `not an image: ${file.type}`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PhotoError('not_an_image', 'the file could not be read as an image');
  }
  const size = fitWithin(bitmap.width, bitmap.height, maxSide);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new PhotoError('not_an_image', 'no canvas');
  ctx.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  for (const quality of JPEG_QUALITIES) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob && blob.size <= maxBytes) return blob;
  }
  throw new PhotoError('too_large', `still above ${maxBytes} bytes at the lowest quality`);
}
