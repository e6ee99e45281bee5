// The edge functions (docs/API.md) as the client calls them: @ecom/app-kit/functions (timeout, the person's token,
// Accept-Language so refusals come back in the language on screen, one FunctionError). `orders` here; `rides`
// (lib/rides.ts) and `payments` (lib/payments-api.ts) go the same way.
import { createFunctionCaller, FunctionError, type FunctionCallInit } from '@ecom/app-kit/functions';
import { i18n } from '../i18n/index.ts';
import { supabase } from './supabase.ts';

export { FunctionError, type FunctionCallInit };

/** Any Edge Function with the same conventions (`orders`, `payments`…): same envelope, same failure kinds. */
export const functionCall = createFunctionCaller({ ...supabase, locale: () => i18n.global.locale.value });

export function ordersCall<T>(path: string, init: FunctionCallInit = {}): Promise<T> {
  return functionCall<T>('orders', path, init);
}

/** The server's own words when it refused (shown as they are), else null: no answer, or not one of ours. */
export function refusalMessage(e: unknown): string | null {
  return e instanceof FunctionError && e.kind === 'refused' ? e.message : null;
}
