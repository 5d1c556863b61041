/** Ingest against a real store: one transaction per document, dedup by content, matches onto seeded incidents. */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { seedDemo } from '../demo/seed.ts';
import { loadGazetteer } from '../gazetteer/gazetteer.ts';
import type { Instance } from '../instance.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { createExtractor } from './extract.ts';
import { type IngestDeps, ingestDocument } from './ingest.ts';

const gazetteer = loadGazetteer();
const extractor = createExtractor(gazetteer);
let instance: Instance;
let deps: IngestDeps;

beforeAll(async () => {
  instance = await openTestInstance();
  await seedDemo(instance);
  deps = { store: instance.store, gazetteer, extractor, by: 'tester', today: '2025-12-01' };
});
afterAll(async () => closeTestInstance(instance));

const REPORT = `title: Pakistani drone strike in Barmal
published: 2025-10-24
outlet: Dawn

A Pakistani drone strike hit a house in Barmal district of Paktika on Thursday, killing four civilians, local officials said.
Taliban spokesman Zabihullah Mujahid said 6 civilians were killed and 3 wounded in the strike.`;

describe('ingestDocument', () => {
  it('stores the document, a new incident and one claim per speaker, with spans into the stored body', async () => {
    const result = await ingestDocument({ content: REPORT, tlp: 'CLEAR' }, deps);
    expect(result.duplicate).toBe(false);
    const [outcome] = result.outcomes;
    expect(outcome?.action).toBe('created');
    expect(outcome?.proposal.type.value).toBe('drone_strike');
    expect(outcome?.proposal.date.value).toEqual({ day: '2025-10-23', precision: 'day' });
    expect(outcome?.proposal.place?.value.placeId).toBe('af-paktika-barmal');
    const claims = await instance.store.db
      .selectFrom('claims')
      .selectAll()
      .where('document_id', '=', result.document.id)
      .execute();
    expect(claims.map((c) => c.source_id).sort()).toEqual(['af-officials', 'mujahid']);
    const body = (
      await instance.store.db
        .selectFrom('documents')
        .select('body')
        .where('id', '=', result.document.id!)
        .executeTakeFirstOrThrow()
    ).body;
    for (const c of claims) expect(body.slice(c.span_start!, c.span_end!)).toBe(c.quote);
    const matches = await sql<{
      decision: string;
    }>`SELECT decision FROM ingest_matches WHERE document_id = ${result.document.id}`.execute(
      instance.store.db,
    );
    expect(matches.rows.map((r) => r.decision)).toEqual(['created', 'created']);
  });

  it('skips a document it already stored', async () => {
    const again = await ingestDocument({ content: REPORT }, deps);
    expect(again.duplicate).toBe(true);
    expect(again.outcomes).toEqual([]);
  });

  it('adds the desk note figures as claims on the seeded incidents instead of duplicating them', async () => {
    const before = await instance.store.db.selectFrom('incidents').select('id').execute();
    const note = readFileSync(new URL('../../data/demo/desk-note-2025-10.txt', import.meta.url), 'utf8');
    // The seed stored this text already; a variant with a header is a new document.
    const result = await ingestDocument(
      { content: `published: 2025-10-20\noutlet: Truce demo desk\n\n${note}\nEnd of note.` },
      deps,
    );
    const actions = result.outcomes.map((o) => o.action);
    expect(actions).toContain('matched');
    expect(actions).not.toContain('created');
    const after = await instance.store.db.selectFrom('incidents').select('id').execute();
    expect(after.length).toBe(before.length);
    const torkham = result.outcomes.find((o) => o.proposal.place?.value.placeId === 'xing-torkham');
    expect(torkham?.match?.reason).toContain('same place xing-torkham');
  });

  it('writes nothing when a step fails half-way', async () => {
    const count = async () =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM ledger_entries`.execute(instance.store.db))
          .rows[0]!.n,
      );
    const before = await count();
    // The document row is written first; the incident then fails (AMBER+STRICT to a party that does not exist).
    const text =
      'published: 2025-10-25\n\nPakistani shelling hit Asadabad in Kunar on Friday, killing two children.';
    await expect(
      ingestDocument({ content: text, tlp: 'AMBER+STRICT', recipients: ['ZZ'] }, deps),
    ).rejects.toThrow(/recipients/);
    const stored = await instance.store.db
      .selectFrom('documents')
      .select('id')
      .where('body', 'like', '%Asadabad%')
      .execute();
    expect(stored).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('keeps the ledger verifiable', async () => {
    const report = await verifyLedger(instance.store.db);
    expect(report.problems).toEqual([]);
  });

  it('dry-run writes nothing and says what it would do', async () => {
    const result = await ingestDocument({ content: `${REPORT}\nA later paragraph.`, dryRun: true }, deps);
    expect(result.outcomes[0]?.action).toBe('would match');
  });
});
