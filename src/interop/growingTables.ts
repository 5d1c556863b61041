/**
 * Planner statistics kept current while an import grows the tables, instead of only at its end.
 *
 * The statement triggers that keep the dashboard's tallies and claim families (migration 005) join
 * each statement's new rows to `incidents`. Planned on the statistics of a small table, that join
 * reads all of `incidents` for every statement: measured at 32,000 rows, 60 ms of each 1,000-claim
 * insert went to two sequential scans of it, and the cost grows with the table (quadratic over an
 * import). Fresh statistics turn it into index lookups, and invalidate the plans the triggers cached.
 */
import type { Store } from '../store/engine.ts';

/** The first refresh comes after this many imported rows; each later one once the import has doubled. */
const FIRST_REFRESH = 4_000;

// VACUUM cannot run inside a transaction block: each statement goes on its own, between batches.
const STATEMENTS = [
  'ANALYZE incidents',
  'ANALYZE claims',
  'ANALYZE status_changes',
  // Every imported statement updates the tallies' rows; their dead versions slow the next updates.
  'VACUUM (ANALYZE) incident_point_tallies',
  'VACUUM (ANALYZE) incident_day_tallies',
];

export class GrowingTables {
  readonly #store: Store;
  #next = FIRST_REFRESH;

  constructor(store: Store) {
    this.#store = store;
  }

  #running: Promise<void> | undefined;

  /**
   * Called between batches with the rows applied so far; refreshes when the import has doubled.
   * On PostgreSQL the refresh runs on another of the pool's connections while the import goes on
   * (ANALYZE and VACUUM do not block inserts; measured over 100,000 rows: 21.2–22.5 s against
   * 22.6–27.3 s waiting for it), one at a time; PGlite has one connection, so it waits.
   */
  async grown(applied: number): Promise<void> {
    if (applied < this.#next) return;
    this.#next = applied * 2;
    if (this.#store.engine === 'pglite') return this.#refresh();
    // Statistics are an optimisation: a failed refresh is left for the next one.
    this.#running ??= this.#refresh()
      .catch(() => {})
      .finally(() => {
        this.#running = undefined;
      });
  }

  /** Resolves once no refresh is running: the import awaits it before it returns. */
  async settled(): Promise<void> {
    await this.#running;
  }

  async #refresh(): Promise<void> {
    for (const statement of STATEMENTS) await this.#store.pool.query(statement);
  }
}
