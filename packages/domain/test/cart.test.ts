import { describe, expect, it } from 'vitest';
import {
  addLine,
  cartItemCount,
  cartSubtotal,
  emptyCart,
  linePrice,
  reviveCart,
  setQuantity,
  validateSelection,
  type CartLine,
  type OptionGroupRule,
} from '../src/cart.ts';

const tantieAwa = { id: 'store-1', name: 'Maquis Chez Tantie Awa', slug: 'maquis-chez-tantie-awa' };
const bandama = { id: 'store-2', name: 'Maquis Le Bandama', slug: 'maquis-le-bandama' };

function line(over: Partial<Omit<CartLine, 'key'>> = {}): Omit<CartLine, 'key'> {
  return { productId: 'poisson', name: 'Attiéké poisson braisé', price_xof: 2000, options: [], quantity: 1, ...over };
}
const capitaine = { groupId: 'g-poisson', optionId: 'capitaine', name: 'Capitaine', price_delta_xof: 1500 };

const groups: OptionGroupRule[] = [
  {
    id: 'g-poisson',
    name: 'Poisson',
    min_selections: 1,
    max_selections: 1,
    options: [
      { id: 'carpe', name: 'Carpe', price_delta_xof: 0 },
      { id: 'capitaine', name: 'Capitaine', price_delta_xof: 1500 },
    ],
  },
  {
    id: 'g-extras',
    name: 'Extras',
    min_selections: 0,
    max_selections: 2,
    options: [
      { id: 'oeuf', name: 'Œuf dur', price_delta_xof: 100 },
      { id: 'alloco', name: 'Alloco', price_delta_xof: 300 },
      { id: 'bissap', name: 'Bissap', price_delta_xof: 500, available: false },
    ],
  },
];

describe('linePrice', () => {
  it('adds the option deltas to the price, then multiplies by the quantity', () => {
    expect(linePrice(2000, [1500, 100], 2)).toBe(7200);
    expect(linePrice(500, [], 1)).toBe(500);
  });

  it('refuses quantities that are not 1 to 50 (the server’s limit) and fractional amounts', () => {
    expect(linePrice(500, [], 50)).toBe(25000);
    expect(() => linePrice(500, [], 0)).toThrow(RangeError);
    expect(() => linePrice(500, [], 1.5)).toThrow(RangeError);
    expect(() => linePrice(500, [], 51)).toThrow(RangeError);
    expect(() => linePrice(500.5, [], 1)).toThrow(RangeError);
  });
});

describe('validateSelection', () => {
  it('accepts a choice within every group’s min and max', () => {
    expect(validateSelection(groups, ['capitaine', 'oeuf', 'alloco'])).toEqual([]);
  });

  it('refuses a required group left empty', () => {
    expect(validateSelection(groups, [])).toEqual([{ groupId: 'g-poisson', reason: 'too_few', min: 1, max: 1 }]);
  });

  it('refuses more options than a group allows', () => {
    expect(validateSelection(groups, ['carpe', 'capitaine'])).toEqual([
      { groupId: 'g-poisson', reason: 'too_many', min: 1, max: 1 },
    ]);
  });

  it('refuses an option of another product and an unavailable one', () => {
    expect(validateSelection(groups, ['carpe', 'frites'])).toEqual([{ groupId: null, reason: 'unknown_option' }]);
    expect(validateSelection(groups, ['carpe', 'bissap'])).toEqual([
      { groupId: 'g-extras', reason: 'unavailable_option' },
    ]);
  });
});

describe('cart', () => {
  it('totals lines with their options', () => {
    let cart = emptyCart();
    const a = addLine(cart, tantieAwa, line({ options: [capitaine], quantity: 2 }));
    if (!a.ok) throw new Error('refused');
    const b = addLine(a.cart, tantieAwa, line({ productId: 'bissap', name: 'Jus de bissap', price_xof: 500 }));
    if (!b.ok) throw new Error('refused');
    cart = b.cart;
    expect(cartSubtotal(cart)).toBe(2 * 3500 + 500);
    expect(cartItemCount(cart)).toBe(3);
    expect(cart.store).toEqual(tantieAwa);
  });

  it('merges the same product with the same options into one line, whatever the option order', () => {
    const oeuf = { groupId: 'g-extras', optionId: 'oeuf', name: 'Œuf dur', price_delta_xof: 100 };
    const a = addLine(emptyCart(), tantieAwa, line({ options: [capitaine, oeuf] }));
    if (!a.ok) throw new Error('refused');
    const b = addLine(a.cart, tantieAwa, line({ options: [oeuf, capitaine] }));
    if (!b.ok) throw new Error('refused');
    expect(b.cart.lines).toHaveLength(1);
    expect(b.cart.lines[0]!.quantity).toBe(2);
    const c = addLine(b.cart, tantieAwa, line());
    if (!c.ok) throw new Error('refused');
    expect(c.cart.lines).toHaveLength(2);
  });

  it('keeps a merged line at 50 and says it was capped; below the limit nothing is capped', () => {
    const a = addLine(emptyCart(), tantieAwa, line({ quantity: 30 }));
    if (!a.ok) throw new Error('refused');
    expect(a.capped).toBe(false);
    const b = addLine(a.cart, tantieAwa, line({ quantity: 20 }));
    if (!b.ok) throw new Error('refused');
    expect([b.cart.lines[0]!.quantity, b.capped]).toEqual([50, false]);
    const c = addLine(b.cart, tantieAwa, line({ quantity: 1 }));
    if (!c.ok) throw new Error('refused');
    expect([c.cart.lines[0]!.quantity, c.capped]).toEqual([50, true]);
    expect(() => setQuantity(c.cart, c.cart.lines[0]!.key, 51)).toThrow(RangeError);
  });

  it('refuses a product of another store and names the store in the cart', () => {
    const a = addLine(emptyCart(), tantieAwa, line());
    if (!a.ok) throw new Error('refused');
    expect(addLine(a.cart, bandama, line({ productId: 'carpe' }))).toEqual({
      ok: false,
      reason: 'other_store',
      store: tantieAwa,
    });
  });

  it('changes quantities, and forgets the store when the last line goes', () => {
    const a = addLine(emptyCart(), tantieAwa, line());
    if (!a.ok) throw new Error('refused');
    const key = a.cart.lines[0]!.key;
    expect(cartSubtotal(setQuantity(a.cart, key, 3))).toBe(6000);
    expect(setQuantity(a.cart, key, 0)).toEqual(emptyCart());
    expect(() => setQuantity(a.cart, key, -1)).toThrow(RangeError);
    const b = addLine(setQuantity(a.cart, key, 0), bandama, line());
    expect(b.ok).toBe(true);
  });

  it('revives a stored cart and drops a corrupt or tampered one', () => {
    const a = addLine(emptyCart(), tantieAwa, line({ options: [capitaine] }));
    if (!a.ok) throw new Error('refused');
    expect(reviveCart(JSON.parse(JSON.stringify(a.cart)))).toEqual(a.cart);
    expect(reviveCart(null)).toEqual(emptyCart());
    expect(reviveCart('panier')).toEqual(emptyCart());
    expect(reviveCart({ store: tantieAwa, lines: [{ ...a.cart.lines[0], price_xof: 19.99 }] })).toEqual(emptyCart());
    expect(reviveCart({ store: tantieAwa, lines: [{ ...a.cart.lines[0], quantity: 0 }] })).toEqual(emptyCart());
  });
});
