import { afterEach, describe, expect, it } from 'vitest';
import { buildIncident, seedParties } from '../../test/support/factories.ts';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import { insertIncident } from '../record/incident.ts';
import { recordTransaction } from '../record/transaction.ts';
import type { Store } from './engine.ts';
import { choresFor, type TableCounters } from './housekeeping.ts';

const table = (over: Partial<TableCounters>): TableCounters => ({
  table: 'incidents',
  reltuples: -1,
  modifiedSinceAnalyze: 0,
  deadRows: 0,
  insertedSinceVacuum: 0,
  ...over,
});

describe('what autovacuum would do', () => {
  it('analyzes a table once a tenth of it (and fifty rows) changed since the last ANALYZE', () => {
    expect(choresFor([table({ reltuples: 1000, modifiedSinceAnalyze: 150 })])).toEqual({
      vacuum: [],
      analyze: [],
    });
    expect(choresFor([table({ reltuples: 1000, modifiedSinceAnalyze: 151 })]).analyze).toEqual(['incidents']);
    // Never analyzed (reltuples -1) counts as empty: the first fifty-one rows are enough.
    expect(choresFor([table({ modifiedSinceAnalyze: 51 })]).analyze).toEqual(['incidents']);
  });

  it('vacuums (and so analyzes) a table with many dead rows or many rows inserted since the last VACUUM', () => {
    expect(choresFor([table({ reltuples: 1000, deadRows: 251, modifiedSinceAnalyze: 400 })])).toEqual({
      vacuum: ['incidents'],
      analyze: [],
    });
    expect(choresFor([table({ reltuples: 1000, insertedSinceVacuum: 1201 })]).vacuum).toEqual(['incidents']);
    expect(choresFor([table({ reltuples: 1000, insertedSinceVacuum: 1200 })]).vacuum).toEqual([]);
  });

  it('never vacuums the append-only ledger, only refreshes its statistics', () => {
    const ledger = table({ table: 'ledger_entries', insertedSinceVacuum: 1e6, modifiedSinceAnalyze: 1e6 });
    expect(choresFor([ledger])).toEqual({ vacuum: [], analyze: ['ledger_entries'] });
  });
});

describe.each(ENGINES)('housekeeping on %s', (engine) => {
  let store: Store;
  afterEach(async () => closeTestStore(store));

  it(
    engine === 'pglite'
      ? 'brings statistics up to date after the record grows, and then finds nothing due'
      : 'is left to the server’s own autovacuum',
    async () => {
      store = await openTestStore(engine);
      if (engine === 'postgres') {
        expect(store.housekeeping).toBeUndefined();
        return;
      }
      await seedParties(store);
      await recordTransaction(store, 'm', async (tx) => {
        for (let i = 0; i < 300; i++) await insertIncident(tx, buildIncident({ title: `Incident ${i}` }));
      });
      const estimate = async () =>
        Number(
          (await store.pool.query(`SELECT reltuples FROM pg_class WHERE relname = 'incidents'`)).rows[0]
            .reltuples,
        );
      expect(await estimate()).toBeLessThan(300);
      const done = await store.housekeeping!.runOnce();
      expect([...done.vacuum, ...done.analyze]).toEqual(
        expect.arrayContaining(['incidents', 'incident_day_tallies']),
      );
      expect(done.vacuum).not.toContain('ledger_entries');
      // The planner now knows the table's size…
      expect(await estimate()).toBe(300);
      // …and, with nothing written since, nothing is due.
      expect(await store.housekeeping!.runOnce()).toEqual({ vacuum: [], analyze: [] });
    },
  );
});
