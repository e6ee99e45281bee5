// The cart: one store at a time, lines of a product with its chosen options and a quantity, totals in whole FCFA.
// Line price = (product price + the chosen options' deltas) × quantity. The server recomputes every price when
// the order is placed; these rules are what the customer sees before, and they must agree.

export interface OptionChoice {
  id: string;
  name: string;
  price_delta_xof: number;
  available?: boolean;
}

export interface OptionGroupRule {
  id: string;
  name: string;
  min_selections: number;
  max_selections: number;
  options: readonly OptionChoice[];
}

export type SelectionRefusal = 'too_few' | 'too_many' | 'unknown_option' | 'unavailable_option';

export interface SelectionProblem {
  groupId: string | null;
  reason: SelectionRefusal;
  min?: number;
  max?: number;
}

/** Checks chosen option ids against each group's min / max, and that every id belongs to an available option. */
export function validateSelection(groups: readonly OptionGroupRule[], chosen: readonly string[]): SelectionProblem[] {
  const problems: SelectionProblem[] = [];
  const known = new Map<string, { group: OptionGroupRule; option: OptionChoice }>();
  for (const group of groups) for (const option of group.options) known.set(option.id, { group, option });
  for (const id of chosen) {
    const hit = known.get(id);
    if (!hit) problems.push({ groupId: null, reason: 'unknown_option' });
    else if (hit.option.available === false) problems.push({ groupId: hit.group.id, reason: 'unavailable_option' });
  }
  for (const group of groups) {
    const count = group.options.filter((o) => chosen.includes(o.id)).length;
    if (count < group.min_selections) {
      problems.push({ groupId: group.id, reason: 'too_few', min: group.min_selections, max: group.max_selections });
    } else if (count > group.max_selections) {
      problems.push({ groupId: group.id, reason: 'too_many', min: group.min_selections, max: group.max_selections });
    }
  }
  return problems;
}

/** At most 50 of one line: the server's limit (private.check_quantity), so a cart never holds what it refuses. */
export const MAX_QUANTITY = 50;

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new RangeError(`quantity must be a whole number from 1 to ${MAX_QUANTITY}, got ${quantity}`);
  }
}

/** (price + Σ deltas) × quantity, in whole FCFA. Throws on a fractional amount or a quantity out of range. */
export function linePrice(priceXof: number, deltasXof: readonly number[], quantity: number): number {
  checkQuantity(quantity);
  const unit = deltasXof.reduce((sum, d) => sum + d, priceXof);
  if (!Number.isSafeInteger(unit)) throw new RangeError(`an XOF amount is a whole number, got ${unit}`);
  return unit * quantity;
}

export interface CartLineOption {
  groupId: string;
  optionId: string;
  name: string;
  price_delta_xof: number;
}

export interface CartLine {
  /** Same product with the same options → same key → one line. */
  key: string;
  productId: string;
  name: string;
  price_xof: number;
  options: CartLineOption[];
  quantity: number;
}

export interface CartStore {
  id: string;
  name: string;
  slug: string;
}

export interface Cart {
  store: CartStore | null;
  lines: CartLine[];
}

export const emptyCart = (): Cart => ({ store: null, lines: [] });

export function lineKey(productId: string, optionIds: readonly string[]): string {
  return [productId, ...[...optionIds].sort()].join('|');
}

export const lineTotal = (line: CartLine): number =>
  linePrice(
    line.price_xof,
    line.options.map((o) => o.price_delta_xof),
    line.quantity,
  );

export const cartSubtotal = (cart: Cart): number => cart.lines.reduce((sum, line) => sum + lineTotal(line), 0);

export const cartItemCount = (cart: Cart): number => cart.lines.reduce((n, line) => n + line.quantity, 0);

/** `capped`: the line already held some and the sum went over MAX_QUANTITY, so it was kept at MAX_QUANTITY. */
export type AddLineResult =
  { ok: true; cart: Cart; capped: boolean } | { ok: false; reason: 'other_store'; store: CartStore };

/**
 * Adds a line. A cart holds one store: adding from another store is refused with the store that is in the cart,
 * so the app can ask "vider le panier ?". The same product with the same options adds to the existing line.
 */
export function addLine(cart: Cart, store: CartStore, line: Omit<CartLine, 'key'>): AddLineResult {
  if (cart.store && cart.store.id !== store.id && cart.lines.length > 0) {
    return { ok: false, reason: 'other_store', store: cart.store };
  }
  checkQuantity(line.quantity);
  const key = lineKey(
    line.productId,
    line.options.map((o) => o.optionId),
  );
  const existing = cart.lines.find((l) => l.key === key);
  const capped = !!existing && existing.quantity + line.quantity > MAX_QUANTITY;
  const lines = existing
    ? cart.lines.map((l) =>
        l.key === key ? { ...l, quantity: Math.min(MAX_QUANTITY, l.quantity + line.quantity) } : l,
      )
    : [...cart.lines, { ...line, key }];
  return { ok: true, cart: { store, lines }, capped };
}

/** Sets a line's quantity; 0 removes it, and an empty cart forgets its store. */
export function setQuantity(cart: Cart, key: string, quantity: number): Cart {
  if (quantity !== 0) checkQuantity(quantity);
  const lines =
    quantity === 0
      ? cart.lines.filter((l) => l.key !== key)
      : cart.lines.map((l) => (l.key === key ? { ...l, quantity } : l));
  return lines.length === 0 ? emptyCart() : { ...cart, lines };
}

/** A cart read back from storage, or an empty one when it is not a cart (old format, tampered, corrupt). */
export function reviveCart(value: unknown): Cart {
  if (typeof value !== 'object' || value === null) return emptyCart();
  const v = value as Partial<Cart>;
  if (!Array.isArray(v.lines) || v.lines.length === 0 || !v.store || typeof v.store.id !== 'string') return emptyCart();
  const valid = v.lines.every(
    (l) =>
      typeof l?.key === 'string' &&
      typeof l.productId === 'string' &&
      typeof l.name === 'string' &&
      Number.isSafeInteger(l.price_xof) &&
      Number.isInteger(l.quantity) &&
      l.quantity >= 1 &&
      l.quantity <= MAX_QUANTITY &&
      Array.isArray(l.options) &&
      l.options.every((o) => typeof o?.optionId === 'string' && Number.isSafeInteger(o.price_delta_xof)),
  );
  return valid ? { store: v.store, lines: v.lines } : emptyCart();
}
