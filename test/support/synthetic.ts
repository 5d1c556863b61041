/** Checks on stores that imported bench/interop.ts's synthetic ACLED rows. */
import { expect } from 'vitest';
import type { Store } from '../../src/store/engine.ts';

/** How many synthetic incidents are stored, after checking that each came with its one claim. */
export async function wholeIncidents(store: Store): Promise<number> {
  const incidents = await store.db
    .selectFrom('incidents')
    .leftJoin('claims', 'claims.incident_id', 'incidents.id')
    .select(['incidents.id', (eb) => eb.fn.count<number>('claims.id').as('claims')])
    .where('incidents.id', 'like', 'acled:PAK%')
    .groupBy('incidents.id')
    .execute();
  // Every synthetic ACLED row is one incident with one claim: one without it was half-written.
  expect(incidents.filter((i) => Number(i.claims) !== 1)).toEqual([]);
  return incidents.length;
}
