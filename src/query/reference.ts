/** Reading reference and mechanism records through the access policy. */
import { type Kysely, type SqlBool, sql } from 'kysely';
import { visibleTo } from '../access/policy.ts';
import { isMechanism, type Viewer } from '../access/viewer.ts';
import { TruceError } from '../domain/errors.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database>;

export const listParties = (db: Db) => db.selectFrom('parties').selectAll().orderBy('id').execute();
export const listActors = (db: Db) => db.selectFrom('actors').selectAll().orderBy('id').execute();

/** Protected sources are listed only to the mechanism (CODEBOOK § Sharing). */
export async function listSources(db: Db, viewer: Viewer) {
  let query = db.selectFrom('sources').selectAll().orderBy('id');
  if (!isMechanism(viewer)) query = query.where('protected', '=', false);
  return query.execute();
}

export async function listPlaces(
  db: Db,
  filter: {
    q?: string | undefined;
    kind?: string | undefined;
    country?: string | undefined;
    limit?: number | undefined;
  },
) {
  let query = db
    .selectFrom('places')
    .selectAll()
    .orderBy('name')
    .limit(Math.min(filter.limit ?? 100, 1000));
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.country) query = query.where('country', '=', filter.country);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Aliases and native-script names are searched as text: enough for a picker, the gazetteer does real matching.
    query = query.where(
      sql<SqlBool>`(name ILIKE ${like} OR aliases::text ILIKE ${like} OR names::text ILIKE ${like})`,
    );
  }
  return query.execute();
}

export async function getPlace(db: Db, id: string) {
  const place = await db.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst();
  if (!place) throw new TruceError('not_found', `no place "${id}"`, { field: 'id' });
  return place;
}

export async function getDocument(db: Db, viewer: Viewer, id: string) {
  const document = await db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', id)
    .where(visibleTo(viewer, 'documents'))
    .executeTakeFirst();
  if (!document) throw new TruceError('not_found', `no document "${id}"`, { field: 'id' });
  return document;
}

export const listAgreements = (db: Db, viewer: Viewer) =>
  db
    .selectFrom('agreements')
    .selectAll()
    .where(visibleTo(viewer, 'agreements'))
    .orderBy('starts_at')
    .execute();
