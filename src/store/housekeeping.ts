/**
 * Autovacuum for the embedded engine. PGlite runs PostgreSQL as one single-user backend, with no
 * autovacuum launcher: left alone, its planner statistics stay as they were when a table was
 * empty, and a query over a few thousand incidents walks the wrong index (measured: the console's
 * filtered list 4.9 ms in the database before, 0.5 ms after ANALYZE, on 5,000 incidents) while
 * index-only scans visit every heap page. This does what the launcher would: every so often it
 * reads the same counters autovacuum reads and applies PostgreSQL's default thresholds.
 *
 * On PostgreSQL the server's own autovacuum does this; nothing here runs there.
 */
import type pg from 'pg';
import { quotedIdentifier } from './identifier.ts';

/** PostgreSQL's defaults (autovacuum_analyze_threshold / _scale_factor, and the vacuum ones). */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const INSERT_VACUUM_BASE = 1000;
const INSERT_VACUUM_SCALE = 0.2;

/**
 * Append-only and read only by primary key: vacuuming them buys little (no dead rows; only
 * `ledger verify --since` could read the ledger's stored hashes from its primary key alone,
 * migration 012) and at a million entries would hold the one connection for minutes.
 */
const NEVER_VACUUMED = new Set(['ledger_entries', 'ledger_nodes', 'access_log']);

/** Seconds between checks: autovacuum_naptime is 60; a check here costs one small query. */
export const NAPTIME_MS = 15_000;

export type TableCounters = {
  table: string;
  /** pg_class.reltuples: rows at the last ANALYZE or VACUUM, -1 if never. */
  reltuples: number;
  modifiedSinceAnalyze: number;
  deadRows: number;
  insertedSinceVacuum: number;
};

export type Chores = { vacuum: string[]; analyze: string[] };

/** What autovacuum would do now, by its default thresholds. */
export function choresFor(tables: readonly TableCounters[]): Chores {
  const vacuum: string[] = [];
  const analyze: string[] = [];
  for (const t of tables) {
    const rows = Math.max(t.reltuples, 0);
    const vacuumNeeded =
      !NEVER_VACUUMED.has(t.table) &&
      (t.deadRows > VACUUM_BASE + VACUUM_SCALE * rows ||
        t.insertedSinceVacuum > INSERT_VACUUM_BASE + INSERT_VACUUM_SCALE * rows);
    // VACUUM (ANALYZE) does both in one pass over the table.
    if (vacuumNeeded) vacuum.push(t.table);
    else if (t.modifiedSinceAnalyze > ANALYZE_BASE + ANALYZE_SCALE * rows) analyze.push(t.table);
  }
  return { vacuum, analyze };
}

export type Housekeeper = {
  /** Checks the counters and does what is due, now; resolves when done. */
  runOnce(): Promise<Chores>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
};

/** Checks every `naptime` ms on a timer that never keeps the process alive. */
export function startHousekeeping(pool: pg.Pool, schema: string, naptime = NAPTIME_MS): Housekeeper {
  let running: Promise<Chores> | undefined;
  let stopped = false;
  const runOnce = (): Promise<Chores> => {
    running ??= chores(pool, schema).finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    // A failed check (the store closing, a full disk) is tried again at the next one.
    if (!stopped) runOnce().catch(() => {});
  }, naptime);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

async function chores(pool: pg.Pool, schema: string): Promise<Chores> {
  const { rows } = await pool.query(
    `SELECT s.relname AS table, c.reltuples, s.n_mod_since_analyze, s.n_dead_tup, s.n_ins_since_vacuum
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = $1`,
    [schema],
  );
  const due = choresFor(
    rows.map((r) => ({
      table: String(r.table),
      reltuples: Number(r.reltuples),
      modifiedSinceAnalyze: Number(r.n_mod_since_analyze),
      deadRows: Number(r.n_dead_tup),
      insertedSinceVacuum: Number(r.n_ins_since_vacuum),
    })),
  );
  // One statement each: VACUUM cannot run in a transaction block, and short statements let
  // requests waiting for the one connection in between.
  const name = (table: string) => `${quotedIdentifier(schema)}.${quotedIdentifier(table)}`;
  for (const table of due.vacuum) await pool.query(`VACUUM (ANALYZE) ${name(table)}`);
  for (const table of due.analyze) await pool.query(`ANALYZE ${name(table)}`);
  return due;
}
