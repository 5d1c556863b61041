/**
 * The one access policy (DESIGN rule 2): TLP 2.0 as the codebook defines it, turned into a SQL
 * predicate so that lists, counts, exports and proofs all filter in the database, never after.
 */
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Tlp } from '../domain/tlp.ts';
import { isMechanism, type Viewer } from './viewer.ts';

/**
 * CODEBOOK § Sharing, per level:
 * - CLEAR: everyone, the public included.
 * - GREEN: every registered user.
 * - AMBER: the mechanism, and the parties listed in recipients.
 * - AMBER+STRICT: the mechanism, and the one party listed.
 * - RED: only the people (user ids) listed.
 */
export function canSee(viewer: Viewer, record: { tlp: string; recipients: unknown }): boolean {
  const recipients = Array.isArray(record.recipients) ? (record.recipients as string[]) : [];
  switch (record.tlp as Tlp) {
    case 'CLEAR':
      return true;
    case 'GREEN':
      return viewer.role !== 'public';
    case 'AMBER':
    case 'AMBER+STRICT':
      return isMechanism(viewer) || (viewer.partyId !== null && recipients.includes(viewer.partyId));
    case 'RED':
      return viewer.userId !== null && recipients.includes(viewer.userId);
    default:
      return false;
  }
}

/** The same rule as SQL over a table's `tlp` and `recipients` columns. */
export function visibleTo(viewer: Viewer, table: string): RawBuilder<SqlBool> {
  const tlp = sql.ref(`${table}.tlp`);
  const recipients = sql.ref(`${table}.recipients`);
  const listed = (who: string) => sql<SqlBool>`${recipients} @> ${JSON.stringify([who])}::jsonb`;
  {
    const levels: Expression<SqlBool>[] = [sql<SqlBool>`${tlp} = 'CLEAR'`];
    if (viewer.role !== 'public') levels.push(sql<SqlBool>`${tlp} = 'GREEN'`);
    if (isMechanism(viewer)) levels.push(sql<SqlBool>`${tlp} IN ('AMBER', 'AMBER+STRICT')`);
    else if (viewer.partyId)
      levels.push(sql<SqlBool>`(${tlp} IN ('AMBER', 'AMBER+STRICT') AND ${listed(viewer.partyId)})`);
    if (viewer.userId) levels.push(sql<SqlBool>`(${tlp} = 'RED' AND ${listed(viewer.userId)})`);
    return sql<SqlBool>`(${sql.join(levels, sql` OR `)})`;
  }
}
