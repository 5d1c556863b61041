import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { MECHANISM } from '../access/viewer.ts';
import type { Instance } from '../instance.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { getIncident, listIncidents } from '../query/incidents.ts';
import { DEMO_INCIDENTS } from './demo.ts';
import { isFreshInstance, seedDemo } from './seed.ts';

type Group = {
  side: string | null;
  category: string;
  low: number | null;
  best: number | null;
  high: number | null;
};

describe('demo seed', () => {
  let instance: Instance;
  beforeAll(async () => {
    instance = await openTestInstance();
    expect(await isFreshInstance(instance.store.db)).toBe(true);
    await seedDemo(instance);
  });
  afterAll(async () => closeTestInstance(instance));

  it('enters the October 2025 incidents with every quote at its span in the stored article', async () => {
    const db = instance.store.db;
    const page = await listIncidents(db, MECHANISM, { limit: 100 });
    expect(page.incidents).toHaveLength(DEMO_INCIDENTS.length);
    for (const incident of page.incidents) {
      const record = await getIncident(db, MECHANISM, incident.id);
      expect(record.claims.length).toBeGreaterThan(0);
      for (const claim of record.claims) {
        const document = await db
          .selectFrom('documents')
          .select('body')
          .where('id', '=', claim.document_id!)
          .executeTakeFirstOrThrow();
        expect(document.body.slice(claim.span_start!, claim.span_end!)).toBe(claim.quote);
      }
    }
  });

  it('reconciles the 12 October figures as the codebook example does', async () => {
    const page = await listIncidents(instance.store.db, MECHANISM, {
      from: '2025-10-12',
      to: '2025-10-12',
      type: ['armed_clash'],
    });
    const groups = (page.incidents[0]!.fatalities as { groups: Group[] }).groups;
    const range = (side: string) => {
      const g = groups.find((x) => x.side === side && x.category === 'military')!;
      return [g.low, g.best, g.high];
    };
    expect(range('PK')).toEqual([23, 23, 58]);
    expect(range('AF')).toEqual([9, 9, 200]);
  });

  it('links the Paktika strikes and the "retaliatory operations" into one chain, and the ledger verifies', async () => {
    const db = instance.store.db;
    const retaliation = (await listIncidents(db, MECHANISM, { from: '2025-10-17', type: ['armed_clash'] }))
      .incidents[0]!;
    const record = await getIncident(db, MECHANISM, retaliation.id);
    expect(record.answers).toHaveLength(1);
    const strike = await getIncident(db, MECHANISM, record.answers[0]!.answers_id);
    expect(strike.incident.type).toBe('airstrike');
    expect(strike.incident.admin1).toBe('Paktika');
    expect(strike.incident.chain_id).toBe(retaliation.chain_id);
    const report = await verifyLedger(db);
    expect(report.problems).toEqual([]);
    expect(await isFreshInstance(db)).toBe(false);
  });
});
