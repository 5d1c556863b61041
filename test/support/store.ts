/** Test stores: one migrated engine per test file, on PGlite always and on PostgreSQL when TRUCE_TEST_DATABASE_URL is set. */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineName, openStore, type Store } from '../../src/store/engine.ts';
import { migrationFiles } from '../../src/store/migrate.ts';

export const TEST_DATABASE_URL = process.env.TRUCE_TEST_DATABASE_URL;

/** Every engine the suite should run on here; PostgreSQL is skipped, saying so, without its URL. */
export const ENGINES: EngineName[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
if (!TEST_DATABASE_URL && !process.env.TRUCE_QUIET_SKIP) {
  process.env.TRUCE_QUIET_SKIP = '1';
  console.warn('TRUCE_TEST_DATABASE_URL is not set: PostgreSQL store tests are skipped (PGlite only).');
}

/**
 * A fresh PGlite costs seconds; a migrated image made once (per set of migrations) and
 * loaded per test file costs about one.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const digest = createHash('sha256');
  for (const m of migrationFiles()) digest.update(m.name).update(m.sql);
  const path = join(tmpdir(), `truce-test-template-${digest.digest('hex').slice(0, 16)}.tar.gz`);
  if (!existsSync(path)) {
    const store = await openStore({});
    const blob = await store.pglite!.dumpDataDir('gzip');
    await store.close();
    // Written aside then renamed: parallel test files never read a half-written image.
    const partial = `${path}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, path);
  }
  return new Blob([readFileSync(path)]);
}

export async function openTestStore(engine: EngineName): Promise<Store> {
  if (engine === 'postgres') {
    if (!TEST_DATABASE_URL) throw new Error('TRUCE_TEST_DATABASE_URL is not set');
    return openStore({
      databaseUrl: TEST_DATABASE_URL,
      schema: `truce_test_${randomBytes(6).toString('hex')}`,
      poolSize: 4,
    });
  }
  return openStore({ loadDataDir: await pgliteTemplate() });
}

/** Closes the store and, on PostgreSQL, drops its schema so runs leave nothing behind. */
export async function closeTestStore(store: Store): Promise<void> {
  if (store.engine === 'postgres') await store.pool.query(`DROP SCHEMA ${store.schema} CASCADE`);
  await store.close();
}
