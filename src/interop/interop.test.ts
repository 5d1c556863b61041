import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticAcled } from '../../bench/interop.ts';
import { buildClaim, buildIncident, seedParties } from '../../test/support/factories.ts';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { ENGINES } from '../../test/support/store.ts';
import { wholeIncidents } from '../../test/support/synthetic.ts';
import { MECHANISM, PUBLIC } from '../access/viewer.ts';
import { buildServer } from '../api/server.ts';
import type { Instance } from '../instance.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { insertClaim } from '../record/claim.ts';
import { createIncident, insertIncident } from '../record/incident.ts';
import { recordTransaction } from '../record/transaction.ts';
import { ACLED_COLUMNS } from './acled.ts';
import { exportStream, type StreamFormat } from './exporter.ts';
import { IMPORT_FORMATS } from './formats.ts';
import { type ImportOptions, type ImportResult, importCsv } from './importer.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'interop');
const NEW_AMERICA = join(
  import.meta.dirname,
  '..',
  '..',
  'data',
  'datasets',
  'new-america-drone-strikes.csv',
);
const CLEAR = { tlp: 'CLEAR' as const, recipients: [] };

type Row = Record<string, string>;
const csvRows = (body: string): Row[] => parse(body, { columns: true, bom: true }) as Row[];

describe.each(ENGINES)('interop on %s', (engine) => {
  let instance: Instance;
  const db = () => instance.store.db;

  const importFile = (
    file: string,
    format: keyof typeof IMPORT_FORMATS,
    options: Partial<ImportOptions> = {},
  ): Promise<ImportResult> =>
    importCsv(instance.store, createReadStream(file), {
      format: IMPORT_FORMATS[format],
      onError: 'skip',
      by: 'importer',
      sharing: CLEAR,
      ...options,
    });

  const exported = async (format: StreamFormat, filter: Record<string, unknown> = {}, viewer = MECHANISM) =>
    text((await exportStream(db(), viewer, filter, format)).stream);

  beforeAll(async () => {
    instance = await openTestInstance(engine);
    await seedParties(instance.store);
  });
  afterAll(async () => {
    if (instance) await closeTestInstance(instance);
  });

  it('imports ACLED rows as incidents with one claim each, mapped per docs/interop.md', async () => {
    const result = await importFile(join(FIXTURES, 'acled-sample.csv'), 'acled');
    expect(result).toMatchObject({
      lines: 10,
      applied: 10,
      alreadyImported: 0,
      skippedCount: 0,
      stopped: null,
    });
    const rows = await db()
      .selectFrom('incidents')
      .selectAll()
      .where('id', 'like', 'acled:TST%')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.id, r.type, r.date_precision, r.country])).toEqual([
      ['acled:TST0001', 'armed_clash', 'day', 'PK'],
      ['acled:TST0002', 'drone_strike', 'day', 'AF'],
      ['acled:TST0003', 'airstrike', 'week', 'AF'],
      ['acled:TST0004', 'shelling', 'day', 'PK'],
      ['acled:TST0005', 'militant_attack', 'day', 'PK'],
      ['acled:TST0006', 'militant_attack', 'day', 'PK'],
      ['acled:TST0007', 'militant_attack', 'day', 'PK'],
      ['acled:TST0008', 'other', 'month', 'PK'],
      ['acled:TST0009', 'armed_clash', 'day', 'PK'],
      ['acled:TST0010', 'other', 'day', 'PK'],
    ]);
    const first = rows[0]!;
    // The lexicon maps ACLED's state forces to the parties' actors.
    expect([first.actor_id, first.target_id]).toEqual(['AF.forces', 'PK.military']);
    const claims = await db()
      .selectFrom('claims')
      .innerJoin('sources', 'sources.id', 'claims.source_id')
      .select([
        'claims.incident_id',
        'claims.quote',
        'claims.figures',
        'sources.id as source',
        'sources.kind',
        'sources.affiliation',
      ])
      .where('claims.incident_id', 'like', 'acled:TST%')
      .orderBy('claims.incident_id')
      .execute();
    expect(claims.map((c) => [c.source, c.kind, c.affiliation])).toEqual([
      ['reuters', 'wire', null],
      ['dawn', 'national_media', null],
      ['src.dawn-express-tribune', 'national_media', null],
      ['radio-pakistan', 'state_media', 'PK'],
      ['src.the-news-pakistan', 'national_media', null],
      ['src.twitter', 'social_media', null],
      ['ap', 'wire', null],
      ['src.local-partner-organisation', 'ngo', null],
      ['bbc', 'national_media', null],
      ['dawn', 'national_media', null],
    ]);
    expect(claims[0]!.figures).toEqual([
      { measure: 'fatalities', category: 'unknown', side: null, value: 5, qualifier: 'exact' },
    ]);
    expect(claims[3]!.quote).toContain('\nsecond line of the note.');
    // A wire figure sets best; a national outlet's only a high (CODEBOOK § Reconciliation).
    expect(first.fatalities_best).toBe(5);
    expect(rows[1]!.fatalities_best).toBe(0);
    expect((rows[1]!.fatalities as { totals: { unknown: unknown } }).totals.unknown).toEqual({
      low: 0,
      best: 0,
      high: 3,
    });
    expect((await verifyLedger(db())).ok).toBe(true);
  });

  it('exports ACLED the same events it imported (round trip)', async () => {
    const original = csvRows(readFileSync(join(FIXTURES, 'acled-sample.csv'), 'utf8'));
    const out = csvRows(await exported('acled', { from: '2025-01-01', to: '2025-12-31' }));
    expect(Object.keys(out[0]!)).toEqual([...ACLED_COLUMNS]);
    const byId = new Map(out.map((r) => [r.event_id_cnty, r]));
    const actors = new Map(
      (await db().selectFrom('actors').select(['id', 'name']).execute()).map((a) => [a.name, a.id]),
    );
    for (const row of original) {
      const back = byId.get(row.event_id_cnty!);
      expect(back, row.event_id_cnty).toBeDefined();
      for (const column of [
        'disorder_type',
        'event_type',
        'sub_event_type',
        'time_precision',
        'civilian_targeting',
        'iso',
        'country',
        'admin1',
        'admin2',
        'location',
        'geo_precision',
        'notes',
        'fatalities',
        'year',
      ]) {
        expect(back![column], `${row.event_id_cnty} ${column}`).toBe(row[column]);
      }
      // An outlet the lexicon knows comes back under the lexicon's name ("BBC News" is the BBC).
      expect(back!.source, row.event_id_cnty).toBe(row.source === 'BBC News' ? 'BBC' : row.source);
      expect(back!.event_date).toBe(row.event_date === '19 October 2025' ? '2025-10-19' : row.event_date);
      expect(Number(back!.latitude)).toBe(Number(row.latitude));
      expect(Number(back!.longitude)).toBe(Number(row.longitude));
      if (row.timestamp) expect(back!.timestamp).toBe(row.timestamp);
      // Names the lexicon maps come back as the actor's name in Truce; the others as they were.
      for (const column of ['actor1', 'actor2'] as const) {
        if (!actors.has(row[column]!) && row[column] !== '') continue;
        expect(back![column], `${row.event_id_cnty} ${column}`).toBe(row[column]);
      }
    }
    expect(byId.get('TST0001')!.actor1).toBe('Taliban forces');
  });

  it('reports malformed rows by line and skips them, or stops there with the rows before it applied', async () => {
    const file = join(FIXTURES, 'acled-malformed.csv');
    const expected = [
      { line: 3, error: expect.stringMatching(/^event_date: "2025-02-30" is not a calendar day/) },
      { line: 4, error: expect.stringMatching(/^latitude: 95.5 is out of range/) },
      { line: 5, error: 'has 20 fields; the header has 30' },
      { line: 6, error: expect.stringMatching(/bad quoting: text after the closing quote of field 28/) },
    ];
    const stopped = await importFile(file, 'acled', { onError: 'stop' });
    expect(stopped).toMatchObject({
      applied: 1,
      alreadyImported: 0,
      stopped: expected[0],
      appliedThrough: 2,
    });
    // Checked on a worker thread (the default only on more than two cores): the same lines, the same words.
    const skipped = await importFile(file, 'acled', { onError: 'skip', worker: true });
    expect(skipped).toMatchObject({
      lines: 7,
      applied: 2,
      alreadyImported: 1,
      skippedCount: 4,
      stopped: null,
    });
    expect(skipped.skipped).toEqual(expected);
    const ids = (
      await db().selectFrom('incidents').select('id').where('id', 'like', 'acled:BAD%').execute()
    ).map((r) => r.id);
    // Never half-applied: no bad row left an incident, a claim or an actor behind.
    expect(ids).toEqual([]);
    expect((await verifyLedger(db())).ok).toBe(true);
  });

  it('refuses a file that lacks a column it needs, before reading any row', async () => {
    const body = `event_id_cnty,event_date\nX1,2025-01-01\n`;
    await expect(
      importCsv(instance.store, Readable.from([body]), {
        format: IMPORT_FORMATS.acled,
        onError: 'skip',
        by: 'importer',
        sharing: CLEAR,
      }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'time_precision',
      message: /line 1: missing columns time_precision/,
    });
  });

  it('re-importing the same file adds nothing and says so', async () => {
    const before = await db()
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const again = await importFile(join(FIXTURES, 'acled-sample.csv'), 'acled');
    expect(again).toMatchObject({ applied: 0, alreadyImported: 10, skippedCount: 0 });
    const after = await db()
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('imports all 414 New America strikes with their low / high ranges', async () => {
    const result = await importFile(NEW_AMERICA, 'new-america');
    expect(result).toMatchObject({ lines: 414, applied: 414, skippedCount: 0 });
    const strikes = await db()
      .selectFrom('incidents')
      .select(['id', 'type', 'fatalities', 'status'])
      .where('id', 'like', 'new-america:%')
      .execute();
    expect(strikes).toHaveLength(414);
    expect(new Set(strikes.map((s) => s.type))).toEqual(new Set(['drone_strike']));
    const totals = (id: string) =>
      (strikes.find((s) => s.id === id)!.fatalities as { totals: Record<string, unknown> }).totals;
    // Strike 139 (2010-05-21): militants 3–6, civilians 5–6, unknown 1 low but 0 high.
    expect(totals('new-america:pk-139')).toMatchObject({
      militant: { low: 3, best: 3, high: 6 },
      civilian: { low: 5, best: 5, high: 6 },
      unknown: { low: 0, best: 0, high: 1 },
    });
    // Strike 0 (Nek Muhammad, 2004): one count, no range, one claim.
    expect(totals('new-america:pk-0')).toMatchObject({ militant: { low: 1, best: 1, high: 1 } });
    const ranged = strikes.filter((s) => {
      const t = (s.fatalities as { totals: Record<string, { low: number; high: number }> }).totals;
      return Object.values(t).some((v) => v.high > v.low);
    });
    expect(ranged.length).toBeGreaterThan(300);
  });

  it('imports UCDP events with deaths per side and UCDP’s own low / best / high', async () => {
    const result = await importFile(join(FIXTURES, 'ucdp-sample.csv'), 'ucdp');
    expect(result).toMatchObject({ applied: 4, skippedCount: 0 });
    const get = (id: string) =>
      db().selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const clear = await get('ucdp:900001');
    expect([clear.actor_id, clear.target_id, clear.status]).toEqual(['PK.military', 'TTP', 'reported']);
    expect((clear.fatalities as { groups: unknown[] }).groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'military', side: 'PK', best: 2 }),
        expect.objectContaining({ category: 'militant', side: null, best: 5 }),
        expect.objectContaining({ category: 'civilian', side: null, best: 1 }),
      ]),
    );
    // After 15 August 2021 "Government of Afghanistan" is the Taliban authorities' forces.
    const ranged = await get('ucdp:900002');
    expect(ranged.actor_id).toBe('AF.forces');
    const out = csvRows(await exported('ucdp', { from: '2021-01-01', to: '2024-12-31' }));
    const back = new Map(out.map((r) => [r.id, r]));
    for (const [id, low, best, high] of [
      ['900001', 8, 8, 8],
      ['900002', 4, 6, 10],
      ['900003', 4, 4, 7],
      ['900004', 5, 5, 5],
    ] as const) {
      expect([back.get(id)!.low, back.get(id)!.best, back.get(id)!.high].map(Number), id).toEqual([
        low,
        best,
        high,
      ]);
    }
    expect(back.get('900001')).toMatchObject({
      deaths_a: '2',
      deaths_b: '5',
      deaths_civilians: '1',
      type_of_violence: '1',
    });
    expect(back.get('900002')).toMatchObject({
      date_start: '2022-05-10',
      date_end: '2022-05-12',
      date_prec: '3',
    });
  });

  it('writes the same rows and entries as the one write path would', async () => {
    const imported = await db()
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', 'ucdp:900002')
      .executeTakeFirstOrThrow();
    // One dataset row is one ledger entry; its data lists the claims in the order they were added.
    const entries = await db()
      .selectFrom('ledger_entries')
      .select(['kind', 'body'])
      .where('body', 'like', `%"incidentId":"${imported.id}"%`)
      .execute();
    expect(entries.map((e) => e.kind)).toEqual(['incident.imported']);
    const entry = JSON.parse(entries[0]!.body) as {
      data: { claimIds: string[]; format: string };
      writes: { op: string; table: string; id: string }[];
    };
    expect(entry.data.format).toBe('ucdp');
    const byId = new Map(
      (await db().selectFrom('claims').selectAll().where('incident_id', '=', imported.id).execute()).map(
        (c) => [c.id, c],
      ),
    );
    const claims = entry.data.claimIds.map((id) => byId.get(id)!);
    expect(claims).toHaveLength(byId.size);
    const manual = await recordTransaction(instance.store, 'importer', async (tx) => {
      const incident = await insertIncident(tx, {
        id: 'manual-900002',
        type: imported.type,
        title: imported.title,
        occurredOn: imported.occurred_on,
        datePrecision: imported.date_precision,
        lat: imported.lat,
        lon: imported.lon,
        geoPrecision: imported.geo_precision,
        actorId: imported.actor_id,
        targetId: imported.target_id,
        ...CLEAR,
      });
      let last = incident;
      for (const c of claims) {
        last = (
          await insertClaim(tx, {
            incidentId: incident.id,
            sourceId: c.source_id,
            publishedAt: c.published_at,
            quote: c.quote,
            asserted: c.asserted,
            figures: c.figures,
            credibility: c.credibility,
            ...CLEAR,
          })
        ).incident;
      }
      return last;
    });
    const manualClaims = await db()
      .selectFrom('claims')
      .select('id')
      .where('incident_id', '=', manual.id)
      .orderBy('ledger_seq')
      .execute();
    // Claim ids are random: compare with each replaced by its position.
    const same = (value: unknown, ids: readonly string[]) =>
      JSON.parse(ids.reduce((s, id, i) => s.replaceAll(id, `claim${i}`), JSON.stringify(value)));
    for (const column of [
      'type',
      'status',
      'figures_disputed',
      'fatalities_best',
      'actor_id',
      'target_id',
      'tlp',
    ] as const)
      expect(imported[column], column).toEqual(manual[column]);
    expect(
      same(
        imported.fatalities,
        claims.map((c) => c.id),
      ),
    ).toEqual(
      same(
        manual.fatalities,
        manualClaims.map((c) => c.id),
      ),
    );
    const changes = async (id: string) =>
      await db()
        .selectFrom('status_changes')
        .select(['from_status', 'to_status', 'reason'])
        .where('incident_id', '=', id)
        .execute();
    expect(await changes(imported.id)).toEqual(await changes(manual.id));
    // The entry holds every row the one write path would have left, each as its final image.
    const importedChanges = await changes(imported.id);
    expect(entry.writes.map((w) => `${w.op} ${w.table}`)).toEqual([
      'insert incidents',
      ...claims.map(() => 'insert claims'),
      ...importedChanges.map(() => 'insert status_changes'),
    ]);
  });

  it('exports through the access policy and the filters of the view', async () => {
    const amber = await createIncident(
      instance.store,
      'importer',
      buildIncident({ title: 'Amber only', occurredOn: '2025-10-13', tlp: 'AMBER', recipients: ['PK'] }),
    );
    await recordTransaction(instance.store, 'importer', (tx) =>
      insertClaim(tx, buildClaim(amber.id, { tlp: 'AMBER', recipients: ['PK'] })),
    );
    const app = await buildServer({ instance, trustedViewer: () => PUBLIC });
    try {
      for (const format of ['acled', 'ucdp', 'geojson', 'jsonl']) {
        const response = await app.inject(`/export?format=${format}&from=2025-10-01&to=2025-10-31`);
        expect(response.statusCode, format).toBe(200);
        expect(response.headers['content-disposition']).toMatch(
          new RegExp(
            `attachment; filename="truce-\\d{4}-\\d{2}-\\d{2}\\.${format === 'acled' || format === 'ucdp' ? `${format}\\.csv` : format}"`,
          ),
        );
        expect(response.body).toContain('TST0001');
        expect(response.body, format).not.toContain(amber.id);
      }
      const geo = (
        await app.inject('/export?format=geojson&type=drone_strike,airstrike&from=2025-01-01')
      ).json();
      expect(geo.type).toBe('FeatureCollection');
      expect(geo.ledger.treeSize).toBeGreaterThan(0);
      expect(geo.features.map((f: { id: string }) => f.id).sort()).toEqual([
        'acled:TST0002',
        'acled:TST0003',
      ]);
      expect(geo.features[0].geometry.type).toBe('Point');
      expect((await app.inject('/export?format=acled')).headers['content-type']).toBe(
        'text/csv; charset=utf-8',
      );
      expect((await app.inject('/export?format=acled&bbox=1,2')).statusCode).toBe(400);
    } finally {
      await app.close();
    }
    const mechanism = await exported('jsonl', { from: '2025-10-13', to: '2025-10-13' });
    const lines = mechanism
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toContain(amber.id);
    expect(lines.find((l) => l.id === amber.id).claims).toHaveLength(1);
  });

  it('imports every row when other writes land between its batches, and the ledger verifies', async () => {
    // Each batch is built ahead on the log the batch before leads to; a monitor's write in between
    // makes that log stale, and the batch must then be written the usual way, not lost or doubled.
    const dir = mkdtempSync(join(tmpdir(), 'truce-interop-'));
    const file = join(dir, 'acled.csv');
    await writeSyntheticAcled(file, 240);
    const monitor: Promise<{ id: string }>[] = [];
    try {
      const result = await importFile(file, 'acled', {
        batchSize: 20,
        onProgress: () => {
          monitor.push(
            createIncident(instance.store, 'monitor', buildIncident({ title: 'Reported meanwhile' })),
          );
        },
      });
      const written = await Promise.all(monitor);
      expect(written.length).toBeGreaterThan(5);
      expect(result).toMatchObject({
        lines: 240,
        applied: 240,
        alreadyImported: 0,
        skippedCount: 0,
        stopped: null,
      });
      expect(await wholeIncidents(instance.store)).toBe(240);
      const meanwhile = await db()
        .selectFrom('incidents')
        .select('id')
        .where(
          'id',
          'in',
          written.map((w) => w.id),
        )
        .execute();
      expect(meanwhile).toHaveLength(written.length);
      expect((await verifyLedger(instance.store)).problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never crashes on random rows: each is applied, already imported, or reported by line', async () => {
    const field = fc.oneof(
      fc.constantFrom(
        '',
        'PAK1',
        '2025-10-12',
        '12 October 2025',
        '1',
        '3',
        '95',
        '-200',
        'Battles',
        'Armed clash',
        'Dawn',
      ),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom('"', ',', '\n', 'a', '\u0000', ' '), maxLength: 6 }),
    );
    const valid = (i: number) => [
      `RND${i}`,
      '2025-10-12',
      '2025',
      '1',
      '',
      'Battles',
      'Armed clash',
      'Military Forces of Pakistan (2018-)',
      '',
      '1',
      '',
      '',
      '',
      '',
      '',
      '586',
      '',
      'Pakistan',
      '',
      '',
      '',
      'Wana',
      '32.3',
      '69.6',
      '1',
      'Dawn',
      'National',
      'note',
      '2',
      '',
    ];
    const cell = (value: string, quote: boolean) => (quote ? `"${value.replaceAll('"', '""')}"` : value);
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            mutate: fc.array(fc.tuple(fc.nat(29), field), { maxLength: 3 }),
            quote: fc.boolean(),
            dropTail: fc.nat(3),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (rows) => {
          round += 1;
          const lines = rows.map((r, i) => {
            const values = valid(round * 100 + i);
            for (const [at, v] of r.mutate) values[at] = v;
            return values
              .slice(0, 30 - (r.dropTail === 3 ? 1 : 0))
              .map((v) => cell(v, r.quote))
              .join(',');
          });
          const result = await importCsv(
            instance.store,
            Readable.from([`${ACLED_COLUMNS.join(',')}\n${lines.join('\n')}\n`]),
            {
              format: IMPORT_FORMATS.acled,
              onError: 'skip',
              by: 'importer',
              sharing: CLEAR,
              batchSize: 4,
            },
          );
          expect(result.applied + result.alreadyImported + result.skippedCount).toBe(result.lines);
          for (const s of result.skipped) expect(s.line).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 20 },
    );
    expect((await verifyLedger(db())).ok).toBe(true);
  });
});
