import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim, buildIncident, killed, seedParties } from '../../test/support/factories.ts';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import { addClaim } from '../record/claim.ts';
import { createIncident } from '../record/incident.ts';
import type { Store } from './engine.ts';

describe.each(ENGINES)('a store on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(engine);
  });
  afterAll(async () => {
    await closeTestStore(store);
  });

  it('runs every pooled connection with the settings the dashboard was measured with', async () => {
    // Held at once, so that each query takes a connection of its own where the pool has several.
    const settings = await Promise.all(
      Array.from({ length: 4 }, () =>
        store.pool.query<Record<string, string>>(
          `SELECT current_setting('work_mem') AS work_mem, current_setting('TimeZone') AS zone,
                  current_setting('max_parallel_workers_per_gather') AS workers, pg_backend_pid() AS pid,
                  pg_sleep(0.05)::text AS slept`,
        ),
      ),
    );
    const rows = settings.map((result) => result.rows[0]!);
    for (const row of rows) {
      expect(row.work_mem).toBe('32MB');
      expect(row.zone).toBe('UTC');
    }
    if (engine === 'postgres') {
      expect(new Set(rows.map((row) => row.pid)).size).toBe(4);
      for (const row of rows) expect(row.workers).toBe('0');
    }
  });

  it('compresses ledger entry bodies with lz4 where the engine has it, else keeps them inline and uncompressed', async () => {
    await seedParties(store);
    const incident = await createIncident(store, 'm', buildIncident());
    await addClaim(
      store,
      'm',
      buildClaim(incident.id, {
        figures: [killed(null, 3)],
        quote: 'Three soldiers were killed at the post. '.repeat(25),
      }),
    );
    const { rows } = await store.pool.query<{ bytes: number; compression: string | null }>(
      `SELECT octet_length(body) AS bytes, pg_column_compression(body) AS compression
         FROM ledger_entries WHERE kind = 'claim.added'`,
    );
    expect(rows).toHaveLength(1);
    // Past ~2 KB a row is toasted unless its table says otherwise (migrations 006 and 010).
    expect(rows[0]!.bytes).toBeGreaterThan(2100);
    const lz4 = (
      await store.pool.query(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
      )
    ).rowCount;
    expect(rows[0]!.compression).toBe(lz4 ? 'lz4' : null);
  });
});

describe.each(ENGINES)('closing a store (%s)', (engine) => {
  it('closes its connections even when only the pool was used', async () => {
    const store = await openTestStore(engine);
    const client = await store.pool.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    client.release();
    if (engine === 'postgres') await store.pool.query(`DROP SCHEMA ${store.schema} CASCADE`);
    await store.close();
    expect(store.pool.ended).toBe(true);
    expect(store.pool.totalCount).toBe(0);
    if (engine === 'postgres') {
      // The server lets the session go: its backend leaves pg_stat_activity as it exits, just after.
      const other = await openTestStore(engine);
      try {
        const sessions = async () =>
          (await other.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount;
        await expect.poll(sessions, { timeout: 5_000 }).toBe(0);
      } finally {
        await closeTestStore(other);
      }
    }
  });
});
