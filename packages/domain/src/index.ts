// @ecom/domain: pure business rules shared by the Vite apps and the Deno functions. No dependencies, no Node
// built-ins, relative imports with their .ts extension (Node, Vite and Deno all resolve them).
export * from './money.ts';
export * from './phone.ts';
export * from './store-status.ts';
export * from './cart.ts';
// checkout.ts and order.ts are imported by their own paths (`@ecom/domain/checkout`, `@ecom/domain/order`): only the
// order pages use them, and a re-export here would pull them into the apps' first screen.
