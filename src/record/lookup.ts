/** Reads that the write path needs before it writes: each names the input field that pointed at a missing row. */
import type { Transaction } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import type { Database, RecordTables } from '../store/schema.ts';

type Trx = Transaction<Database>;

export async function mustExist<T extends keyof RecordTables>(
  trx: Trx,
  table: T,
  id: string,
  field: string,
): Promise<RecordTables[T]> {
  const row = await trx
    .selectFrom(table as 'incidents')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new TruceError('not_found', `${field}: no ${table.replace(/s$/, '')} "${id}"`, { field });
  return row as unknown as RecordTables[T];
}

export async function mustBeNew(
  trx: Trx,
  table: keyof RecordTables,
  id: string,
  field = 'id',
): Promise<void> {
  const row = await trx
    .selectFrom(table as 'incidents')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (row) throw new TruceError('conflict', `${field}: "${id}" already exists`, { field });
}

/** Incidents that were merged into another resolve to the one kept. */
export async function liveIncident(trx: Trx, id: string, field: string) {
  const incident = await mustExist(trx, 'incidents', id, field);
  return incident.merged_into ? mustExist(trx, 'incidents', incident.merged_into, field) : incident;
}
