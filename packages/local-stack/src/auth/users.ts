// auth.users rows and the user JSON GoTrue returns (internal/models/user.go, identity.go): field names, omitted
// nulls, phone without "+", `confirmed_at` from the generated column.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export type Queryable = pg.Pool | pg.PoolClient;
export type Json = Record<string, unknown>;

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  email_confirmed_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  confirmed_at: Date | null;
  recovery_sent_at: Date | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  phone_change: string | null;
  phone_change_token: string | null;
  phone_change_sent_at: Date | null;
  reauthentication_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Date | null;
  updated_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

export const AUDIENCE = 'authenticated';

const iso = (d: Date | null): string | undefined => (d ? d.toISOString() : undefined);

/** The user object of GoTrue's JSON (`?` fields omitted when null). */
export function userJson(u: UserRow, identities: IdentityRow[]): Json {
  const out: Json = {
    id: u.id,
    aud: u.aud ?? '',
    role: u.role ?? '',
    email: u.email ?? '',
    email_confirmed_at: iso(u.email_confirmed_at),
    phone: u.phone ?? '',
    phone_confirmed_at: iso(u.phone_confirmed_at),
    confirmation_sent_at: iso(u.confirmation_sent_at),
    confirmed_at: iso(u.confirmed_at),
    recovery_sent_at: iso(u.recovery_sent_at),
    new_email: u.email_change || undefined,
    email_change_sent_at: iso(u.email_change_sent_at),
    new_phone: u.phone_change || undefined,
    phone_change_sent_at: iso(u.phone_change_sent_at),
    reauthentication_sent_at: iso(u.reauthentication_sent_at),
    last_sign_in_at: iso(u.last_sign_in_at),
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    banned_until: iso(u.banned_until),
    deleted_at: iso(u.deleted_at),
    is_anonymous: u.is_anonymous,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export function identityJson(i: IdentityRow): Json {
  const out: Json = {
    identity_id: i.id,
    id: i.provider_id,
    user_id: i.user_id,
    identity_data: i.identity_data,
    provider: i.provider,
    last_sign_in_at: iso(i.last_sign_in_at),
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
  };
  if (i.email) out.email = i.email;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export async function findUserById(db: Queryable, id: string, forUpdate = false): Promise<UserRow | undefined> {
  const r = await db.query<UserRow>(`select * from auth.users where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return r.rows[0];
}

export async function findUserByPhone(db: Queryable, phone: string, forUpdate = false): Promise<UserRow | undefined> {
  const r = await db.query<UserRow>(
    `select * from auth.users where phone = $1 and aud = $2 and deleted_at is null${forUpdate ? ' for update' : ''}`,
    [phone, AUDIENCE],
  );
  return r.rows[0];
}

export async function findUserByPhoneChange(
  db: Queryable,
  phone: string,
  forUpdate = false,
): Promise<UserRow | undefined> {
  const r = await db.query<UserRow>(
    `select * from auth.users where phone_change = $1 and aud = $2 and deleted_at is null
      order by phone_change_sent_at desc nulls last limit 1${forUpdate ? ' for update' : ''}`,
    [phone, AUDIENCE],
  );
  return r.rows[0];
}

export async function identitiesOf(db: Queryable, userId: string): Promise<IdentityRow[]> {
  const r = await db.query<IdentityRow>('select * from auth.identities where user_id = $1 order by created_at, id', [
    userId,
  ]);
  return r.rows;
}

export async function loadUserJson(db: Queryable, userId: string): Promise<Json> {
  const u = await findUserById(db, userId);
  if (!u) throw new Error(`user ${userId} vanished`);
  return userJson(u, await identitiesOf(db, userId));
}

/** Merges `updates` into `current`; a `null` value deletes the key (GoTrue's UpdateUserMetaData). */
export function mergeMetadata(current: Json | null, updates: Json): Json {
  const out: Json = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(updates)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** app_metadata.provider / providers after adding `provider` (first provider stays `provider`). */
export function withProvider(app: Json | null, provider: string): Json {
  const out: Json = { ...(app ?? {}) };
  const list = Array.isArray(out.providers) ? (out.providers as unknown[]).map(String) : [];
  if (!list.includes(provider)) list.push(provider);
  out.providers = list;
  if (typeof out.provider !== 'string' || !out.provider) out.provider = provider;
  return out;
}

export interface NewUser {
  id?: string;
  phone?: string | null;
  email?: string | null;
  passwordSql?: string | null;
  role?: string;
  userMetadata: Json;
  appMetadata: Json;
  phoneConfirmed: boolean;
  emailConfirmed?: boolean;
  bannedUntil?: Date | null;
}

/**
 * Inserts a user and its identities (phone and/or email), in the caller's transaction. The password, if any, is
 * hashed in SQL with pgcrypto's bcrypt.
 */
export async function insertUser(db: pg.PoolClient, n: NewUser): Promise<UserRow> {
  const id = n.id ?? randomUUID();
  let app: Json = { ...n.appMetadata };
  if (n.email) app = withProvider(app, 'email');
  if (n.phone) app = withProvider(app, 'phone');
  if (n.email && n.phone) app.provider = 'email';
  const r = await db.query<UserRow>(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, phone,
        phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at,
        confirmation_token, recovery_token, email_change_token_new, email_change, banned_until)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, $3, $4,
        case when $5::text is null then '' else extensions.crypt($5::text, extensions.gen_salt('bf')) end,
        case when $6 then now() end, $7, case when $8 then now() end, $9, $10, false, now(), now(),
        '', '', '', '', $11)
     returning *`,
    [
      id,
      AUDIENCE,
      n.role ?? AUDIENCE,
      n.email ?? null,
      n.passwordSql ?? null,
      n.emailConfirmed ?? false,
      n.phone ?? null,
      n.phoneConfirmed,
      app,
      n.userMetadata,
      n.bannedUntil ?? null,
    ],
  );
  const user = r.rows[0]!;
  if (n.email) {
    await db.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       values ($1::text, $3::uuid, $2, 'email', now(), now())`,
      [id, { sub: id, email: n.email, email_verified: false, phone_verified: false }, id],
    );
  }
  if (n.phone) {
    await db.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       values ($1::text, $3::uuid, $2, 'phone', now(), now())`,
      [id, { sub: id, phone: n.phone, email_verified: false, phone_verified: false }, id],
    );
  }
  return user;
}

export const isBanned = (u: UserRow): boolean => !!u.banned_until && u.banned_until.getTime() > Date.now();
