// Reads supabase/config.toml (the real Supabase CLI config) into the typed settings the local stand-ins use.
// `env(NAME)` values resolve from the process environment, then from supabase/.env, as the CLI does.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface FunctionConfig {
  name: string;
  enabled: boolean;
  verifyJwt: boolean;
  /** Absolute path of the entrypoint file. */
  entrypoint: string;
  importMap?: string;
}

export interface HookConfig {
  enabled: boolean;
  uri: string;
  /** Standard Webhooks secrets (`v1,whsec_…`), several separated by `|` in config.toml. */
  secrets: string[];
}

export interface BucketConfig {
  name: string;
  public: boolean;
  /** Bytes; undefined = the global [storage] file_size_limit. */
  fileSizeLimit?: number;
  allowedMimeTypes?: string[];
  /** Absolute folder whose files are uploaded to the bucket at start (CLI `objects_path`). */
  objectsPath?: string;
}

export interface StackConfig {
  projectId: string;
  supabaseDir: string;
  api: { port: number; schemas: string[]; extraSearchPath: string[]; maxRows: number };
  db: { port: number; majorVersion: number; seedEnabled: boolean; seedPaths: string[] };
  auth: {
    siteUrl: string;
    jwtExpiry: number;
    enableSignup: boolean;
    refreshTokenRotation: boolean;
    refreshTokenReuseInterval: number;
    rateLimit: { smsSent: number; tokenRefresh: number; signInSignUps: number; tokenVerifications: number };
    sms: {
      enabled: boolean;
      enableConfirmations: boolean;
      template: string;
      maxFrequencySeconds: number;
      otpLength: number;
      otpExpirySeconds: number;
      /** E.164 digits without "+" → fixed OTP. */
      testOtp: Record<string, string>;
    };
    hooks: { customAccessToken?: HookConfig; sendSms?: HookConfig };
  };
  storage: { enabled: boolean; fileSizeLimit: number; buckets: BucketConfig[] };
  realtime: { enabled: boolean };
  functions: FunctionConfig[];
}

/** Parses a CLI size such as "50MiB", "5MB", "500KB", "1GB" or a plain byte count. */
export function parseSize(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return fallback;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(value);
  if (!m) throw new Error(`config.toml: invalid size "${value}"`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const factor: Record<string, number> = {
    b: 1,
    kb: 1000,
    kib: 1024,
    mb: 1000 ** 2,
    mib: 1024 ** 2,
    gb: 1000 ** 3,
    gib: 1024 ** 3,
  };
  return Math.round(Number(m[1]) * factor[unit]!);
}

/** Parses a CLI duration such as "60s", "5m", "1h30m" into seconds. */
export function parseDuration(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return fallback;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let matched = '';
  for (const m of value.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n / 1000 : m[2] === 's' ? n : m[2] === 'm' ? n * 60 : n * 3600;
    matched += m[0];
  }
  if (matched !== value) throw new Error(`config.toml: invalid duration "${value}"`);
  return total;
}

export function parseEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 1) continue;
    const key = line
      .slice(0, eq)
      .trim()
      .replace(/^export\s+/, '');
    let val = line.slice(eq + 1).trim();
    if ((val.startsWith('"') && val.endsWith('"')) || (val.startsWith("'") && val.endsWith("'")))
      val = val.slice(1, -1);
    out[key] = val;
  }
  return out;
}

type Table = Record<string, unknown>;
const table = (v: unknown): Table => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : {});

export function loadConfig(
  supabaseDir = join(REPO_ROOT, 'supabase'),
  env: Record<string, string | undefined> = process.env,
): StackConfig {
  const fileEnv = parseEnvFile(join(supabaseDir, '.env'));
  const resolveEnv = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const m = /^env\((\w+)\)$/.exec(v.trim());
    if (!m) return v;
    return env[m[1]!] ?? fileEnv[m[1]!] ?? '';
  };
  const raw = parse(readFileSync(join(supabaseDir, 'config.toml'), 'utf8')) as Table;
  const api = table(raw.api);
  const db = table(raw.db);
  const seed = table(db.seed);
  const auth = table(raw.auth);
  const rate = table(auth.rate_limit);
  const sms = table(auth.sms);
  const hook = table(auth.hook);
  const storage = table(raw.storage);
  const realtime = table(raw.realtime);
  const fileSizeLimit = parseSize(storage.file_size_limit, 50 * 1024 ** 2);
  const buckets: BucketConfig[] = Object.entries(table(storage.buckets)).map(([name, v]) => {
    const b = table(v);
    return {
      name,
      public: b.public === true,
      ...(b.file_size_limit !== undefined ? { fileSizeLimit: parseSize(b.file_size_limit, fileSizeLimit) } : {}),
      ...(Array.isArray(b.allowed_mime_types) ? { allowedMimeTypes: b.allowed_mime_types.map(String) } : {}),
      ...(typeof b.objects_path === 'string' ? { objectsPath: resolve(supabaseDir, b.objects_path) } : {}),
    };
  });

  const hookOf = (v: unknown): HookConfig | undefined => {
    const h = table(v);
    if (h.enabled !== true) return undefined;
    const secrets = String(resolveEnv(h.secrets) ?? '')
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
    return { enabled: true, uri: String(h.uri ?? ''), secrets };
  };

  const testOtp: Record<string, string> = {};
  for (const [phone, otp] of Object.entries(table(sms.test_otp))) {
    testOtp[phone.replace(/[+\s]/g, '')] = String(otp);
  }

  const functions: FunctionConfig[] = Object.entries(table(raw.functions)).map(([name, v]) => {
    const f = table(v);
    return {
      name,
      enabled: f.enabled !== false,
      verifyJwt: f.verify_jwt !== false,
      entrypoint: resolve(supabaseDir, String(f.entrypoint ?? `./functions/${name}/index.ts`)),
      ...(typeof f.import_map === 'string' ? { importMap: resolve(supabaseDir, f.import_map) } : {}),
    };
  });

  return {
    projectId: String(raw.project_id ?? 'local'),
    supabaseDir,
    api: {
      port: Number(api.port ?? 54321),
      schemas: (api.schemas as string[] | undefined) ?? ['public', 'graphql_public'],
      extraSearchPath: (api.extra_search_path as string[] | undefined) ?? ['public', 'extensions'],
      maxRows: Number(api.max_rows ?? 1000),
    },
    db: {
      port: Number(db.port ?? 54322),
      majorVersion: Number(db.major_version ?? 17),
      seedEnabled: seed.enabled !== false,
      seedPaths: ((seed.sql_paths as string[] | undefined) ?? ['./seed.sql']).map((p) => resolve(supabaseDir, p)),
    },
    auth: {
      siteUrl: String(auth.site_url ?? 'http://127.0.0.1:3000'),
      jwtExpiry: Number(auth.jwt_expiry ?? 3600),
      enableSignup: auth.enable_signup !== false,
      refreshTokenRotation: auth.enable_refresh_token_rotation !== false,
      refreshTokenReuseInterval: Number(auth.refresh_token_reuse_interval ?? 10),
      rateLimit: {
        smsSent: Number(rate.sms_sent ?? 30),
        tokenRefresh: Number(rate.token_refresh ?? 150),
        signInSignUps: Number(rate.sign_in_sign_ups ?? 30),
        tokenVerifications: Number(rate.token_verifications ?? 30),
      },
      sms: {
        enabled: sms.enabled === true,
        enableConfirmations: sms.enable_confirmations === true,
        template: String(sms.template ?? 'Your code is {{ .Code }}'),
        maxFrequencySeconds: parseDuration(sms.max_frequency, 60),
        otpLength: Number(sms.otp_length ?? 6),
        otpExpirySeconds: Number(sms.otp_expiry ?? 60),
        testOtp,
      },
      hooks: {
        ...(hookOf(hook.custom_access_token) ? { customAccessToken: hookOf(hook.custom_access_token)! } : {}),
        ...(hookOf(hook.send_sms) ? { sendSms: hookOf(hook.send_sms)! } : {}),
      },
    },
    storage: { enabled: storage.enabled !== false, fileSizeLimit, buckets },
    realtime: { enabled: realtime.enabled !== false },
    functions,
  };
}
