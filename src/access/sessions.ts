/** Console sessions (cookie + CSRF token) and API tokens for scripts; only hashes of their secrets are stored. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import type { Database } from '../store/schema.ts';
import { viewerOfUser } from './accounts.ts';
import { logAccess } from './audit.ts';
import type { Viewer } from './viewer.ts';

type Db = Kysely<Database>;

export const SESSION_HOURS = 12;
export type Scope = 'read' | 'write';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function createSession(
  db: Db,
  userId: string,
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = secret();
  const csrfToken = secret();
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_HOURS * 3600_000).toISOString();
  await db
    .insertInto('sessions')
    .values({
      token_hash: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/**
 * Principals resolved in the last two seconds, by hash of the credential: a busy client then
 * costs no log-in queries per request. Revoking or ending in this process clears it at once;
 * another process behind the same database sees a revocation within the TTL.
 */
const PRINCIPAL_TTL_MS = 2000;
const recent = new Map<string, { principal: Principal; until: number }>();

async function cached(key: string, resolve: () => Promise<Principal | null>): Promise<Principal | null> {
  const hit = recent.get(key);
  if (hit && hit.until > Date.now()) return hit.principal;
  const principal = await resolve();
  if (recent.size > 10_000) recent.clear();
  if (principal) recent.set(key, { principal, until: Date.now() + PRINCIPAL_TTL_MS });
  else recent.delete(key);
  return principal;
}

/** Forget every cached principal (a user was disabled, a token revoked, a session ended). */
export function forgetPrincipals(): void {
  recent.clear();
}

export type Principal = {
  viewer: Viewer;
  scope: Scope;
  username: string;
  csrfToken: string | null;
  mustChange: boolean;
};

async function principalOf(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .leftJoin('credentials', 'credentials.user_id', 'users.id')
    .select([
      'users.id',
      'users.username',
      'users.role',
      'users.party_id',
      'users.disabled',
      'credentials.must_change',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

/** The viewer behind a session cookie, or null when it is unknown, expired, or its user disabled. */
export async function sessionPrincipal(db: Db, token: string): Promise<Principal | null> {
  return cached(`s:${sha256(token)}`, () => resolveSession(db, token));
}

async function resolveSession(db: Db, token: string): Promise<Principal | null> {
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!session || session.expires_at <= new Date().toISOString()) return null;
  const user = await principalOf(db, session.user_id);
  if (!user || user.disabled) return null;
  return {
    viewer: viewerOfUser(user),
    scope: 'write',
    username: user.username,
    csrfToken: session.csrf_token,
    mustChange: user.must_change ?? false,
  };
}

export async function endSession(db: Db, token: string): Promise<void> {
  forgetPrincipals();
  await db.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute();
}

const TOKEN_FORMAT = /^trc_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** Issues an API token, shown once: `trc_<id>_<secret>`. */
export async function issueToken(
  db: Db,
  user: { id: string; username: string },
  options: { scope: Scope; label?: string | undefined; expiresAt?: string | undefined },
): Promise<{ id: string; token: string }> {
  const id = randomBytes(8).toString('hex');
  const value = secret();
  await db
    .insertInto('api_tokens')
    .values({
      id,
      user_id: user.id,
      secret_hash: sha256(value),
      scope: options.scope,
      label: options.label ?? null,
      created_at: new Date().toISOString(),
      expires_at: options.expiresAt ?? null,
      revoked_at: null,
    })
    .execute();
  await logAccess(db, { action: 'token_issued', userId: user.id, username: user.username, subject: id });
  return { id, token: `trc_${id}_${value}` };
}

export async function tokenPrincipal(db: Db, token: string): Promise<Principal | null> {
  return cached(`t:${sha256(token)}`, () => resolveToken(db, token));
}

async function resolveToken(db: Db, token: string): Promise<Principal | null> {
  const match = TOKEN_FORMAT.exec(token);
  if (!match) return null;
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', match[1]!).executeTakeFirst();
  if (!row || row.revoked_at || !sameSecret(row.secret_hash, sha256(match[2]!))) return null;
  if (row.expires_at && row.expires_at <= new Date().toISOString()) return null;
  const user = await principalOf(db, row.user_id);
  if (!user || user.disabled) return null;
  return {
    viewer: viewerOfUser(user),
    scope: row.scope as Scope,
    username: user.username,
    csrfToken: null,
    mustChange: false,
  };
}

export async function revokeToken(db: Db, id: string): Promise<void> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  forgetPrincipals();
  if (result.numUpdatedRows === 0n)
    throw new TruceError('not_found', `no live token "${id}"`, { field: 'id' });
  await logAccess(db, { action: 'token_revoked', subject: id });
}
