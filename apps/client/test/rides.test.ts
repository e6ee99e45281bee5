// The Rides messages (i18n/rides/*.json, loaded with the ride pages); their place in the bundle: rides-bundle.test.ts.
import { RIDE_STEPS, VEHICLE_TYPES } from '@ecom/domain/rides';
import { describe, expect, it } from 'vitest';
import fr from '../src/i18n/fr.json';
import ridesEn from '../src/i18n/rides/en.json';
import ridesFr from '../src/i18n/rides/fr.json';

type Tree = { [key: string]: Tree | string | string[] };

const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && !Array.isArray(v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
const get = (tree: Tree, path: string): unknown =>
  path.split('.').reduce<unknown>((node, k) => (node as Tree | undefined)?.[k], tree);

describe('ride messages', () => {
  it('has every ride message in both languages, and none that the main catalogue already has', () => {
    expect(keys(ridesEn as Tree).sort()).toEqual(keys(ridesFr as Tree).sort());
    const main = new Set(keys(fr as Tree));
    expect(keys(ridesFr as Tree).filter((k) => main.has(k))).toEqual([]);
  });

  it('names every ride status (steps and list) and every vehicle type @ecom/domain knows', () => {
    for (const status of [...RIDE_STEPS, 'cancelled', 'expired']) {
      for (const tree of [ridesFr, ridesEn] as Tree[]) {
        expect(typeof get(tree, `rides.step.${status}`), status).toBe('string');
        expect(typeof get(tree, `rides.status.${status}`), status).toBe('string');
      }
    }
    for (const v of VEHICLE_TYPES) {
      expect(typeof get(ridesFr as Tree, `rides.vehicles.${v}`)).toBe('string');
      expect(typeof get(ridesEn as Tree, `rides.vehicles.${v}`)).toBe('string');
    }
  });

  it('says "prix fixe" for a neighbourhood fare', () => {
    expect(get(ridesFr as Tree, 'rides.fixed')).toBe('prix fixe');
  });
});
