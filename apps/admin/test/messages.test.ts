// French and English say the same things: every message key exists in both, with the same placeholders.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: string | Tree };
const load = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../src/i18n/${lang}.json`, import.meta.url), 'utf8')) as Tree;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the dashboard’s messages', () => {
  const fr = flatten(load('fr'));
  const en = flatten(load('en'));

  it('has every key in both languages', () => {
    expect([...en.keys()].sort()).toEqual([...fr.keys()].sort());
  });

  it('uses the same placeholders in both', () => {
    for (const [key, text] of fr) expect([key, placeholders(en.get(key) ?? '')]).toEqual([key, placeholders(text)]);
  });
});
