/** Opens the one database Truce runs on: embedded PGlite (default) or a PostgreSQL server, behind one pg.Pool and Kysely. */
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { TruceError } from '../domain/errors.ts';
import { type Housekeeper, startHousekeeping } from './housekeeping.ts';
import { migrate } from './migrate.ts';
import type { Database } from './schema.ts';
import { openingError, prepareDataDir } from './storage.ts';

export type EngineName = 'pglite' | 'postgres';

export type StoreOptions = {
  /** postgres://… — use a PostgreSQL server. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps everything in memory. */
  dataDir?: string | undefined;
  /** Postgres schema to work in (tests isolate themselves this way). */
  schema?: string | undefined;
  /** A PGlite image from `dumpDataDir()`, loaded instead of initialising a new cluster. */
  loadDataDir?: Blob | undefined;
  /** Pool size on PostgreSQL. */
  poolSize?: number | undefined;
};

export type Store = {
  engine: EngineName;
  db: Kysely<Database>;
  pool: pg.Pool;
  /** The embedded engine, when there is one (bulk COPY and image dumps use it). */
  pglite: PGlite | undefined;
  schema: string;
  /** PGlite's stand-in for autovacuum (housekeeping.ts); undefined on PostgreSQL, which has its own. */
  housekeeping: Housekeeper | undefined;
  close(): Promise<void>;
};

const queriesAtOnce = new WeakMap<Kysely<Database>, number>();

/**
 * How many queries a store's handle runs at once: its pool's size on PostgreSQL, one on PGlite
 * (one backend on the server's thread), and one for any other handle, a transaction's included.
 * Reads that split themselves into parts to run side by side (the timeline) ask it first.
 */
export function queriesAtOnceOf(db: Kysely<Database>): number {
  return queriesAtOnce.get(db) ?? 1;
}

const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const DATE = 1082;
const INT8 = 20;

/**
 * Values come back in the same shape record/ wrote them, so a row can be compared
 * with its ledger entry byte for byte: dates as `YYYY-MM-DD`, instants as ISO-8601 UTC,
 * bigints as numbers (ledger sequence numbers stay far below 2^53).
 */
const rowTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === DATE) return (value: string) => value;
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === TIMESTAMPTZ || oid === TIMESTAMP) {
      const parse = pg.types.getTypeParser(oid, 'text') as (value: string) => Date;
      return (value: string) => parse(value).toISOString();
    }
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

export function schemaName(schema: string | undefined): string {
  const name = schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new TruceError('invalid_input', `schema must be a lower-case SQL identifier, got "${name}"`, {
      field: 'schema',
    });
  }
  return name;
}

/**
 * Memory a sort or hash may take before it spills, per connection: PostgreSQL's 4 MB made the
 * planner sort a party's 257,166 incidents (and spill them to disk) to group them into map cells
 * where hashing them takes 120–135 ms (bench/dashboard.ts's store at 1,000,000 incidents; 200–210
 * ms sorted). The dashboard's live reads group up to a few hundred thousand rows.
 */
const WORK_MEM = '32MB';

/**
 * Parallel workers per query on PostgreSQL: none. A worker is a new process for every query and
 * faults in each shared buffer it touches, which cost more than it saved on the dashboard's reads
 * (bench/dashboard.ts's store at 1,000,000 incidents, alternated twice: the lists' p95 172 / 167
 * → 64 / 55 ms, a party's list with its total 152 / 143 → 52 / 52 ms p50, a period's 60 → 20 ms;
 * maps and timelines unchanged). Where a read is worth two cores, the dashboard splits it over two
 * pooled connections itself (aggregate.ts SPLIT_FROM).
 */
const PARALLEL_WORKERS = 0;

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const schema = schemaName(options.schema);
  let pool: pg.Pool;
  let pglite: PGlite | undefined;
  if (options.databaseUrl) {
    pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: rowTypes,
      // JIT compiles for 50–200 ms before a live dashboard query over ~100k rows runs; off, as for any OLTP load.
      // work_mem: WORK_MEM above. No parallel workers: PARALLEL_WORKERS above.
      options: `-c search_path=${schema} -c TimeZone=UTC -c jit=off -c work_mem=${WORK_MEM} -c max_parallel_workers_per_gather=${PARALLEL_WORKERS}`,
      connectionTimeoutMillis: 5_000,
    });
    // A server that goes away must not crash the process: queries fail with `unavailable`, and
    // a client whose socket dies between queries is dropped by the pool, not thrown at the top level.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
  } else {
    const dataDir = options.dataDir ?? 'memory://';
    const onDisk = !dataDir.startsWith('memory://');
    if (onDisk) prepareDataDir(dataDir);
    try {
      pglite = new PGlite(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
      await pglite.waitReady;
    } catch (error) {
      if (!onDisk) throw error;
      throw openingError(resolve(dataDir), error);
    }
    await pglite.exec(
      `SET TimeZone = 'UTC'; SET work_mem = '${WORK_MEM}'; CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path = ${schema};`,
    );
    pool = new pg.Pool({ ...createPgConfig(pglite), types: rowTypes } as pg.PoolConfig);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  queriesAtOnce.set(db, options.databaseUrl ? (pool.options.max ?? 1) : 1);
  const store: Store = {
    engine: options.databaseUrl ? 'postgres' : 'pglite',
    db,
    pool,
    pglite,
    schema,
    housekeeping: undefined,
    async close() {
      await store.housekeeping?.stop();
      await db.destroy();
      // Kysely ends the pool only if a query of its own ran: a store used only through `pool`
      // (migrations, the verifier's reader) kept its idle connections, and the process alive, 10 s more.
      if (!pool.ended) await pool.end();
      if (pglite && !pglite.closed) await pglite.close();
    },
  };
  try {
    if (options.databaseUrl) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await migrate(store);
    if (pglite) store.housekeeping = startHousekeeping(pool, schema);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
