/**
 * The scale section of `npm run bench`: a million synthetic ACLED-like rows imported through the
 * real write path (validation, reconciliation, one ledger entry per row), set against a bare
 * multi-row INSERT of the same final rows; then, on that store, the dashboard queries, the full
 * `ledger verify` against raw SHA-256 over the same bytes, inclusion proofs and single appends.
 *
 *   node bin/run-ts.js bench/scale.ts --run [ROWS] [--engine pglite|postgres]
 *
 * With TRUCE_BENCH_SCALE_ONLY=import, `--run` stops after the import and its bare-INSERT baseline
 * (steps 1 and 2), for iterating on the import alone; TRUCE_BENCH_IMPORT_WORKER=1 or 0 forces the
 * worker thread that checks records on or off (importer.ts `worker`; by default, on with more than two cores).
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { IMPORT_FORMATS } from '../src/interop/formats.ts';
import { importCsv } from '../src/interop/importer.ts';
import { storedNodes } from '../src/ledger/heads.ts';
import { ephemeralSigner } from '../src/ledger/keys.ts';
import { subtreeRootAsync } from '../src/ledger/proofs.ts';
import { signTreeHead, type TreeHead } from '../src/ledger/treeHead.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { createIncident } from '../src/record/incident.ts';
import type { EngineName, Store } from '../src/store/engine.ts';
import { insertRecordset } from '../src/store/recordset.ts';
import { benchDashboard, type DashboardResult } from './dashboard.ts';
import { writeSyntheticAcled } from './interop.ts';
import {
  fmt,
  int,
  type Latency,
  latency,
  line,
  loadAverage,
  peakRssMb,
  perSecond,
  round,
  sampleRss,
  timed,
} from './measure.ts';
import { timeProofs } from './proofs.ts';
import { ENGINE_NAMES, openBenchStore, type Section, type SectionContext, table } from './section.ts';
import { incidentInput, prng } from './workload.ts';

/** The tables an imported row leaves rows in (besides the ledger's own). */
const ROW_TABLES = ['incidents', 'claims', 'status_changes'] as const;
/** Entries after the head `ledger verify --since` starts from: about a busy day's writes. */
const SINCE_ENTRIES = 10_000;
/** Rows read back per page when copying them for the baseline (reads are not timed). */
const PAGE = 10_000;

export type ScaleResult = {
  engine: EngineName;
  rows: number;
  fileMb: number;
  import: {
    ms: number;
    rowsPerSecond: number;
    /** CPU time of this process (PGlite runs inside it; PostgreSQL in its own processes). */
    cpuMs: number;
    tableRows: Record<string, number>;
    ledgerEntries: number;
    ledgerMb: number;
  };
  /** The same final rows of ROW_TABLES, multi-row INSERTs in transactions of the import's batch size. */
  bare: { ms: number; rowsPerSecond: number; tableRows: number };
  /** Truce's import speed as a share of the bare INSERT's (goal ≥ 0.5). */
  importShareOfBare: number;
  dashboard: DashboardResult;
  verify: {
    entries: number;
    rowsChecked: number;
    ms: number;
    entriesPerSecond: number;
    problems: number;
    /** SHA-256 over the same entry bodies, in memory page by page (reading them is not timed). */
    sha256: { ms: number; bytes: number };
    ratio: number;
    /** `hashesOnly`: every entry's hash, the tree, heads and frontier; absent from runs before it existed. */
    hashesOnly?: { ms: number; ratio: number };
    /**
     * `since`: from a signed head SINCE_ENTRIES entries before the end — those entries in full and
     * the rows they wrote, the earlier ones by their stored hashes; absent from runs before it existed.
     */
    since?: {
      entriesAfter: number;
      rowsChecked: number;
      ms: number;
      logMs: number;
      stateMs: number;
      /** PostgreSQL: the VACUUM of the ledger run first, as autovacuum would (absent before migration 012). */
      vacuumMs?: number;
    };
  };
  proofs: Latency & { treeSize: number };
  appends: Latency & { perSecond: number };
  storageMb: number;
  peakRssMb: number;
};

function sizesFor(quick: boolean) {
  return {
    // TRUCE_BENCH_SCALE_ROWS sets another size (PGlite at a million takes most of an hour on 2 cores).
    rows: Number(process.env.TRUCE_BENCH_SCALE_ROWS) || (quick ? 20_000 : 1_000_000),
    batch: 1000,
    proofs: quick ? 50 : 200,
    appends: quick ? 50 : 300,
  };
}

export async function benchScale(ctx: SectionContext, rows = sizesFor(ctx.quick).rows): Promise<ScaleResult> {
  const sizes = { ...sizesFor(ctx.quick), rows };
  const engine = ctx.engine ?? 'pglite';
  const label = ctx.label;
  const dir = mkdtempSync(join(os.tmpdir(), 'truce-scale-bench-'));
  const opened = await openBenchStore(engine, ctx.databaseUrl);
  const store = opened.store;
  try {
    const {
      fileMb,
      import: importResult,
      bare,
      importShareOfBare,
    } = await importAndBaseline(store, dir, rows, sizes.batch, label, opened.persistence);

    // 3. The dashboard, on the imported store.
    const dashboard = await benchDashboard(store, { rounds: ctx.quick ? 2 : 5 });
    for (const [kind, s] of Object.entries(dashboard.kinds)) {
      line(label, `dashboard: ${kind} (${s.runs} runs)`, `p95 ${fmt(s.p95)} ms`, `p50 ${fmt(s.p50)} ms`);
    }

    // 4. The ledger: full verify, and the check of its hashes alone, against SHA-256 over the same bytes.
    // Given the Store, as `truce ledger verify` does: binary COPY in one snapshot, worker threads.
    const verified = await timed(() => verifyLedger(store));
    const hashesOnly = await timed(() => verifyLedger(store, { hashesOnly: true }));
    const held = await heldHead(store, Math.max(0, verified.value.treeSize - SINCE_ENTRIES));
    // A party's head is a day old or more: by then PostgreSQL's autovacuum has vacuumed the
    // append-only ledger after its inserts, so the hashes before the head come from the primary key
    // alone (migration 012). This machine's server may run without autovacuum: done here, and timed.
    // PGlite has no autovacuum and its housekeeping leaves the ledger be: nothing to do there.
    const vacuum =
      store.engine === 'postgres' ? await timed(() => store.pool.query('VACUUM ledger_entries')) : undefined;
    const since = await timed(() => verifyLedger(store, { since: held }));
    const sha = await sha256OfBodies(store);
    const verify = {
      entries: verified.value.treeSize,
      rowsChecked: verified.value.rowsChecked,
      ms: round(verified.ms),
      logMs: verified.value.timings.logMs,
      stateMs: verified.value.timings.stateMs,
      entriesPerSecond: perSecond(verified.value.treeSize, verified.ms),
      problems: verified.value.problems.length,
      sha256: { ms: round(sha.ms), bytes: sha.bytes },
      ratio: round(verified.ms / sha.ms, 1),
      hashesOnly: { ms: round(hashesOnly.ms), ratio: round(hashesOnly.ms / sha.ms, 1) },
      since: {
        entriesAfter: since.value.treeSize - held.treeSize,
        rowsChecked: since.value.rowsChecked,
        ms: round(since.ms),
        logMs: since.value.timings.logMs,
        stateMs: since.value.timings.stateMs,
        ...(vacuum ? { vacuumMs: round(vacuum.ms) } : {}),
      },
    };
    const failed = [verified, hashesOnly, since].find((run) => !run.value.ok);
    if (failed)
      throw new Error(`verify found problems: ${JSON.stringify(failed.value.problems.slice(0, 3))}`);
    line(
      label,
      `ledger verify (${int(verify.entries)} entries, ${int(verify.rowsChecked)} rows)`,
      `${fmt(verify.ms / 1000)} s`,
      `${fmt(verify.entriesPerSecond)} entries/s (log ${fmt(verify.logMs / 1000)} s, rows ${fmt(verify.stateMs / 1000)} s); SHA-256 of the same ${fmt(sha.bytes / 1e6)} MB ${fmt(sha.ms / 1000)} s → ${fmt(verify.ratio)}×`,
    );
    line(
      label,
      `ledger verify --hashes-only (${int(verify.entries)} entries)`,
      `${fmt(verify.hashesOnly.ms / 1000)} s`,
      `→ ${fmt(verify.hashesOnly.ratio)}× SHA-256 of the same bytes`,
    );
    line(
      label,
      `ledger verify --since a head ${int(verify.since.entriesAfter)} entries back (${int(verify.since.rowsChecked)} rows)`,
      `${fmt(verify.since.ms / 1000)} s`,
      `log ${fmt(verify.since.logMs / 1000)} s, rows ${fmt(verify.since.stateMs / 1000)} s${vacuum ? `; after VACUUM ledger_entries ${fmt(vacuum.ms / 1000)} s` : ''}`,
    );

    // 5. Proofs and single appends at this size.
    const rand = prng(11);
    const proofTimes = await timeProofs(store, sizes.proofs, rand);
    const proofs = { ...latency(proofTimes.total), treeSize: proofTimes.treeSize };
    line(
      label,
      `inclusion proof at ${int(proofs.treeSize)} entries, build + verify`,
      `p95 ${fmt(proofs.p95Ms)} ms`,
      `p50 ${fmt(proofs.p50Ms)} ms`,
    );
    // Incidents as a monitor enters them one by one, naming actors the import created.
    const actors = (await store.db.selectFrom('actors').select('id').orderBy('id').limit(2).execute()).map(
      (a) => a.id,
    );
    const appendTimes: number[] = [];
    const appendsTotal = await timed(async () => {
      for (let i = 0; i < sizes.appends; i++) {
        const t0 = performance.now();
        await createIncident(store, 'bench', {
          ...incidentInput(rand, i),
          actorId: actors[0]!,
          targetId: actors[1] ?? actors[0]!,
          tlp: 'GREEN',
          recipients: [],
        });
        appendTimes.push(performance.now() - t0);
      }
    });
    const appends = { ...latency(appendTimes), perSecond: perSecond(sizes.appends, appendsTotal.ms) };
    line(
      label,
      `single appends at ${int(proofs.treeSize)} entries (createIncident, one transaction each)`,
      `${fmt(appends.perSecond)} /s`,
      `p50 ${fmt(appends.p50Ms)} ms, p95 ${fmt(appends.p95Ms)} ms`,
    );

    const storageMb = round((await relationBytes(store)) / 1e6);
    sampleRss();
    return {
      engine,
      rows,
      fileMb,
      import: importResult,
      bare,
      importShareOfBare,
      dashboard,
      verify,
      proofs,
      appends,
      storageMb,
      peakRssMb: peakRssMb(),
    };
  } finally {
    // TRUCE_BENCH_KEEP=1 leaves the million-row store for a closer look (its location is printed).
    if (process.env.TRUCE_BENCH_KEEP) {
      line(label, 'store kept (TRUCE_BENCH_KEEP)', opened.persistence);
      await store.close();
    } else await opened.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export type ImportAndBaseline = Pick<ScaleResult, 'fileMb' | 'import' | 'bare' | 'importShareOfBare'>;

/** Steps 1 and 2: the import of a synthetic file of `rows` rows, then the bare INSERT of the same final rows. */
export async function importAndBaseline(
  store: Store,
  dir: string,
  rows: number,
  batch: number,
  label: string,
  persistence: string,
): Promise<ImportAndBaseline> {
  const file = join(dir, 'acled.csv');
  await writeSyntheticAcled(file, rows);
  const fileMb = round(statSync(file).size / 1e6);
  line(label, `synthetic ACLED file (${int(rows)} rows)`, `${fmt(fileMb)} MB`, persistence);

  // 1. The import, through the one write path.
  const cpu0 = process.cpuUsage();
  let lastReport = performance.now();
  const imported = await timed(() =>
    importCsv(store, createReadStream(file), {
      format: IMPORT_FORMATS.acled,
      onError: 'stop',
      by: 'bench',
      // As `truce import` decides (a worker thread only with more than two cores), unless
      // TRUCE_BENCH_IMPORT_WORKER=1 or 0 forces it, for comparison.
      ...(process.env.TRUCE_BENCH_IMPORT_WORKER
        ? { worker: process.env.TRUCE_BENCH_IMPORT_WORKER === '1' }
        : {}),
      sharing: { tlp: 'GREEN', recipients: [] },
      batchSize: batch,
      onProgress: (p) => {
        if (performance.now() - lastReport < 30_000) return;
        lastReport = performance.now();
        line(
          label,
          `  … ${int(p.applied)} rows applied`,
          `${fmt(peakRssMb())} MB RSS`,
          `load ${loadAverage()}`,
        );
      },
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  if (imported.value.applied !== rows)
    throw new Error(
      `imported ${imported.value.applied} of ${rows}: ${JSON.stringify(imported.value.stopped)}`,
    );
  const tableRows: Record<string, number> = {};
  for (const t of ROW_TABLES) tableRows[t] = await count(store, t);
  const ledger = await store.pool.query<{ n: string; bytes: string }>(
    'SELECT count(*) AS n, coalesce(sum(octet_length(body)), 0) AS bytes FROM ledger_entries',
  );
  const importResult = {
    ms: round(imported.ms),
    rowsPerSecond: perSecond(rows, imported.ms),
    cpuMs: round((cpu.user + cpu.system) / 1000),
    tableRows,
    ledgerEntries: Number(ledger.rows[0]!.n),
    ledgerMb: round(Number(ledger.rows[0]!.bytes) / 1e6),
  };
  line(
    label,
    `import ${int(rows)} ACLED rows (validate, reconcile, ledger)`,
    `${fmt(importResult.rowsPerSecond)} rows/s`,
    `${fmt(imported.ms / 1000)} s, ${int(importResult.ledgerEntries)} entries, ${fmt(importResult.ledgerMb)} MB of entries`,
  );

  // 2. Baseline: the same final rows, bare.
  const bare = await bareInsert(store, batch, rows);
  const importShareOfBare = round(bare.ms / imported.ms, 2);
  line(
    label,
    `  baseline: bare multi-row INSERT of the same ${int(bare.tableRows)} rows`,
    `${fmt(bare.rowsPerSecond)} rows/s`,
    `${fmt(bare.ms / 1000)} s → Truce at ${Math.round(importShareOfBare * 100)}% of bare speed (goal ≥ 50%)`,
  );
  return { fileMb, import: importResult, bare, importShareOfBare };
}

async function count(store: Store, table: string): Promise<number> {
  const { rows } = await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

/**
 * Copies the imported rows of ROW_TABLES into bare tables with the same columns, CHECKs and indexes
 * (no foreign keys), `rows / batch` transactions of multi-row INSERTs, timing only the INSERTs.
 */
async function bareInsert(store: Store, batch: number, rows: number) {
  for (const t of ROW_TABLES) await store.pool.query(`CREATE TABLE bare_${t} (LIKE ${t} INCLUDING ALL)`);
  // Pages of each table, read ahead (not timed), so each bare transaction holds one batch's rows.
  const pages: Record<string, Record<string, unknown>[]> = {};
  const after: Record<string, string> = {};
  let ms = 0;
  let tableRows = 0;
  const share = (t: string) => Math.ceil((batch * (rowsOf[t] ?? 0)) / rows);
  const rowsOf: Record<string, number> = {};
  for (const t of ROW_TABLES) rowsOf[t] = await count(store, t);
  for (;;) {
    let any = false;
    const chunk: Record<string, Record<string, unknown>[]> = {};
    for (const t of ROW_TABLES) {
      if ((pages[t]?.length ?? 0) < share(t)) {
        const more = await store.pool.query(`SELECT * FROM ${t} WHERE id > $1 ORDER BY id LIMIT ${PAGE}`, [
          after[t] ?? '',
        ]);
        if (more.rows.length > 0) after[t] = more.rows[more.rows.length - 1].id;
        pages[t] = [...(pages[t] ?? []), ...more.rows];
      }
      chunk[t] = (pages[t] ?? []).splice(0, share(t));
      if (chunk[t]!.length > 0) any = true;
    }
    if (!any) break;
    const t0 = performance.now();
    await store.db.transaction().execute(async (trx) => {
      for (const t of ROW_TABLES) {
        const list = chunk[t]!;
        if (list.length > 0) await insertRecordset(trx, `bare_${t}`, Object.keys(list[0]!), list);
      }
    });
    ms += performance.now() - t0;
    for (const t of ROW_TABLES) tableRows += chunk[t]!.length;
  }
  const copied = await Promise.all(ROW_TABLES.map((t) => count(store, `bare_${t}`)));
  const expected = ROW_TABLES.reduce((n, t) => n + (rowsOf[t] ?? 0), 0);
  if (copied.reduce((a, b) => a + b, 0) !== expected) throw new Error('the bare baseline lost rows');
  for (const t of ROW_TABLES) await store.pool.query(`DROP TABLE bare_${t}`);
  return { ms: round(ms), rowsPerSecond: perSecond(rows, ms), tableRows };
}

/**
 * A head at `size` as a party would have kept it: signed by a key of the store's, over the root
 * the stored subtree hashes give (the import signs none of its own).
 */
async function heldHead(store: Store, size: number): Promise<TreeHead> {
  const signer = ephemeralSigner();
  const root = await subtreeRootAsync(storedNodes(store.db), 0, size);
  const head = signTreeHead(signer.privateKey, size, root, new Date());
  await store.db
    .insertInto('signing_keys')
    .values({ key_id: signer.keyId, public_pem: signer.publicKeyPem, created_at: head.timestamp })
    .execute();
  return head;
}

async function sha256OfBodies(store: Store): Promise<{ ms: number; bytes: number }> {
  let after = -1;
  let ms = 0;
  let bytes = 0;
  for (;;) {
    const page = await store.pool.query<{ seq: string; body: string }>(
      'SELECT seq, body FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT 20000',
      [after],
    );
    if (page.rows.length === 0) break;
    const buffers = page.rows.map((r) => Buffer.from(r.body, 'utf8'));
    const t0 = performance.now();
    for (const b of buffers) {
      createHash('sha256')
        .update(Buffer.from([0]))
        .update(b)
        .digest();
      bytes += b.length;
    }
    ms += performance.now() - t0;
    after = Number(page.rows[page.rows.length - 1]!.seq);
  }
  return { ms, bytes };
}

async function relationBytes(store: Store): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`
    SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${store.schema} AND c.relkind = 'r'`.execute(store.db);
  return Number(rows[0]?.bytes ?? 0);
}

function markdown(report: { runs: { engine: EngineName | null; result: ScaleResult }[] }): string[] {
  const runs = report.runs.map((r) => r.result);
  if (runs.length === 0) return [];
  const head = ['', ...runs.map((r) => `${ENGINE_NAMES[r.engine]} (${int(r.rows)} rows)`)];
  const row = (what: string, cell: (r: ScaleResult) => string) => [what, ...runs.map(cell)];
  const kinds = Object.keys(runs[0]!.dashboard.kinds);
  return [
    `Measured on a synthetic ACLED file (${runs.map((r) => `${int(r.rows)} rows, ${fmt(r.fileMb)} MB, on ${ENGINE_NAMES[r.engine]}`).join('; ')}; bench/interop.ts ` +
      "`writeSyntheticAcled`, deterministic), imported through `truce import acled`'s code path into an empty store.",
    '',
    ...table(head, [
      row(
        'import: rows/s (validate, reconcile, 1 ledger entry per row)',
        (r) => `${fmt(r.import.rowsPerSecond)} (${fmt(r.import.ms / 1000)} s)`,
      ),
      row(
        '&nbsp;&nbsp;baseline: bare multi-row INSERT of the same final rows',
        (r) => `${fmt(r.bare.rowsPerSecond)} (${fmt(r.bare.ms / 1000)} s)`,
      ),
      row(
        '&nbsp;&nbsp;**Truce speed / bare speed** (goal ≥ 50%)',
        (r) => `**${Math.round(r.importShareOfBare * 100)}%**`,
      ),
      row(
        '&nbsp;&nbsp;ledger entries written',
        (r) => `${int(r.import.ledgerEntries)} (${fmt(r.import.ledgerMb)} MB)`,
      ),
      ...kinds.map((k) =>
        row(`dashboard: ${k} p50 / p95 (goal p95 ≤ 50 ms on PostgreSQL)`, (r) => {
          const s = r.dashboard.kinds[k];
          return s ? `${fmt(s.p50)} / ${fmt(s.p95)} ms` : '–';
        }),
      ),
      row(
        '`ledger verify`: all entries and rows (goal ≤ 10 s)',
        (r) => `${fmt(r.verify.ms / 1000)} s (${fmt(r.verify.entriesPerSecond)} entries/s)`,
      ),
      row('&nbsp;&nbsp;`--hashes-only`: every entry hashed, tree, signed heads', (r) =>
        r.verify.hashesOnly
          ? `${fmt(r.verify.hashesOnly.ms / 1000)} s → ${fmt(r.verify.hashesOnly.ratio)}× SHA-256`
          : '–',
      ),
      row(
        `&nbsp;&nbsp;\`--since\` a signed head ${int(SINCE_ENTRIES)} entries back: those entries and their rows`,
        (r) =>
          r.verify.since
            ? `${fmt(r.verify.since.ms / 1000)} s (log ${fmt(r.verify.since.logMs / 1000)} s, rows ${fmt(r.verify.since.stateMs / 1000)} s${r.verify.since.vacuumMs === undefined ? '' : `; the ledger vacuumed first, ${fmt(r.verify.since.vacuumMs / 1000)} s`})`
            : '–',
      ),
      row(
        '&nbsp;&nbsp;baseline: SHA-256 over the same bytes',
        (r) =>
          `${fmt(r.verify.sha256.ms / 1000)} s (${fmt(r.verify.sha256.bytes / 1e6)} MB) → ${fmt(r.verify.ratio)}×`,
      ),
      row(
        'inclusion proof, build + verify p50 / p95',
        (r) => `${fmt(r.proofs.p50Ms)} / ${fmt(r.proofs.p95Ms)} ms at ${int(r.proofs.treeSize)}`,
      ),
      row(
        'single append (createIncident) p50 / p95',
        (r) => `${fmt(r.appends.p50Ms)} / ${fmt(r.appends.p95Ms)} ms (${fmt(r.appends.perSecond)}/s)`,
      ),
      row('storage (tables + indexes)', (r) => `${fmt(r.storageMb)} MB`),
      row('peak RSS of the process', (r) => `${fmt(r.peakRssMb)} MB`),
    ]),
  ];
}

export const scaleSection: Section<ScaleResult> = {
  name: 'scale',
  title: 'Scale: a million rows',
  perEngine: true,
  sizes: sizesFor,
  run: (ctx) => benchScale(ctx),
  markdown,
};

if (process.env.TRUCE_SCRIPT === import.meta.url && process.argv.includes('--run')) {
  const rows = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20_000);
  const at = process.argv.indexOf('--engine');
  const engine = (at > 0 ? process.argv[at + 1] : 'pglite') as EngineName;
  const databaseUrl = process.env.TRUCE_BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (process.env.TRUCE_BENCH_SCALE_ONLY === 'import') {
    const dir = mkdtempSync(join(os.tmpdir(), 'truce-scale-bench-'));
    const opened = await openBenchStore(engine, databaseUrl);
    try {
      const label = `scale/${engine}`;
      const result = await importAndBaseline(opened.store, dir, rows, 1000, label, opened.persistence);
      line(label, 'peak RSS of the process', `${fmt(peakRssMb())} MB`);
      console.log(JSON.stringify(result, null, 2));
    } finally {
      await opened.drop();
      rmSync(dir, { recursive: true, force: true });
    }
    process.exit(0);
  }
  const result = await benchScale(
    { quick: rows < 100_000, engine, databaseUrl, label: `scale/${engine}` },
    rows,
  );
  console.log(JSON.stringify({ ...result, dashboard: result.dashboard.kinds }, null, 2));
}
