// Refusals of the operations part, as codes the pages turn into words (i18n `ops.errors.<code>`). The database
// refuses with stable codes (SQLSTATE EO<status>, message = the code: admin_only, reason_required…) or with its
// named CHECK constraints; both become an OpsError here, so a page never shows raw SQL.
export type OpsErrorCode =
  | 'admin_only'
  | 'staff_only'
  | 'forbidden'
  | 'amount_min'
  | 'percent_range'
  | 'cash_limit_max'
  | 'promo_percent'
  | 'promo_fixed'
  | 'promo_period'
  | 'promo_code'
  | 'duplicate'
  | 'network'
  | 'unknown'
  | (string & {});

export class OpsError extends Error {
  readonly code: OpsErrorCode;
  readonly detail: Record<string, unknown>;
  constructor(code: OpsErrorCode, detail: Record<string, unknown> = {}) {
    super(code);
    this.name = 'OpsError';
    this.code = code;
    this.detail = detail;
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
  details?: string | null;
}

function parseDetail(details: string | null | undefined): Record<string, unknown> {
  if (!details) return {};
  try {
    const v: unknown = JSON.parse(details);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The OpsError a PostgREST error stands for. */
export function opsError(error: PgLikeError): OpsError {
  const code = error.code ?? '';
  const message = error.message ?? '';
  if (/^EO\d{3}$/.test(code)) return new OpsError(message, parseDetail(error.details));
  if (code === '23514') {
    let m = /^(\w+) must be a whole number of FCFA of at least (\d+), got (-?\d+)/.exec(message);
    if (m) return new OpsError('amount_min', { field: m[1], min: Number(m[2]), got: Number(m[3]) });
    if (/_bps_range/.test(message)) return new OpsError('percent_range');
    if (/courier_cash_limits_limit_xof_max/.test(message)) return new OpsError('cash_limit_max');
    m = /^a percent promotion needs a value from 1 to 100, got (-?\d+)/.exec(message);
    if (m) return new OpsError('promo_percent', { got: Number(m[1]) });
    if (/^a fixed promotion needs a value/.test(message)) return new OpsError('promo_fixed');
    if (/^ends_at .* must be after starts_at/.test(message)) return new OpsError('promo_period');
    if (/promotions_code/.test(message)) return new OpsError('promo_code');
    return new OpsError('unknown', { message });
  }
  if (code === '23505') return new OpsError('duplicate');
  if (code === '42501') return new OpsError('forbidden');
  if (code === '' && /fetch|network/i.test(message)) return new OpsError('network');
  return new OpsError('unknown', { message });
}

/** Throws the OpsError of a PostgREST answer's error; returns its data otherwise. */
export function unwrap<T>(answer: { data: T | null; error: PgLikeError | null }): T {
  if (answer.error) throw opsError(answer.error);
  return answer.data as T;
}
