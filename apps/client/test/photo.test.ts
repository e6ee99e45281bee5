// The pure rules of lib/photo.ts: which files may become a photo, and the size they are drawn at.
import { describe, expect, it } from 'vitest';
import { checkPhotoFile, MAX_ORIGINAL_BYTES, megabytes, photoTargetSize } from '../src/lib/photo.ts';

describe('checkPhotoFile', () => {
  it('accepts JPEG, PNG, WebP and HEIC pictures up to 10 MB', () => {
    for (const type of ['image/jpeg', 'image/png', 'image/webp', 'image/heic']) {
      expect(checkPhotoFile({ type, size: 3_000_000 })).toBeNull();
    }
    expect(checkPhotoFile({ type: 'image/jpeg', size: MAX_ORIGINAL_BYTES })).toBeNull();
  });

  it('refuses what is not a picture, SVG included', () => {
    expect(checkPhotoFile({ type: 'application/pdf', size: 1000 })).toBe('not_image');
    expect(checkPhotoFile({ type: '', size: 1000 })).toBe('not_image');
    expect(checkPhotoFile({ type: 'text/plain', size: 10 })).toBe('not_image');
    expect(checkPhotoFile({ type: 'image/svg+xml', size: 10 })).toBe('not_image');
  });

  it('refuses an original over 10 MB', () => {
    expect(checkPhotoFile({ type: 'image/jpeg', size: MAX_ORIGINAL_BYTES + 1 })).toBe('too_big');
  });

  it('writes sizes in MB with one decimal for the messages', () => {
    expect(megabytes(12.34 * 1024 * 1024)).toBe('12.3');
    expect(megabytes(11 * 1024 * 1024)).toBe('11');
  });
});

describe('photoTargetSize', () => {
  it('scales the longer side down to 800 px, keeping the proportions', () => {
    expect(photoTargetSize(4000, 3000)).toEqual({ width: 800, height: 600 });
    expect(photoTargetSize(3000, 4000)).toEqual({ width: 600, height: 800 });
    expect(photoTargetSize(1080, 1920)).toEqual({ width: 450, height: 800 });
  });

  it('never enlarges a small picture', () => {
    expect(photoTargetSize(640, 480)).toEqual({ width: 640, height: 480 });
    expect(photoTargetSize(800, 800)).toEqual({ width: 800, height: 800 });
  });

  it('keeps at least one pixel on a very thin picture, and takes another limit', () => {
    expect(photoTargetSize(10000, 3)).toEqual({ width: 800, height: 1 });
    expect(photoTargetSize(1000, 500, 200)).toEqual({ width: 200, height: 100 });
  });

  it('refuses an empty or broken size', () => {
    expect(() => photoTargetSize(0, 100)).toThrow(RangeError);
    expect(() => photoTargetSize(100, Number.NaN)).toThrow(RangeError);
  });
});
