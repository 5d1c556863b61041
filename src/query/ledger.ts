/** Ledger entries as a viewer may read them: in full when every row they wrote is visible, else by hash only. */
import type { Kysely } from 'kysely';
import { canSee } from '../access/policy.ts';
import { isMechanism, type Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import { LedgerEntrySchema, type RowWrite } from '../ledger/entry.ts';
import type { Database } from '../store/schema.ts';

function rowVisible(viewer: Viewer, write: RowWrite): boolean {
  if (write.table === 'users') return viewer.role === 'admin';
  // How a claim was matched is the mechanism's working; it names records by id only.
  if (write.table === 'ingest_matches') return isMechanism(viewer);
  if (write.table === 'sources' && write.row.protected === true && !isMechanism(viewer)) return false;
  if ('tlp' in write.row)
    return canSee(viewer, { tlp: String(write.row.tlp), recipients: write.row.recipients });
  return true;
}

export type VisibleEntry =
  | { seq: number; leafHash: string; visible: true; body: string }
  | { seq: number; leafHash: string; visible: false };

export async function readVisibleEntry(
  db: Kysely<Database>,
  viewer: Viewer,
  seq: number,
): Promise<VisibleEntry> {
  const row = await db.selectFrom('ledger_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
  if (!row) throw new TruceError('not_found', `no ledger entry ${seq}`, { field: 'seq' });
  const entry = LedgerEntrySchema.parse(JSON.parse(row.body));
  const leafHash = row.leaf_hash.toString('hex');
  // The body is given byte-exact so the reader can re-hash it; a hidden one is proved by its hash alone.
  if (entry.writes.every((write) => rowVisible(viewer, write)))
    return { seq, leafHash, visible: true, body: row.body };
  return { seq, leafHash, visible: false };
}
