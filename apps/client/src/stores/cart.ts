// The cart spans pages and survives reloads (localStorage). Rules and totals come from @ecom/domain.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import {
  addLine,
  cartItemCount,
  cartSubtotal,
  emptyCart,
  reviveCart,
  setQuantity as withQuantity,
  type AddLineResult,
  type Cart,
  type CartLine,
  type CartStore,
} from '@ecom/domain';

const KEY = 'ecom.cart.v1';

function load(): Cart {
  try {
    return reviveCart(JSON.parse(localStorage.getItem(KEY) ?? 'null'));
  } catch {
    return emptyCart();
  }
}

export const useCartStore = defineStore('cart', () => {
  const cart = ref<Cart>(load());
  watch(cart, (value) => localStorage.setItem(KEY, JSON.stringify(value)), { deep: true });
  // Another tab changed the cart: follow it.
  globalThis.addEventListener?.('storage', (e: StorageEvent) => {
    if (e.key === KEY) cart.value = load();
  });

  const subtotal = computed(() => cartSubtotal(cart.value));
  const count = computed(() => cartItemCount(cart.value));

  /** Adds a line; refused with `other_store` when the cart holds another store's items. */
  function add(store: CartStore, line: Omit<CartLine, 'key'>): AddLineResult {
    const result = addLine(cart.value, store, line);
    if (result.ok) cart.value = result.cart;
    return result;
  }

  /** Empties the cart, then adds the line (after "vider le panier ?"). */
  function replaceWith(store: CartStore, line: Omit<CartLine, 'key'>): void {
    const result = addLine(emptyCart(), store, line);
    if (result.ok) cart.value = result.cart;
  }

  function setQuantity(key: string, quantity: number): void {
    cart.value = withQuantity(cart.value, key, quantity);
  }

  function clear(): void {
    cart.value = emptyCart();
  }

  return { cart, subtotal, count, add, replaceWith, setQuantity, clear };
});
