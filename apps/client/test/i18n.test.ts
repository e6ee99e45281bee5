import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import fr from '../src/i18n/fr.json';
import ordersEn from '../src/i18n/orders/en.json';
import ordersFr from '../src/i18n/orders/fr.json';

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

  it('has every order message in both languages, and none that the main catalogue already has', () => {
    expect(keys(ordersEn as Tree).sort()).toEqual(keys(ordersFr as Tree).sort());
    const main = new Set(keys(fr as Tree));
    expect(keys(ordersFr as Tree).filter((k) => main.has(k))).toEqual([]);
  });

  it('names every order status and every arrival estimate @ecom/domain returns', () => {
    for (const status of [
      'pending',
      'accepted',
      'preparing',
      'ready',
      'picked_up',
      'delivered',
      'rejected',
      'cancelled',
    ]) {
      expect(typeof get(ordersFr as Tree, `order.status.${status}`)).toBe('string');
      expect(typeof get(ordersEn as Tree, `order.status.${status}`)).toBe('string');
    }
    for (const kind of ['waiting_store', 'arrives_at', 'ready_at', 'scheduled']) {
      expect(typeof get(ordersFr as Tree, `order.eta.${kind}`)).toBe('string');
    }
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
