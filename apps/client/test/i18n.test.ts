import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import fr from '../src/i18n/fr.json';

type Tree = { [key: string]: Tree | string | string[] };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && !Array.isArray(v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function get(tree: Tree, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (node as Tree | undefined)?.[k], tree);
}

describe('messages', () => {
  it('has every French key in English and nothing more', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(fr as Tree).sort());
  });

  it('has a message for every store status label @ecom/domain returns', () => {
    for (const key of ['open', 'openUntil', 'busyUntil', 'closed', 'opensAt', 'opensTomorrowAt', 'opensOn']) {
      expect(typeof get(fr as Tree, `storeStatus.${key}`)).toBe('string');
    }
  });

  it('has a message for every phone refusal parsePhone returns', () => {
    for (const reason of [
      'empty',
      'invalid_characters',
      'unsupported_country',
      'too_short',
      'too_long',
      'invalid_prefix',
    ]) {
      expect(typeof get(fr as Tree, `phone.${reason}`)).toBe('string');
      expect(typeof get(en as Tree, `phone.${reason}`)).toBe('string');
    }
  });

  it('names the seven weekdays from Monday (ISO 1) in both languages', () => {
    expect(fr.weekday.slice(1)).toHaveLength(7);
    expect(fr.weekday[1]).toBe('lundi');
    expect(en.weekday[7]).toBe('Sunday');
  });
});
