// Photos taken on the phone, made small before they travel: checked (an image, at most 10 MB as picked), scaled so
// the longer side is at most 800 px, re-encoded as JPEG at 0.8 (a 4 MB camera photo becomes ≈ 100 KB). The pure
// rules (checkPhotoFile, photoTargetSize: app-kit's fitWithin at 800 px) are unit-tested; compressPhoto needs a
// browser (canvas). The staff apps' photos (@ecom/app-kit/photo) are larger and squeezed to a byte size instead.
import { fitWithin } from '@ecom/app-kit/photo';

export const MAX_ORIGINAL_BYTES = 10 * 1024 * 1024;
export const MAX_SIDE_PX = 800;
export const JPEG_QUALITY = 0.8;

export type PhotoRefusal = 'not_image' | 'too_big';

/** Why a picked file cannot be used as a photo, or null. SVG is refused: it is a document, not a picture. */
export function checkPhotoFile(file: { type: string; size: number }): PhotoRefusal | null {
  if (!/^image\//.test(file.type) || file.type === 'image/svg+xml') return 'not_image';
  if (file.size > MAX_ORIGINAL_BYTES) return 'too_big';
  return null;
}

/** The size to draw a width × height picture at so that its longer side is at most maxSide (never enlarged). */
export const photoTargetSize = (width: number, height: number, maxSide = MAX_SIDE_PX) =>
  fitWithin(width, height, maxSide);

/** The size in MB, one decimal, for messages ("12.3"). */
export const megabytes = (bytes: number) => (Math.round((bytes / (1024 * 1024)) * 10) / 10).toString();

export class PhotoError extends Error {
  declare readonly reason: PhotoRefusal | 'unreadable';
  constructor(reason: PhotoRefusal | 'unreadable') {
    super(reason);
    this.reason = reason;
  }
}

async function decode(file: Blob): Promise<{ image: CanvasImageSource; width: number; height: number; done(): void }> {
  if (typeof createImageBitmap === 'function') {
    // Honours the EXIF orientation of phone photos.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return { image: bitmap, width: bitmap.width, height: bitmap.height, done: () => bitmap.close() };
  }
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  await img.decode();
  return { image: img, width: img.naturalWidth, height: img.naturalHeight, done: () => URL.revokeObjectURL(url) };
}

/** Checks, scales and re-encodes a picked file; throws PhotoError with the reason to show. */
export async function compressPhoto(file: File, maxSide = MAX_SIDE_PX, quality = JPEG_QUALITY): Promise<Blob> {
  const refusal = checkPhotoFile(file);
  if (refusal) throw new PhotoError(refusal);
  let picture;
  try {
    picture = await decode(file);
  } catch {
    throw new PhotoError('unreadable');
  }
  try {
    const size = photoTargetSize(picture.width, picture.height, maxSide);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new PhotoError('unreadable');
    ctx.fillStyle = '#fff'; // transparent PNGs get a white background, not a black one
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.drawImage(picture.image, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (!blob) throw new PhotoError('unreadable');
    return blob;
  } catch (e) {
    throw e instanceof PhotoError ? e : new PhotoError('unreadable');
  } finally {
    picture.done();
  }
}
