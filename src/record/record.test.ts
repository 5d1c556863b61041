import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim, buildIncident, killed, seedParties } from '../../test/support/factories.ts';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import { currentTree } from '../ledger/log.ts';
import { verifyLedger } from '../ledger/verify.ts';
import type { Store } from '../store/engine.ts';
import { addClaim, storeDocument } from './claim.ts';
import { createIncident } from './incident.ts';
import { createSource } from './reference.ts';
import { changeStatus, linkRetaliation, mergeIncidents } from './verification.ts';

type Fatalities = {
  totals: Record<string, { low: number; best: number; high: number }>;
  groups: {
    side: string | null;
    low: number | null;
    best: number | null;
    high: number | null;
    rule: string;
  }[];
};

describe.each(ENGINES)('record on %s', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(engine);
    await seedParties(store);
  });
  afterAll(async () => closeTestStore(store));

  const ledgerSize = async () => (await currentTree(store.db)).size;

  it('reconciles the 12 Oct 2025 figures by the codebook rules as claims arrive', async () => {
    const incident = await createIncident(store, 'monitor-1', buildIncident());
    await addClaim(
      store,
      'monitor-1',
      buildClaim(incident.id, {
        sourceId: 'ispr',
        quote: '23 soldiers were martyred and over 200 Taliban and affiliated terrorists were killed',
        figures: [killed('PK', 23), killed('AF', 200, 'military', 'more_than')],
      }),
    );
    const { incident: after } = await addClaim(
      store,
      'monitor-1',
      buildClaim(incident.id, {
        sourceId: 'mujahid',
        quote: '58 Pakistani soldiers were killed; nine of our fighters were martyred',
        figures: [killed('PK', 58), killed('AF', 9)],
      }),
    );
    const groups = (after.fatalities as Fatalities).groups;
    const pk = groups.find((g) => g.side === 'PK')!;
    const af = groups.find((g) => g.side === 'AF')!;
    expect([pk.low, pk.best, pk.high]).toEqual([23, 23, 58]);
    expect([af.low, af.best, af.high]).toEqual([9, 9, 200]);
    expect((after.fatalities as Fatalities).totals.military).toEqual({ low: 32, best: 32, high: 258 });
    // Two sources, both party officials: the target's party (PK) benefits and ISPR speaks for it,
    // but Mujahid does not, so the incident is corroborated.
    expect(after.status).toBe('corroborated');
    expect(after.fatalities_best).toBe(32);
  });

  it('names the field and writes nothing when input is invalid', async () => {
    const before = await ledgerSize();
    await expect(
      createIncident(store, 'm', buildIncident({ type: 'massacre' as never })),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'type',
    });
    await expect(
      createIncident(store, 'm', buildIncident({ occurredOn: '2025-02-30' })),
    ).rejects.toMatchObject({
      field: 'occurredOn',
    });
    await expect(createIncident(store, 'm', buildIncident({ actorId: 'nobody' }))).rejects.toMatchObject({
      code: 'not_found',
      field: 'actorId',
    });
    const incident = await createIncident(store, 'm', buildIncident());
    const sizeAfterCreate = await ledgerSize();
    await expect(
      addClaim(store, 'm', buildClaim(incident.id, { figures: [killed('XX', 3)] })),
    ).rejects.toMatchObject({ field: 'figures[0].side' });
    await expect(
      addClaim(store, 'm', buildClaim(incident.id, { figures: [{ ...killed('PK', 3), value: -1 }] })),
    ).rejects.toMatchObject({ field: 'figures[0].value' });
    expect(await ledgerSize()).toBe(sizeAfterCreate);
    expect(sizeAfterCreate).toBe(before + 1);
    const claims = await store.db
      .selectFrom('claims')
      .select('id')
      .where('incident_id', '=', incident.id)
      .execute();
    expect(claims).toHaveLength(0);
  });

  it('ties a claim to the exact words of its stored document', async () => {
    const body =
      'According to Taliban-controlled Hurriyat Radio, Afghan forces launched retaliatory operations. At least three members of a local cricket team were killed.';
    const { document } = await storeDocument(store, 'm', { body, outlet: 'Test', tlp: 'CLEAR' });
    const again = await storeDocument(store, 'm', { body, outlet: 'Other', tlp: 'CLEAR' });
    expect(again.created).toBe(false);
    expect(again.document.id).toBe(document.id);
    const incident = await createIncident(
      store,
      'm',
      buildIncident({ type: 'airstrike', actorId: 'PK.military', targetId: 'civilians' }),
    );
    const quote = 'At least three members of a local cricket team were killed.';
    const { claim } = await addClaim(
      store,
      'm',
      buildClaim(incident.id, {
        sourceId: 'hurriyat',
        documentId: document.id,
        quote,
        figures: [killed('AF', 3, 'civilian', 'at_least')],
      }),
    );
    expect(body.slice(claim.span_start!, claim.span_end!)).toBe(quote);
    await expect(
      addClaim(store, 'm', buildClaim(incident.id, { documentId: document.id, quote: 'Five were killed.' })),
    ).rejects.toMatchObject({ field: 'quote' });
    await expect(
      addClaim(
        store,
        'm',
        buildClaim(incident.id, { documentId: document.id, quote, span: { start: 0, end: quote.length } }),
      ),
    ).rejects.toMatchObject({ field: 'span' });
  });

  it('moves status only along the codebook, with who and why, and verified needs evidence', async () => {
    const incident = await createIncident(store, 'm', buildIncident());
    await expect(
      changeStatus(store, 'monitor-2', { incidentId: incident.id, to: 'verified', reason: 'seen' }),
    ).rejects.toMatchObject({ field: 'evidence' });
    const { incident: verified, change } = await changeStatus(store, 'monitor-2', {
      incidentId: incident.id,
      to: 'verified',
      reason: 'Craters and debris seen by the field team',
      evidence: [{ kind: 'imagery', ref: 'sha256:ab12', note: 'satellite image 13 Oct' }],
    });
    expect(verified.status).toBe('verified');
    expect(change).toMatchObject({ from_status: 'reported', to_status: 'verified', changed_by: 'monitor-2' });
    await expect(
      changeStatus(store, 'm', { incidentId: incident.id, to: 'reported', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await changeStatus(store, 'm', {
      incidentId: incident.id,
      to: 'refuted',
      reason: 'The imagery predates the date',
    });
    await expect(
      changeStatus(store, 'm', {
        incidentId: incident.id,
        to: 'verified',
        reason: 'x',
        evidence: [{ kind: 'url', ref: 'x' }],
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('disputes an incident automatically when sources deny it happened', async () => {
    const incident = await createIncident(store, 'm', buildIncident());
    await addClaim(store, 'm', buildClaim(incident.id, { sourceId: 'ispr', asserted: { happened: true } }));
    const { incident: after } = await addClaim(
      store,
      'm',
      buildClaim(incident.id, { sourceId: 'mujahid', asserted: { happened: false } }),
    );
    expect(after.status).toBe('disputed');
    const history = await store.db
      .selectFrom('status_changes')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .execute();
    expect(history.at(-1)).toMatchObject({ to_status: 'disputed', changed_by: 'system' });
  });

  it('links retaliation into one chain and refuses answering a later incident', async () => {
    const strike = await createIncident(
      store,
      'm',
      buildIncident({ type: 'airstrike', occurredOn: '2025-10-09', actorId: 'PK.military' }),
    );
    const reply = await createIncident(store, 'm', buildIncident({ occurredOn: '2025-10-11' }));
    const counter = await createIncident(
      store,
      'm',
      buildIncident({ type: 'shelling', occurredOn: '2025-10-12', actorId: 'PK.military' }),
    );
    await linkRetaliation(store, 'm', {
      incidentId: reply.id,
      answersId: strike.id,
      basis: 'source',
      reason: '"retaliatory operations"',
    });
    await linkRetaliation(store, 'm', {
      incidentId: counter.id,
      answersId: reply.id,
      basis: 'monitor',
      reason: 'same sector next day',
    });
    const chain = await store.db
      .selectFrom('incidents')
      .select(['id', 'chain_id'])
      .where('id', 'in', [strike.id, reply.id, counter.id])
      .execute();
    expect(new Set(chain.map((c) => c.chain_id)).size).toBe(1);
    await expect(
      linkRetaliation(store, 'm', {
        incidentId: strike.id,
        answersId: counter.id,
        basis: 'monitor',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ field: 'answersId' });
    await expect(
      linkRetaliation(store, 'm', {
        incidentId: reply.id,
        answersId: strike.id,
        basis: 'monitor',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('merges duplicates keeping both, and the kept incident counts every claim', async () => {
    const a = await createIncident(store, 'm', buildIncident({ title: 'Clash at Angoor Adda' }));
    const b = await createIncident(store, 'm', buildIncident({ title: 'Angoor Adda post attacked' }));
    await addClaim(store, 'm', buildClaim(a.id, { sourceId: 'reuters', figures: [killed('PK', 4)] }));
    await addClaim(store, 'm', buildClaim(b.id, { sourceId: 'ap', figures: [killed('PK', 6)] }));
    const { kept } = await mergeIncidents(store, 'm', {
      keptId: a.id,
      mergedId: b.id,
      reason: 'same post, same night',
    });
    const pk = (kept.fatalities as Fatalities).groups.find((g) => g.side === 'PK')!;
    expect([pk.low, pk.best, pk.high]).toEqual([4, 4, 6]);
    const rows = await store.db
      .selectFrom('incidents')
      .select(['id', 'merged_into'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(rows.find((r) => r.id === b.id)?.merged_into).toBe(a.id);
    // A claim sent to the merged incident lands on the kept one's figures.
    const { incident } = await addClaim(
      store,
      'm',
      buildClaim(b.id, { sourceId: 'ispr', figures: [killed('PK', 5)] }),
    );
    expect(incident.id).toBe(a.id);
    await expect(
      mergeIncidents(store, 'm', { keptId: b.id, mergedId: a.id, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('serialises concurrent writes into one gap-free ledger that verifies', async () => {
    const incident = await createIncident(store, 'm', buildIncident());
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createSource(store, 'm', {
          id: `stringer-${engine}-${i}`,
          name: `Stringer ${i}`,
          kind: 'national_media',
        }).then(() =>
          addClaim(
            store,
            'm',
            buildClaim(incident.id, { sourceId: `stringer-${engine}-${i}`, figures: [killed('PK', i)] }),
          ),
        ),
      ),
    );
    const seqs = (await store.db.selectFrom('ledger_entries').select('seq').orderBy('seq').execute()).map(
      (r) => r.seq,
    );
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const report = await verifyLedger(store.db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
