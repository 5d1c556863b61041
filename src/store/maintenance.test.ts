import { afterEach, describe, expect, it } from 'vitest';
import { buildIncident, seedParties } from '../../test/support/factories.ts';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import { insertIncident } from '../record/incident.ts';
import { recordTransaction } from '../record/transaction.ts';
import type { Store } from './engine.ts';
import { afterBulkWrite } from './maintenance.ts';

describe.each(ENGINES)('after a bulk write on %s', (engine) => {
  let store: Store;
  afterEach(async () => closeTestStore(store));

  it('leaves the new incidents all-visible, so covering indexes answer without reading the table', async () => {
    store = await openTestStore(engine);
    await seedParties(store);
    await recordTransaction(store, 'm', async (tx) => {
      for (let i = 0; i < 200; i++) await insertIncident(tx, buildIncident({ title: `Incident ${i}` }));
    });
    const pages = async () =>
      (
        await store.pool.query(
          `SELECT relpages, relallvisible, reltuples FROM pg_class
            WHERE oid = to_regclass(quote_ident($1) || '.incidents')`,
          [store.schema],
        )
      ).rows[0];
    expect((await pages()).relallvisible).toBe(0);
    await afterBulkWrite(store);
    const after = await pages();
    expect(after.reltuples).toBe(200);
    expect(after.relpages).toBeGreaterThan(0);
    expect(after.relallvisible).toBe(after.relpages);
  });
});
