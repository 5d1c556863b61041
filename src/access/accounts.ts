/** Accounts: creating users with credentials, the first admin, log-in with rate limiting, password changes. */
import { TruceError } from '../domain/errors.ts';
import { UserInputSchema } from '../domain/user.ts';
import { parseInput } from '../record/parse.ts';
import { recordTransaction } from '../record/transaction.ts';
import { insertUser } from '../record/user.ts';
import type { Store } from '../store/engine.ts';
import type { UserRow } from '../store/schema.ts';
import { logAccess, recentFailures } from './audit.ts';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { forgetPrincipals } from './sessions.ts';
import type { Viewer } from './viewer.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_IP = 20;

export function viewerOfUser(user: Pick<UserRow, 'id' | 'role' | 'party_id'>): Viewer {
  return { role: user.role as Viewer['role'], userId: user.id, partyId: user.party_id };
}

/**
 * Creates a user and their credentials in one transaction. Without a password one is
 * generated, returned once, and must be changed at first log-in.
 */
export async function createAccount(
  store: Store,
  by: string,
  input: unknown,
  password?: string,
): Promise<{ user: UserRow; password: string; mustChange: boolean }> {
  const parsed = parseInput(UserInputSchema, input);
  if (password !== undefined) {
    const problem = passwordProblem(password);
    if (problem) throw new TruceError('invalid_input', `password: ${problem}`, { field: 'password' });
  }
  const secret = password ?? generatePassword();
  const hash = await hashPassword(secret);
  const user = await recordTransaction(store, by, async (tx) => {
    const user = await insertUser(tx, parsed);
    await tx.trx
      .insertInto('credentials')
      .values({
        user_id: user.id,
        password_hash: hash,
        must_change: password === undefined,
        updated_at: new Date().toISOString(),
      })
      .execute();
    return user;
  });
  return { user, password: secret, mustChange: password === undefined };
}

/** On first start: an `admin` with a one-time password, unless an admin exists already. */
export async function ensureFirstAdmin(store: Store): Promise<{ username: string; password: string } | null> {
  const admin = await store.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .executeTakeFirst();
  if (admin) return null;
  const { user, password } = await createAccount(store, 'system', { username: 'admin', role: 'admin' });
  return { username: user.username, password };
}

export type Authenticated = { user: UserRow; mustChange: boolean };

/** Checks a username and password; too many recent failures for the name or the address are refused before checking. */
export async function authenticate(
  store: Store,
  username: string,
  password: string,
  ip: string,
): Promise<Authenticated> {
  const db = store.db;
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  if (
    (await recentFailures(db, { username }, since)) >= MAX_FAILURES_PER_USER ||
    (await recentFailures(db, { ip }, since)) >= MAX_FAILURES_PER_IP
  ) {
    // Logged, but not counted as a failure: an attacker cannot extend the block forever by trying on.
    await logAccess(db, { action: 'login_blocked', username, ip });
    throw new TruceError('rate_limited', 'too many failed log-ins; wait 15 minutes and try again');
  }
  const row = await db
    .selectFrom('users')
    .innerJoin('credentials', 'credentials.user_id', 'users.id')
    .selectAll('users')
    .select(['credentials.password_hash', 'credentials.must_change'])
    .where('users.username', '=', username)
    .executeTakeFirst();
  // The same work and the same answer whether the name exists or not.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok || row.disabled) {
    await logAccess(db, { action: 'login_failed', username, ip });
    throw new TruceError('unauthorized', 'wrong username or password');
  }
  const { password_hash: _hash, must_change, ...user } = row;
  await logAccess(db, { action: 'login', userId: user.id, username, ip });
  return { user, mustChange: must_change };
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function changePassword(
  store: Store,
  userId: string,
  current: string,
  next: string,
): Promise<void> {
  const problem = passwordProblem(next);
  if (problem) throw new TruceError('invalid_input', `newPassword: ${problem}`, { field: 'newPassword' });
  const row = await store.db
    .selectFrom('credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row || !(await verifyPassword(current, row.password_hash))) {
    throw new TruceError('unauthorized', 'currentPassword: does not match', { field: 'currentPassword' });
  }
  if (current === next)
    throw new TruceError('invalid_input', 'newPassword: must differ from the current one', {
      field: 'newPassword',
    });
  await store.db
    .updateTable('credentials')
    .set({
      password_hash: await hashPassword(next),
      must_change: false,
      updated_at: new Date().toISOString(),
    })
    .where('user_id', '=', userId)
    .execute();
  forgetPrincipals();
  await logAccess(store.db, { action: 'password_changed', userId });
}

/** The viewer a CLI read runs as with `--as USERNAME`; without it the operator reads as the mechanism. */
export async function viewerOfUsername(store: Store, username: string): Promise<Viewer> {
  const user = await store.db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user || user.disabled)
    throw new TruceError('not_found', `--as: no active user "${username}"`, { field: 'as' });
  return viewerOfUser(user);
}
