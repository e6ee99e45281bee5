// One error for the dashboard's data layer: what went wrong (`code`: the server's code, e.g. `not_admin`,
// `document_expired`, `refund_exceeds_paid`), the server's own words when it wrote them for people (the edge
// functions answer in the language asked), and the details it gave. Pages turn it into words with describeError.
import { FunctionError } from '@ecom/app-kit/functions';

export type AdminErrorKind = 'refused' | 'timeout' | 'network';

export class AdminError extends Error {
  readonly kind: AdminErrorKind;
  readonly code: string;
  readonly status: number;
  /** The server's message meant for people (edge functions), or null (PostgREST: codes only). */
  readonly serverMessage: string | null;
  readonly details: Record<string, unknown>;

  constructor(
    kind: AdminErrorKind,
    code: string,
    opts: { status?: number; serverMessage?: string | null; details?: Record<string, unknown> } = {},
  ) {
    super(opts.serverMessage ?? code);
    this.name = 'AdminError';
    this.kind = kind;
    this.code = code;
    this.status = opts.status ?? 0;
    this.serverMessage = opts.serverMessage ?? null;
    this.details = opts.details ?? {};
  }
}

interface PostgrestLikeError {
  code?: string;
  message?: string;
  details?: string | null;
  hint?: string | null;
}

function parseDetails(details: string | null | undefined): Record<string, unknown> {
  if (!details) return {};
  try {
    const parsed: unknown = JSON.parse(details);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { text: details };
  } catch {
    return { text: details };
  }
}

/**
 * A PostgREST error → AdminError. Our functions raise their code as the message (`not_admin`, `document_expired`,
 * `documents_incomplete`…); a CHECK helper names the field (`delivery_base_fee_xof must be … at least 0`); a network
 * failure has no code.
 */
export function fromPostgrest(error: PostgrestLikeError): AdminError {
  const message = error.message ?? '';
  if (!error.code && /fetch|network/i.test(message)) return new AdminError('network', 'network');
  const details = parseDetails(error.details);
  if (error.code === '42501') return new AdminError('refused', 'not_admin', { status: 403, details });
  if (/^[a-z_]+$/.test(message)) return new AdminError('refused', message, { details });
  const field = /^(\w+) must be a whole number of FCFA of at least (\d+)/.exec(message);
  if (field) return new AdminError('refused', 'amount_too_small', { details: { field: field[1], minimum: field[2] } });
  return new AdminError('refused', error.code || 'unknown', { details: { ...details, text: message } });
}

/** A thrown FunctionError (edge functions) → AdminError with the server's words. */
export function fromFunction(e: unknown): AdminError {
  if (e instanceof AdminError) return e;
  if (e instanceof FunctionError) {
    return new AdminError(e.kind, e.code, { status: e.status, serverMessage: e.message, details: e.details });
  }
  return new AdminError('network', 'network', { serverMessage: null });
}

/** Throws the PostgREST error as an AdminError, else returns the data. */
export function unwrap<T>(result: { data: T | null; error: PostgrestLikeError | null }): T {
  if (result.error) throw fromPostgrest(result.error);
  return result.data as T;
}
