import { describe, expect, it } from 'vitest';
import { fitWithin, JPEG_QUALITIES } from '../src/photo.ts';

describe('fitWithin', () => {
  it('scales a landscape camera shot down to the longest side', () => {
    expect(fitWithin(4000, 3000, 1280)).toEqual({ width: 1280, height: 960 });
  });
  it('scales a portrait shot by its height', () => {
    expect(fitWithin(3000, 4000, 1280)).toEqual({ width: 960, height: 1280 });
  });
  it('never enlarges a small photo', () => {
    expect(fitWithin(640, 480, 1280)).toEqual({ width: 640, height: 480 });
  });
  it('refuses a picture without a size', () => {
    expect(() => fitWithin(0, 480, 1280)).toThrow(RangeError);
    expect(() => fitWithin(640, Number.NaN, 1280)).toThrow(RangeError);
  });
  it('tries lower qualities in decreasing order', () => {
    expect([...JPEG_QUALITIES].sort((a, b) => b - a)).toEqual([...JPEG_QUALITIES]);
  });
});
