/** The access log: failed log-ins, token changes and reads of RED / AMBER+STRICT records (not the ledger: it is about people, not records). */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Viewer } from './viewer.ts';

type Db = Kysely<Database>;

export type AccessAction =
  | 'login'
  | 'login_failed'
  | 'login_blocked'
  | 'logout'
  | 'password_changed'
  | 'token_issued'
  | 'token_revoked'
  | 'read_sensitive';

export async function logAccess(
  db: Db,
  entry: {
    action: AccessAction;
    userId?: string | null;
    username?: string | null;
    subject?: string | null;
    ip?: string | null;
  },
): Promise<void> {
  await db
    .insertInto('access_log')
    .values({
      action: entry.action,
      user_id: entry.userId ?? null,
      username: entry.username ?? null,
      subject: entry.subject ?? null,
      ip: entry.ip ?? null,
    })
    .execute();
}

/** CODEBOOK § Sharing: reads of RED and AMBER+STRICT records are logged, one row per read request. */
export async function logSensitiveReads(
  db: Db,
  viewer: Viewer,
  table: string,
  records: readonly { id: string; tlp: string }[],
): Promise<void> {
  const sensitive = records.filter((r) => r.tlp === 'RED' || r.tlp === 'AMBER+STRICT').map((r) => r.id);
  if (sensitive.length === 0) return;
  await logAccess(db, {
    action: 'read_sensitive',
    userId: viewer.userId,
    subject: `${table}:${sensitive.join(',')}`,
  });
}

export async function recentFailures(
  db: Db,
  by: { username?: string; ip?: string },
  since: Date,
): Promise<number> {
  let query = db
    .selectFrom('access_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', '=', 'login_failed')
    .where('at', '>=', since.toISOString());
  if (by.username !== undefined) query = query.where('username', '=', by.username);
  if (by.ip !== undefined) query = query.where('ip', '=', by.ip);
  return Number((await query.executeTakeFirstOrThrow()).n);
}
