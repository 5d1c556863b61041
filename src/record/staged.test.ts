import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import type { Store } from '../store/engine.ts';
import { StatementQueue } from '../store/statementQueue.ts';
import { StagedWrites } from './staged.ts';

describe.each(ENGINES)('staged writes on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(engine);
  });
  afterAll(() => closeTestStore(store));

  it('writes referenced rows first whichever table was staged first', async () => {
    await store.db.transaction().execute(async (trx) => {
      const queue = new StatementQueue();
      const staged = new StagedWrites(trx, queue);
      // An actor naming a party staged before the party itself, as a send can begin mid-batch.
      staged.stage('insert', 'actors', {
        id: 'A1',
        name: 'Border force',
        kind: 'state_force',
        party_id: 'P1',
        ledger_seq: 1,
      });
      staged.stage('insert', 'parties', { id: 'P1', name: 'Party one', role: 'belligerent', ledger_seq: 0 });
      // A row inserted then updated in the same send is written once, as its last image.
      staged.stage('update', 'parties', {
        id: 'P1',
        name: 'Party one, renamed',
        role: 'belligerent',
        ledger_seq: 2,
      });
      staged.send();
      await queue.drain();
    });
    const party = await store.db
      .selectFrom('parties')
      .selectAll()
      .where('id', '=', 'P1')
      .executeTakeFirstOrThrow();
    expect(party).toMatchObject({ name: 'Party one, renamed', ledger_seq: 2 });
    const actor = await store.db
      .selectFrom('actors')
      .select('party_id')
      .where('id', '=', 'A1')
      .executeTakeFirstOrThrow();
    expect(actor.party_id).toBe('P1');
  });
});
