/**
 * `npm run bench`: measures the record layer (the one write path, the ledger, and the incident list)
 * on PGlite and on PostgreSQL, each figure next to a baseline measured in the same run, and writes
 * bench/results.json and BENCHMARKS.md.
 *
 *   npm run bench [-- --quick] [-- --engine pglite|postgres|all]
 *
 * PostgreSQL is used when TRUCE_BENCH_DATABASE_URL or DATABASE_URL is set (in a fresh schema
 * bench_<random>, dropped at the end); otherwise it is skipped, saying so.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { MECHANISM } from '../src/access/viewer.ts';
import { proveInclusion, publishHead } from '../src/ledger/heads.ts';
import { ephemeralSigner } from '../src/ledger/keys.ts';
import { verifyInclusion } from '../src/ledger/proofs.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { countIncidents, listIncidents } from '../src/query/incidents.ts';
import { addClaim, insertClaim } from '../src/record/claim.ts';
import { createIncident, insertIncident } from '../src/record/incident.ts';
import { recordTransaction } from '../src/record/transaction.ts';
import { type EngineName, openStore, type Store } from '../src/store/engine.ts';
import { claimInput, incidentInput, prng, seedReference } from './workload.ts';

// ---------------------------------------------------------------------------------------------
// Options

type Options = {
  quick: boolean;
  engines: EngineName[];
  write: boolean;
  /** Internal: run one engine in this process and leave its result in this file. */
  child: { engine: EngineName; resultFile: string } | undefined;
};

function parseArgs(argv: readonly string[]): Options {
  let quick = false;
  let engine = 'all';
  let write: boolean | undefined;
  let child: Options['child'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--write') write = true;
    else if (arg === '--no-write') write = false;
    else if (arg === '--engine') engine = argv[++i] ?? '';
    else if (arg.startsWith('--engine=')) engine = arg.slice('--engine='.length);
    else if (arg === '--child') {
      const name = argv[++i];
      const resultFile = argv[++i];
      if ((name !== 'pglite' && name !== 'postgres') || !resultFile) usage('--child ENGINE RESULT_FILE');
      child = { engine: name, resultFile };
    } else usage(`unknown argument ${arg}`);
  }
  if (!['pglite', 'postgres', 'all'].includes(engine)) usage(`--engine must be pglite, postgres or all`);
  const engines: EngineName[] = engine === 'all' ? ['pglite', 'postgres'] : [engine as EngineName];
  // A smoke run must not overwrite the published figures unless asked to.
  return { quick, engines, write: write ?? !quick, child };
}

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npm run bench -- [--quick] [--engine pglite|postgres|all] [--write|--no-write]`,
  );
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));
const SIZES = options.quick
  ? { single: 50, batch: 500, proofs: 50, reads: 20, warmup: 5 }
  : { single: 500, batch: 5_000, proofs: 200, reads: 100, warmup: 10 };
const DATABASE_URL = process.env.TRUCE_BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;
/** The read benchmark's filter: one quarter of 2025 and a box over about a third of the region. */
const READ_FILTER = { from: '2025-04-01', to: '2025-06-30', bbox: '66,31,71,35', limit: 100 };

// ---------------------------------------------------------------------------------------------
// Measuring

let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 50);
rssTimer.unref();

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  sampleRss();
  return { ms, value };
}

/** Nearest-rank percentile. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

type Latency = { runs: number; p50Ms: number; p95Ms: number; maxMs: number };
function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    p50Ms: round(percentile(sorted, 50), 3),
    p95Ms: round(percentile(sorted, 95), 3),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 3),
  };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
const perSecond = (count: number, ms: number) => round((count * 1000) / ms, 1);

// ---------------------------------------------------------------------------------------------
// Printing as it goes

function fmt(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const int = (value: number) => value.toLocaleString('en-US');

function line(engine: string, what: string, figure: string, detail = '') {
  console.log(`${`[${engine}]`.padEnd(11)} ${what.padEnd(58)} ${figure.padStart(18)}  ${detail}`);
}

// ---------------------------------------------------------------------------------------------
// The benchmark, per engine

type EngineResult = {
  engine: EngineName;
  serverVersion: string;
  persistence: string;
  /** fsync and synchronous_commit as the engine reports them. */
  durability: string;
  /** 1-minute load average of the machine when the engine started and finished (other work inflates times). */
  loadAverage: { start: number; end: number };
  openMs: number;
  single: {
    incidents: { count: number; ms: number; perSecond: number; latency: Latency };
    claims: { count: number; ms: number; perSecond: number; latency: Latency };
  };
  batch: {
    incidents: number;
    claims: number;
    ledgerEntries: number;
    ms: number;
    incidentsPerSecond: number;
    ledgerEntriesPerSecond: number;
    bare: { rows: number; ms: number; rowsPerSecond: number };
    /** Truce time / bare INSERT time for the same rows. */
    ratio: number;
  };
  ledger: {
    entries: number;
    rowsChecked: number;
    verifyMs: number;
    verifyPerSecond: number;
    sha256: { ms: number; perSecond: number; bytes: number };
    /** verifyLedger time / raw SHA-256 time over the same bodies. */
    ratio: number;
    proofs: Latency & { treeSize: number; buildP50Ms: number; verifyP50Ms: number; hashesP50: number };
  };
  reads: {
    filter: typeof READ_FILTER;
    incidentsInTable: number;
    matching: number;
    returned: number;
    listIncidents: Latency;
    rawSql: Latency;
    /** listIncidents p50 / raw SQL p50. */
    ratio: number;
  };
  storageBytes: number;
  peakRssMb: number;
};

async function serverVersion(store: Store): Promise<string> {
  const { rows } = await store.pool.query<{ server_version: string }>('SHOW server_version');
  const pg = rows[0]?.server_version ?? '?';
  if (store.engine === 'pglite') return `PGlite ${packageVersion('@electric-sql/pglite')} (PostgreSQL ${pg})`;
  return `PostgreSQL ${pg}`;
}

async function settings(store: Store, names: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const name of names) {
    const { rows } = await store.pool.query<Record<string, string>>(`SHOW ${name}`);
    out.push(`${name}=${rows[0]?.[name] ?? '?'}`);
  }
  return out.join(', ');
}

function packageVersion(name: string): string {
  const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

async function benchEngine(engine: EngineName): Promise<EngineResult> {
  const label = engine;
  const loadStart = round(os.loadavg()[0]!, 2);
  let dataDir: string | undefined;
  let schema = 'public';
  const opened = await timed(async () => {
    if (engine === 'pglite') {
      dataDir = mkdtempSync(join(os.tmpdir(), 'truce-bench-'));
      return openStore({ dataDir });
    }
    schema = `bench_${randomBytes(6).toString('hex')}`;
    return openStore({ databaseUrl: DATABASE_URL, schema });
  });
  const store = opened.value;
  try {
    const version = await serverVersion(store);
    const durability = await settings(store, ['fsync', 'synchronous_commit']);
    const persistence = engine === 'pglite' ? `data directory in ${os.tmpdir()}` : `schema ${schema}`;
    line(label, `open + migrate (${persistence})`, `${fmt(opened.ms)} ms`, version);
    const result = await run(store, label);
    return {
      engine,
      serverVersion: version,
      persistence,
      durability,
      loadAverage: { start: loadStart, end: round(os.loadavg()[0]!, 2) },
      openMs: round(opened.ms),
      ...result,
      peakRssMb: round(peakRss / 2 ** 20),
    };
  } finally {
    if (engine === 'postgres')
      await store.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await store.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function run(
  store: Store,
  label: string,
): Promise<
  Omit<
    EngineResult,
    'engine' | 'serverVersion' | 'persistence' | 'durability' | 'loadAverage' | 'openMs' | 'peakRssMb'
  >
> {
  const rand = prng(20251012);
  await seedReference(store);

  // Warm-up (JIT, plan caches): a few writes of each kind, not timed, still on the ledger.
  const warm: string[] = [];
  for (let i = 0; i < SIZES.warmup; i++)
    warm.push((await createIncident(store, 'bench', incidentInput(rand, -i))).id);
  for (const id of warm) await addClaim(store, 'bench', claimInput(rand, id, -1));

  // 1. Single writes: one transaction and one ledger entry each.
  const singleIds: string[] = [];
  const incidentTimes: number[] = [];
  const inputs = Array.from({ length: SIZES.single }, (_, i) => incidentInput(rand, i));
  const singleIncidents = await timed(async () => {
    for (const input of inputs) {
      const t = performance.now();
      singleIds.push((await createIncident(store, 'bench', input)).id);
      incidentTimes.push(performance.now() - t);
    }
  });
  const single = {
    incidents: {
      count: SIZES.single,
      ms: round(singleIncidents.ms),
      perSecond: perSecond(SIZES.single, singleIncidents.ms),
      latency: latency(incidentTimes),
    },
    claims: { count: 0, ms: 0, perSecond: 0, latency: latency([]) },
  };
  line(
    label,
    `createIncident, one per transaction (${SIZES.single})`,
    `${fmt(single.incidents.perSecond)} /s`,
    `p50 ${fmt(single.incidents.latency.p50Ms)} ms, p95 ${fmt(single.incidents.latency.p95Ms)} ms`,
  );

  // Claims land on the first half of those incidents, so most incidents get two and reconcile both.
  const claimInputs = Array.from({ length: SIZES.single }, (_, i) =>
    claimInput(rand, singleIds[i % Math.max(1, Math.floor(SIZES.single / 2))]!, i),
  );
  const claimTimes: number[] = [];
  const singleClaims = await timed(async () => {
    for (const input of claimInputs) {
      const t = performance.now();
      await addClaim(store, 'bench', input);
      claimTimes.push(performance.now() - t);
    }
  });
  single.claims = {
    count: SIZES.single,
    ms: round(singleClaims.ms),
    perSecond: perSecond(SIZES.single, singleClaims.ms),
    latency: latency(claimTimes),
  };
  line(
    label,
    `addClaim, one per transaction (${SIZES.single})`,
    `${fmt(single.claims.perSecond)} /s`,
    `p50 ${fmt(single.claims.latency.p50Ms)} ms, p95 ${fmt(single.claims.latency.p95Ms)} ms`,
  );

  // 2. Batched: N incidents, each with one claim, in one record transaction.
  const n = SIZES.batch;
  const batchIncidents = Array.from({ length: n }, (_, i) => incidentInput(rand, 100_000 + i));
  // Each claim names its incident once that exists; everything else is drawn up front, outside the timing.
  const batchClaims = Array.from({ length: n }, (_, i) => claimInput(rand, 'pending', 100_000 + i));
  const { max_seq: seqBefore } = (await store.db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.max('seq').as('max_seq'))
    .executeTakeFirstOrThrow()) as { max_seq: number };
  const batch = await timed(() =>
    recordTransaction(store, 'bench', async (tx) => {
      for (let i = 0; i < n; i++) {
        const incident = await insertIncident(tx, batchIncidents[i]!);
        await insertClaim(tx, { ...batchClaims[i]!, incidentId: incident.id });
      }
    }),
  );
  const ledgerEntries = 2 * n;
  const batchResult = {
    incidents: n,
    claims: n,
    ledgerEntries,
    ms: round(batch.ms),
    incidentsPerSecond: perSecond(n, batch.ms),
    ledgerEntriesPerSecond: perSecond(ledgerEntries, batch.ms),
    bare: { rows: 0, ms: 0, rowsPerSecond: 0 },
    ratio: 0,
  };
  line(
    label,
    `batch: ${n} incidents + ${n} claims, one transaction`,
    `${fmt(batchResult.incidentsPerSecond)} inc/s`,
    `${fmt(batchResult.ledgerEntriesPerSecond)} ledger entries/s, ${fmt(batch.ms / 1000)} s`,
  );

  // Baseline: the same final rows, bare multi-row INSERTs into scratch tables (same columns,
  // CHECKs and indexes, no foreign keys), no validation, no ledger — in one transaction.
  batchResult.bare = await bareInsert(store, seqBefore);
  batchResult.ratio = round(batch.ms / batchResult.bare.ms, 1);
  line(
    label,
    `  baseline: bare multi-row INSERT of the same ${batchResult.bare.rows} rows`,
    `${fmt(batchResult.bare.rowsPerSecond)} rows/s`,
    `${fmt(batchResult.bare.ms)} ms → Truce takes ${fmt(batchResult.ratio)}× as long`,
  );

  // 3. Ledger: verify everything, against hashing the same bodies in memory.
  const verified = await timed(() => verifyLedger(store.db));
  if (!verified.value.ok)
    throw new Error(`verifyLedger found problems: ${JSON.stringify(verified.value.problems.slice(0, 3))}`);
  const entries = verified.value.treeSize;
  const bodies = (await store.db.selectFrom('ledger_entries').select('body').orderBy('seq').execute()).map(
    (r) => Buffer.from(r.body, 'utf8'),
  );
  const bytes = bodies.reduce((sum, b) => sum + b.length, 0);
  const hashed = await timed(async () => {
    let x = 0;
    for (const body of bodies) x ^= createHash('sha256').update(body).digest()[0]!;
    return x;
  });
  const ledger = {
    entries,
    rowsChecked: verified.value.rowsChecked,
    verifyMs: round(verified.ms),
    verifyPerSecond: perSecond(entries, verified.ms),
    sha256: { ms: round(hashed.ms, 2), perSecond: perSecond(entries, hashed.ms), bytes },
    ratio: round(verified.ms / hashed.ms, 1),
    proofs: { ...latency([]), treeSize: 0, buildP50Ms: 0, verifyP50Ms: 0, hashesP50: 0 },
  };
  line(
    label,
    `verifyLedger (${entries} entries, ${verified.value.rowsChecked} rows)`,
    `${fmt(ledger.verifyPerSecond)} entries/s`,
    `${fmt(verified.ms)} ms`,
  );
  line(
    label,
    `  baseline: SHA-256 over the same ${round(bytes / 2 ** 20)} MB of bodies`,
    `${fmt(ledger.sha256.perSecond)} entries/s`,
    `${fmt(hashed.ms)} ms → verify takes ${fmt(ledger.ratio)}× as long`,
  );

  const signer = ephemeralSigner();
  const head = await publishHead(store.db, signer);
  const root = Buffer.from(head.rootHash, 'hex');
  const proofRand = prng(7);
  const total: number[] = [];
  const build: number[] = [];
  const check: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < SIZES.proofs; i++) {
    const seq = Math.floor(proofRand() * head.treeSize);
    const t0 = performance.now();
    const proof = await proveInclusion(store.db, seq, head.treeSize);
    const t1 = performance.now();
    const ok = verifyInclusion(
      Buffer.from(proof.leafHash, 'hex'),
      seq,
      head.treeSize,
      proof.proof.map((h) => Buffer.from(h, 'hex')),
      root,
    );
    const t2 = performance.now();
    if (!ok) throw new Error(`inclusion proof for entry ${seq} did not verify`);
    build.push(t1 - t0);
    check.push(t2 - t1);
    total.push(t2 - t0);
    lengths.push(proof.proof.length);
  }
  ledger.proofs = {
    ...latency(total),
    treeSize: head.treeSize,
    buildP50Ms: latency(build).p50Ms,
    verifyP50Ms: latency(check).p50Ms,
    hashesP50: percentile(
      [...lengths].sort((a, b) => a - b),
      50,
    ),
  };
  line(
    label,
    `inclusion proof, build + verify (${SIZES.proofs} random entries)`,
    `p50 ${fmt(ledger.proofs.p50Ms)} ms`,
    `p95 ${fmt(ledger.proofs.p95Ms)} ms (verify alone p50 ${ledger.proofs.verifyP50Ms} ms, ${ledger.proofs.hashesP50} hashes)`,
  );

  // 4. Reads: the incident list with a date range and a bounding box, as the mechanism sees it.
  const reads = await readBench(store);
  line(
    label,
    `listIncidents, date range + bbox (${reads.matching} match, ${reads.returned} returned)`,
    `p50 ${fmt(reads.listIncidents.p50Ms)} ms`,
    `p95 ${fmt(reads.listIncidents.p95Ms)} ms`,
  );
  line(
    label,
    `  baseline: the same SELECT as raw SQL through the pool`,
    `p50 ${fmt(reads.rawSql.p50Ms)} ms`,
    `p95 ${fmt(reads.rawSql.p95Ms)} ms → listIncidents ${fmt(reads.ratio)}× as long`,
  );

  const storageBytes = await relationBytes(store);
  line(label, 'storage: every table and index in the schema', `${fmt(storageBytes / 2 ** 20)} MB`);
  sampleRss();
  line(label, 'peak RSS (this engine’s process)', `${fmt(peakRss / 2 ** 20)} MB`);
  return { single, batch: batchResult, ledger, reads, storageBytes };
}

// ---------------------------------------------------------------------------------------------
// Baselines and helpers that talk SQL directly

async function bareInsert(store: Store, seqBefore: number) {
  const client = await store.pool.connect();
  try {
    await client.query('CREATE TABLE bare_incidents (LIKE incidents INCLUDING ALL)');
    await client.query('CREATE TABLE bare_claims (LIKE claims INCLUDING ALL)');
    const tables = {
      bare_incidents: (
        await client.query('SELECT * FROM incidents WHERE ledger_seq > $1 ORDER BY ledger_seq', [seqBefore])
      ).rows as Record<string, unknown>[],
      bare_claims: (
        await client.query('SELECT * FROM claims WHERE ledger_seq > $1 ORDER BY ledger_seq', [seqBefore])
      ).rows as Record<string, unknown>[],
    };
    // jsonb goes over the wire as JSON text, exactly as record/ sends it.
    const plain = (value: unknown) =>
      value !== null && typeof value === 'object' && !Buffer.isBuffer(value) ? JSON.stringify(value) : value;
    const statements: { text: string; values: unknown[] }[] = [];
    for (const [table, rows] of Object.entries(tables)) {
      if (rows.length === 0) continue;
      const columns = Object.keys(rows[0]!);
      // 1,000 rows a statement keeps well under the 65,535 bind parameters of the protocol.
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => {
          const marks = columns.map((column) => {
            values.push(plain(row[column]));
            return `$${values.length}`;
          });
          return `(${marks.join(',')})`;
        });
        statements.push({
          text: `INSERT INTO ${table} (${columns.join(',')}) VALUES ${tuples.join(',')}`,
          values,
        });
      }
    }
    const rows = tables.bare_incidents.length + tables.bare_claims.length;
    const done = await timed(async () => {
      await client.query('BEGIN');
      for (const statement of statements) await client.query(statement.text, statement.values);
      await client.query('COMMIT');
    });
    const { rows: counted } = await client.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM bare_incidents) + (SELECT count(*) FROM bare_claims) AS n',
    );
    if (Number(counted[0]!.n) !== rows) throw new Error('bare INSERT baseline lost rows');
    await client.query('DROP TABLE bare_incidents, bare_claims');
    return { rows, ms: round(done.ms), rowsPerSecond: perSecond(rows, done.ms) };
  } finally {
    client.release();
  }
}

async function readBench(store: Store): Promise<EngineResult['reads']> {
  const [west, south, east, north] = READ_FILTER.bbox.split(',').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const rawText = `SELECT * FROM incidents
    WHERE (tlp = 'CLEAR' OR tlp = 'GREEN' OR tlp IN ('AMBER', 'AMBER+STRICT') OR (tlp = 'RED' AND recipients @> $1::jsonb))
      AND merged_into IS NULL AND occurred_on >= $2 AND occurred_on <= $3
      AND lat >= $4 AND lat <= $5 AND lon >= $6 AND lon <= $7
    ORDER BY occurred_on DESC, id DESC LIMIT $8`;
  const rawValues = [
    JSON.stringify(['system']),
    READ_FILTER.from,
    READ_FILTER.to,
    south,
    north,
    west,
    east,
    READ_FILTER.limit + 1,
  ];
  const listOnce = () => listIncidents(store.db, MECHANISM, READ_FILTER);
  const rawOnce = () => store.pool.query(rawText, rawValues);
  const first = await listOnce();
  const raw = await rawOnce();
  if (raw.rows.length !== Math.min(first.incidents.length + (first.next ? 1 : 0), READ_FILTER.limit + 1)) {
    throw new Error('raw SQL baseline returns a different number of rows than listIncidents');
  }
  for (let i = 0; i < SIZES.warmup; i++) {
    await listOnce();
    await rawOnce();
  }
  // Interleaved, so both see the same cache and background state.
  const list: number[] = [];
  const rawTimes: number[] = [];
  for (let i = 0; i < SIZES.reads; i++) {
    let t = performance.now();
    await listOnce();
    list.push(performance.now() - t);
    t = performance.now();
    await rawOnce();
    rawTimes.push(performance.now() - t);
  }
  sampleRss();
  const { n } = (await store.db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()) as { n: string };
  const listLatency = latency(list);
  const rawLatency = latency(rawTimes);
  return {
    filter: READ_FILTER,
    incidentsInTable: Number(n),
    matching: await countIncidents(store.db, MECHANISM, { ...READ_FILTER, limit: undefined }),
    returned: first.incidents.length,
    listIncidents: listLatency,
    rawSql: rawLatency,
    ratio: round(listLatency.p50Ms / rawLatency.p50Ms, 2),
  };
}

async function relationBytes(store: Store): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`
    SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${store.schema} AND c.relkind = 'r'`.execute(store.db);
  return Number(rows[0]?.bytes ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Main

function gitState(): { commit: string; dirty: string[] } {
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trimEnd() : '';
  };
  const dirty = git('status', '--porcelain', '--', 'src')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return { commit: git('rev-parse', '--short', 'HEAD').trim() || 'unknown', dirty };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

if (options.child) {
  // One engine, in a process of its own: its peak RSS and JIT state are its own.
  const result = await benchEngine(options.child.engine);
  clearInterval(rssTimer);
  sampleRss();
  result.peakRssMb = round(peakRss / 2 ** 20);
  writeFileSync(options.child.resultFile, JSON.stringify(result));
  process.exit(0);
}

const machine = {
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism?.() ?? os.cpus().length,
  memoryGb: round(os.totalmem() / 2 ** 30),
};
const source = gitState();
console.log(
  `Truce record-layer benchmark${options.quick ? ' (--quick)' : ''}: Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB`,
);
console.log(
  `source: ${source.commit}${source.dirty.length ? ` + ${source.dirty.length} uncommitted file(s) in src/` : ''}; ` +
    `sizes: ${SIZES.single} single writes of each kind, batch of ${SIZES.batch}, ${SIZES.proofs} proofs, ${SIZES.reads} reads\n`,
);

const started = performance.now();
const results: EngineResult[] = [];
const skipped: { engine: EngineName; reason: string }[] = [];
const scratch = mkdtempSync(join(os.tmpdir(), 'truce-bench-results-'));
try {
  for (const engine of options.engines) {
    if (engine === 'postgres' && !DATABASE_URL) {
      const reason = 'neither TRUCE_BENCH_DATABASE_URL nor DATABASE_URL is set';
      console.log(`[postgres] skipped: ${reason}\n`);
      skipped.push({ engine, reason });
      continue;
    }
    const resultFile = join(scratch, `${engine}.json`);
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        join(ROOT, 'bin', 'run-ts.js'),
        fileURLToPath(import.meta.url),
        '--child',
        engine,
        resultFile,
        ...(options.quick ? ['--quick'] : []),
      ],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) {
      console.error(`[${engine}] failed (exit ${child.status ?? child.signal})`);
      process.exit(1);
    }
    results.push(JSON.parse(readFileSync(resultFile, 'utf8')) as EngineResult);
    console.log('');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const totalSeconds = round((performance.now() - started) / 1000);
const peakRssMb = Math.max(0, ...results.map((r) => r.peakRssMb));
console.log(`total ${totalSeconds} s, peak RSS ${fmt(peakRssMb)} MB`);

const report = {
  generatedAt: new Date().toISOString(),
  quick: options.quick,
  sizes: SIZES,
  machine,
  source,
  totalSeconds,
  peakRssMb,
  engines: results,
  skipped,
};

if (options.write) {
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown(report));
  console.log('wrote bench/results.json and BENCHMARKS.md');
} else {
  console.log('results not written (a --quick run writes nothing unless given --write)');
}

// ---------------------------------------------------------------------------------------------
// BENCHMARKS.md

function markdown(r: typeof report): string {
  const names: Record<EngineName, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };
  const cols = r.engines;
  const row = (what: string, input: string, cell: (e: EngineResult) => string) =>
    `| ${what} | ${input} | ${cols.map(cell).join(' | ')} |`;
  const s = r.sizes;
  const e0 = cols[0];
  const out: string[] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    `Generated by \`npm run bench\` on ${r.generatedAt.slice(0, 10)} — every figure below comes from that one run (${r.totalSeconds} s), ` +
      'and every ratio is against a baseline measured in the same run, on the same engine. Regenerate with `npm run bench`; ' +
      '`npm run bench -- --quick` is a smoke run that writes nothing.',
  );
  out.push('');
  out.push(
    `**Machine:** ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB RAM, ${r.machine.platform}; Node ${r.machine.node}. ` +
      `Source: commit ${r.source.commit}${r.source.dirty.length ? ` with ${r.source.dirty.length} uncommitted file(s) in src/` : ''}.`,
  );
  out.push('');
  out.push('**Engines:**');
  for (const e of cols)
    out.push(
      `- ${names[e.engine]}: ${e.serverVersion}, ${e.persistence} (${e.durability}); open + migrate ${fmt(e.openMs)} ms; ` +
        `load average ${e.loadAverage.start} at its start, ${e.loadAverage.end} at its end.`,
    );
  for (const k of r.skipped) out.push(`- ${names[k.engine]}: skipped (${k.reason}).`);
  out.push('');
  if (cols.some((e) => Math.max(e.loadAverage.start, e.loadAverage.end) > r.machine.cores / 2)) {
    out.push(
      `> The machine was busy with other work during this run (load average above ${r.machine.cores / 2} on ${r.machine.cores} cores): ` +
        'absolute figures are pessimistic; ratios, measured side by side, are steadier.',
    );
    out.push('');
  }
  if (cols.length === 0) return `${out.join('\n')}\n`;
  out.push(`| measurement | input | ${cols.map((e) => names[e.engine]).join(' | ')} |`);
  out.push(`|---|---|${cols.map(() => '---:').join('|')}|`);
  out.push(
    row('**1. Single writes**', '', () => ''),
    row(
      '`createIncident`, one transaction + ledger entry each',
      `${int(s.single)} incidents`,
      (e) => `${fmt(e.single.incidents.perSecond)} incidents/s`,
    ),
    row(
      '&nbsp;&nbsp;latency p50 / p95',
      '',
      (e) => `${fmt(e.single.incidents.latency.p50Ms)} / ${fmt(e.single.incidents.latency.p95Ms)} ms`,
    ),
    row(
      '`addClaim`, one transaction each, re-reconciles the incident',
      `${int(s.single)} claims on ${int(Math.floor(s.single / 2))} incidents`,
      (e) => `${fmt(e.single.claims.perSecond)} claims/s`,
    ),
    row(
      '&nbsp;&nbsp;latency p50 / p95',
      '',
      (e) => `${fmt(e.single.claims.latency.p50Ms)} / ${fmt(e.single.claims.latency.p95Ms)} ms`,
    ),
    row('**2. Batched writes**', '', () => ''),
    row(
      '`insertIncident` + `insertClaim` in one `recordTransaction`',
      `${int(s.batch)} incidents, 1 claim each`,
      (e) => `${fmt(e.batch.incidentsPerSecond)} incidents/s (${fmt(e.batch.ms / 1000)} s)`,
    ),
    row(
      '&nbsp;&nbsp;ledger entries',
      `${int(2 * s.batch)} entries`,
      (e) => `${fmt(e.batch.ledgerEntriesPerSecond)} entries/s`,
    ),
    row(
      '&nbsp;&nbsp;baseline: bare multi-row INSERT of the same rows',
      `${int(e0 ? e0.batch.bare.rows : 2 * s.batch)} rows`,
      (e) => `${fmt(e.batch.bare.rowsPerSecond)} rows/s (${fmt(e.batch.bare.ms)} ms)`,
    ),
    row('&nbsp;&nbsp;**Truce / bare** (time)', '', (e) => `**${fmt(e.batch.ratio)}×**`),
    row('**3. Ledger**', '', () => ''),
    row(
      '`verifyLedger` over everything written',
      e0 ? `${int(e0.ledger.entries)} entries, ${int(e0.ledger.rowsChecked)} rows` : '',
      (e) => `${fmt(e.ledger.verifyPerSecond)} entries/s (${fmt(e.ledger.verifyMs)} ms)`,
    ),
    row(
      '&nbsp;&nbsp;baseline: SHA-256 over the same entry bodies, in memory',
      e0 ? `${fmt(e0.ledger.sha256.bytes / 2 ** 20)} MB` : '',
      (e) => `${fmt(e.ledger.sha256.perSecond)} entries/s (${fmt(e.ledger.sha256.ms)} ms)`,
    ),
    row('&nbsp;&nbsp;**verify / SHA-256** (time)', '', (e) => `**${fmt(e.ledger.ratio)}×**`),
    row(
      'inclusion proof: `proveInclusion` + `verifyInclusion`, p50 / p95',
      `${s.proofs} random entries`,
      (e) => `${fmt(e.ledger.proofs.p50Ms)} / ${fmt(e.ledger.proofs.p95Ms)} ms`,
    ),
    row(
      '&nbsp;&nbsp;of which verifying, p50',
      '',
      (e) => `${e.ledger.proofs.verifyP50Ms} ms (${e.ledger.proofs.hashesP50} hashes)`,
    ),
    row('**4. Reads**', '', () => ''),
    row(
      '`listIncidents` (mechanism), date range + bbox, p50 / p95',
      e0
        ? `${s.reads} runs; ${int(e0.reads.matching)} of ${int(e0.reads.incidentsInTable)} match, first ${e0.reads.returned} returned`
        : '',
      (e) => `${fmt(e.reads.listIncidents.p50Ms)} / ${fmt(e.reads.listIncidents.p95Ms)} ms`,
    ),
    row(
      '&nbsp;&nbsp;baseline: the same SELECT as raw SQL through the pool',
      '',
      (e) => `${fmt(e.reads.rawSql.p50Ms)} / ${fmt(e.reads.rawSql.p95Ms)} ms`,
    ),
    row('&nbsp;&nbsp;**listIncidents / raw SQL** (p50)', '', (e) => `**${fmt(e.reads.ratio)}×**`),
    row('**Resources**', '', () => ''),
    row('storage: tables + indexes of the schema', '', (e) => `${fmt(e.storageBytes / 2 ** 20)} MB`),
    row('peak RSS of the engine’s process', '', (e) => `${fmt(e.peakRssMb)} MB`),
  );
  out.push('');
  out.push('## What was measured');
  out.push('');
  out.push(
    `- **Input.** A fixed reference set (3 parties, 4 actors, 5 sources), then seeded pseudo-random incidents: one of five types, ` +
      'a day of 2025, a point in the Afghanistan–Pakistan border region (29–37° N, 62–75° E), actor and target, TLP CLEAR/GREEN/AMBER; ' +
      'claims from one of the five sources with 0–2 casualty figures. The same seed gives the same input on every engine and every run. ' +
      `${s.warmup} incidents and ${s.warmup} claims are written first as a warm-up (on the ledger, not timed).`,
  );
  out.push(
    '- **Persistence.** PGlite runs on a fresh data directory under the OS temp directory (deleted afterwards), not in memory; ' +
      'PostgreSQL runs in a fresh schema `bench_<random>` (dropped afterwards) on the server named by `TRUCE_BENCH_DATABASE_URL` or `DATABASE_URL`. ' +
      'Both go through the same `pg.Pool` + Kysely path the application uses. PGlite runs with `fsync=off` (its WASM build made no fsync call ' +
      'over 100 commits under strace), so its commits reach the OS page cache only; PostgreSQL flushes its WAL at every commit when it runs with `fsync=on` and `synchronous_commit=on`.',
  );
  out.push(
    '- **1. Single writes** call `createIncident` / `addClaim` one after the other: each is its own transaction, takes the ledger lock, ' +
      'validates, writes its rows and one ledger entry. Each claim re-reads the incident’s claims and re-reconciles its figures.',
  );
  out.push(
    '- **2. Batched writes** run `insertIncident` then `insertClaim` for each of N incidents inside one `recordTransaction` (2N ledger entries). ' +
      'The baseline re-inserts exactly the final incident and claim rows that run produced with multi-row `INSERT`s of 1,000 rows, ' +
      'in one transaction, into scratch tables made with `LIKE … INCLUDING ALL` (same columns, CHECKs and indexes; no foreign keys): no validation, no reads, no ledger.',
  );
  out.push(
    '- **3. Ledger.** `verifyLedger` re-hashes every entry, re-parses it against its schema, re-checks canonical form, rebuilds the tree and compares every record row with the entry that last wrote it. ' +
      'The baseline is SHA-256 over the same entry bodies, already in memory. Inclusion proofs: after `publishHead`, `proveInclusion` for a random entry against that head (reads the stored subtree hashes), ' +
      'then `verifyInclusion` against the signed root; the latency covers both.',
  );
  out.push(
    `- **4. Reads.** \`listIncidents\` as the mechanism with \`${JSON.stringify(READ_FILTER)}\` over every incident written above, ` +
      `after ${s.warmup} warm-up calls; the baseline is the equivalent SQL (same predicates, order and limit) sent with \`pool.query\`, interleaved with it.`,
  );
  out.push(
    '- **Processes.** Each engine runs in a Node process of its own, one after the other, so its peak RSS (`process.memoryUsage().rss`, ' +
      'sampled every 50 ms and after each step) is its own; for PGlite it includes the WASM Postgres, which runs on the same thread as the benchmark.',
  );
  out.push('');
  return `${out.join('\n')}\n`;
}
