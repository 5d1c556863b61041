import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident, seedParties } from '../../test/support/factories.ts';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import { TruceError } from '../domain/errors.ts';
import { currentFrontier, currentTree } from '../ledger/log.ts';
import type { Frontier } from '../ledger/merkle.ts';
import { verifyLedger } from '../ledger/verify.ts';
import type { Store } from '../store/engine.ts';
import { applyDraft, RecordDraft } from './draft.ts';
import { createIncident } from './incident.ts';
import type { Write } from './transaction.ts';

describe.each(ENGINES)('drafts on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(engine);
    await seedParties(store);
  });
  afterAll(() => closeTestStore(store));

  const actor = (id: string, party: string | null = null): Write => ({
    op: 'insert',
    table: 'actors',
    row: { id, name: `Armed group ${id}`, kind: 'non_state', party_id: party },
  });
  const draftOf = async (on: Frontier, writes: Write[]) => {
    const draft = new RecordDraft(on, 'importer');
    for (const write of writes) await draft.commit('actor.created', { actorId: write.row.id }, [write]);
    return draft;
  };
  const actorSeqs = async (ids: string[]) =>
    (await store.db.selectFrom('actors').select(['id', 'ledger_seq']).where('id', 'in', ids).execute())
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((a) => [a.id, a.ledger_seq]);

  it('writes a batch built ahead, and the next one built on it, as if each had been written in turn', async () => {
    const base = await currentFrontier(store.db);
    const first = await draftOf(base, [actor('D1'), actor('D2', 'PK')]);
    // Built before the first is applied, on the log the first leads to.
    const second = await draftOf(first.frontier, [actor('D3')]);
    expect(await applyDraft(store, first)).toBe('applied');
    expect(await applyDraft(store, second)).toBe('applied');

    const tree = await currentTree(store.db);
    expect(tree.size).toBe(base.size + 3);
    expect(tree.root.equals(second.frontier.root())).toBe(true);
    // Each row carries the number of the entry that records it.
    expect(await actorSeqs(['D1', 'D2', 'D3'])).toEqual([
      ['D1', base.size],
      ['D2', base.size + 1],
      ['D3', base.size + 2],
    ]);
    const report = await verifyLedger(store);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('writes nothing when anything else was appended since its log', async () => {
    const base = await currentFrontier(store.db);
    const draft = await draftOf(base, [actor('S1')]);
    // A monitor's write lands between the draft and its transaction.
    await createIncident(store, 'monitor', buildIncident());
    expect(await applyDraft(store, draft)).toBe('stale');
    expect(await actorSeqs(['S1'])).toEqual([]);
    expect((await currentTree(store.db)).size).toBe(base.size + 1);
    expect((await verifyLedger(store)).problems).toEqual([]);
  });

  it('writes nothing when the caller’s check refuses, under the ledger lock', async () => {
    const base = await currentFrontier(store.db);
    const draft = await draftOf(base, [actor('C1')]);
    let checkedAt: number | null = null;
    const outcome = await applyDraft(store, draft, async (trx) => {
      checkedAt = (await currentTree(trx)).size;
      return false;
    });
    expect(outcome).toBe('stale');
    expect(checkedAt).toBe(base.size);
    expect(await actorSeqs(['C1'])).toEqual([]);
    expect((await currentTree(store.db)).size).toBe(base.size);
  });

  it('writes none of it when the database refuses one row', async () => {
    const base = await currentFrontier(store.db);
    const draft = await draftOf(base, [actor('R1'), actor('R2', 'no-such-party')]);
    const refused = await applyDraft(store, draft).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TruceError);
    expect((refused as TruceError).message).toMatch(/referenced record does not exist/);
    expect(await actorSeqs(['R1', 'R2'])).toEqual([]);
    const tree = await currentTree(store.db);
    expect(tree.size).toBe(base.size);
    expect(tree.root.equals(base.root())).toBe(true);
  });
});
