/**
 * The load section of `npm run bench`: a bounded load test on loopback. autocannon (in a worker
 * thread) drives a filtered incident list, as a party's delegate, and single incident pages, as a
 * monitor, through the whole stack (token auth, policy, query, presenter, security headers), each
 * against a bare Fastify route that sends the very same bytes and headers. Every response is
 * checked against the bytes taken before the run; any error, timeout, non-2xx or different body
 * fails the run. Only 127.0.0.1 is ever targeted.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAccount } from '../src/access/accounts.ts';
import { issueToken } from '../src/access/sessions.ts';
import { buildServer } from '../src/api/server.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Instance } from '../src/instance.ts';
import { IMPORT_FORMATS } from '../src/interop/formats.ts';
import { importCsv } from '../src/interop/importer.ts';
import { ephemeralSigner } from '../src/ledger/keys.ts';
import { insertClaim } from '../src/record/claim.ts';
import { insertIncident } from '../src/record/incident.ts';
import { recordTransaction } from '../src/record/transaction.ts';
import type { Store } from '../src/store/engine.ts';
import { writeSyntheticAcled } from './interop.ts';
import {
  bareServer,
  checkSameBytes,
  type Fetched,
  fetchAll,
  hammer,
  headerBytes,
  type LoadRun,
  oneAtATime,
  writeVerifier,
} from './loopback.ts';
import { fmt, int, type Latency, line, round, serverVersion, timed } from './measure.ts';
import {
  ENGINE_NAMES,
  openBenchStore,
  type Section,
  type SectionContext,
  type SectionReport,
  table,
} from './section.ts';
import { claimInput, incidentInput, prng } from './workload.ts';

type Sizes = {
  seconds: number;
  connections: number;
  warmupSeconds: number;
  /** Rows of the synthetic ACLED file imported (one incident and claim each, 2018–2024, GREEN). */
  acledRows: number;
  /** Incidents written through the record path with 2–3 claims each, one in ten with 6 (2025, CLEAR/GREEN/AMBER). */
  written: number;
  /** Distinct incident pages the second route cycles through. */
  pages: number;
  /** Requests sent one at a time after the load, for the uncontended latency. */
  alone: number;
};
const sizesFor = (quick: boolean): Sizes =>
  quick
    ? { seconds: 5, connections: 10, warmupSeconds: 1, acledRows: 500, written: 200, pages: 20, alone: 20 }
    : {
        seconds: 30,
        connections: 50,
        warmupSeconds: 3,
        acledRows: 4_000,
        written: 1_000,
        pages: 20,
        alone: 100,
      };

/** Three years of the border region's shelling, strikes and clashes, a page of 50, as a delegate would ask. */
const LIST_PATH =
  '/incidents?from=2023-01-01&to=2025-12-31&bbox=66,30,72,35&type=airstrike,drone_strike,shelling,armed_clash&limit=50';

export type RouteLoad = {
  route: string;
  viewer: string;
  /** Distinct paths cycled through (one for the list). */
  paths: number;
  examplePath: string;
  bodyBytes: { min: number; max: number };
  /** Bytes of the response head (status line excluded) of the first path, from each server. */
  headerBytes: { truce: number; bare: number };
  /** One request at a time (nothing queued), after the load runs: per-request cost without contention. */
  alone: { truce: Latency; bare: Latency };
  truce: LoadRun;
  bare: LoadRun;
  /** Truce req/s ÷ bare req/s. */
  ratio: number;
  /** Bare req/s ÷ Truce req/s: how many times as long a request takes through the whole stack. */
  slowdown: number;
};

export type LoadResult = {
  serverVersion: string;
  persistence: string;
  /** pg.Pool size on PostgreSQL; PGlite has one connection. */
  poolSize: number;
  connections: number;
  seconds: number;
  data: { incidents: number; claims: number; acledRows: number; written: number; seedSeconds: number };
  list: RouteLoad & { total: number; returned: number };
  incident: RouteLoad & { claims: { min: number; max: number } };
};

export const loadSection: Section<LoadResult> = {
  name: 'load',
  title: 'API under load (autocannon on loopback)',
  perEngine: true,
  sizes: sizesFor,
  run: benchLoad,
  markdown,
};

// ---------------------------------------------------------------------------------------------
// The run

export async function benchLoad(ctx: SectionContext): Promise<LoadResult> {
  const sizes = sizesFor(ctx.quick);
  const { label } = ctx;
  const poolSize = 10;
  const bench = await openBenchStore(ctx.engine ?? 'pglite', ctx.databaseUrl, { poolSize });
  const scratch = mkdtempSync(join(os.tmpdir(), 'truce-load-'));
  const servers: FastifyInstance[] = [];
  try {
    const { store } = bench;
    const version = await serverVersion(store);
    const instance = { store, signer: ephemeralSigner(), dataDir: null };
    const seeded = await timed(() => seedRecord(store, instance, sizes, scratch));
    // What PGlite's housekeeper does within its naptime of a write (PostgreSQL's autovacuum likewise):
    // the run measures the record as it settles, not the minute after an import.
    await store.housekeeping?.runOnce();
    const data = { ...seeded.value, seedSeconds: round(seeded.ms / 1000) };
    line(
      label,
      `seeded: demo + ${int(sizes.acledRows)} ACLED rows + ${int(sizes.written)} written`,
      `${int(data.incidents)} incidents`,
      `${int(data.claims)} claims, ${fmt(data.seedSeconds)} s`,
    );

    const delegate = await tokenFor(store, { username: 'af-delegate', role: 'delegate', partyId: 'AF' });
    const monitor = await tokenFor(store, { username: 'monitor-one', role: 'monitor' });
    const pageIds = await busiestIncidents(store, sizes.pages);

    const app = await buildServer({ instance, webRoot: null });
    servers.push(app);
    const truceBase = await app.listen({ port: 0, host: '127.0.0.1' });

    const listBodies = await fetchAll(truceBase, [LIST_PATH], delegate);
    const pagePaths = pageIds.map((id) => `/incidents/${id}`);
    const pageBodies = await fetchAll(truceBase, pagePaths, monitor);
    const list = JSON.parse(listBodies[0]!.body.toString('utf8')) as { incidents: unknown[]; total: number };
    if (list.incidents.length !== 50)
      throw new Error(`the list filter returns ${list.incidents.length} incidents, not a full page of 50`);
    const claimCounts = pageBodies.map(
      (r) => (JSON.parse(r.body.toString('utf8')) as { claims: unknown[] }).claims.length,
    );

    const bare = await bareServer(['/incidents', '/incidents/:id'], [...listBodies, ...pageBodies]);
    servers.push(bare.app);
    const bareBase = bare.base;

    const listRoute = await compareRoute(ctx, sizes, scratch, {
      route: '`GET /incidents` filtered, page of 50',
      viewer: 'delegate of AF (read token)',
      truceBase,
      bareBase,
      token: delegate,
      expected: listBodies,
    });
    const pageRoute = await compareRoute(ctx, sizes, scratch, {
      route: '`GET /incidents/:id` with claims and history',
      viewer: 'monitor (read token)',
      truceBase,
      bareBase,
      token: monitor,
      expected: pageBodies,
    });
    return {
      serverVersion: version,
      persistence: bench.persistence,
      poolSize: store.engine === 'pglite' ? 1 : poolSize,
      connections: sizes.connections,
      seconds: sizes.seconds,
      data,
      list: { ...listRoute, total: list.total, returned: list.incidents.length },
      incident: { ...pageRoute, claims: { min: Math.min(...claimCounts), max: Math.max(...claimCounts) } },
    };
  } finally {
    for (const server of servers) await server.close();
    rmSync(scratch, { recursive: true, force: true });
    await bench.drop();
  }
}

/** The demo, then an imported ACLED file and incidents written through the record path, as the mechanism's record would grow. */
async function seedRecord(
  store: Store,
  instance: Instance,
  sizes: Sizes,
  scratch: string,
): Promise<{ incidents: number; claims: number; acledRows: number; written: number }> {
  await seedDemo(instance);
  const file = join(scratch, 'acled.csv');
  await writeSyntheticAcled(file, sizes.acledRows);
  const imported = await importCsv(store, createReadStream(file), {
    format: IMPORT_FORMATS.acled,
    onError: 'stop',
    by: 'system',
    sharing: { tlp: 'GREEN', recipients: [] },
  });
  if (imported.applied !== sizes.acledRows)
    throw new Error(
      `imported ${imported.applied} of ${sizes.acledRows} rows: ${JSON.stringify(imported.stopped)}`,
    );

  const rand = prng(20251019);
  // The demo has no 'ap' source; the workload's other sources are the demo's.
  const demoSource = (id: string) => (id === 'ap' ? 'pk-officials' : id);
  for (let start = 0; start < sizes.written; start += 250) {
    await recordTransaction(store, 'system', async (tx) => {
      for (let i = start; i < Math.min(sizes.written, start + 250); i++) {
        const incident = await insertIncident(tx, incidentInput(rand, i));
        // Most incidents have two or three claims; one in ten is contested by six sources.
        for (let c = 0; c < (i % 10 === 0 ? 6 : 2 + (i % 2)); c++) {
          const claim = claimInput(rand, incident.id, i * 3 + c);
          await insertClaim(tx, { ...claim, sourceId: demoSource(claim.sourceId) });
        }
      }
    });
  }
  const count = async (table: 'incidents' | 'claims') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    incidents: await count('incidents'),
    claims: await count('claims'),
    acledRows: sizes.acledRows,
    written: sizes.written,
  };
}

async function tokenFor(store: Store, user: Record<string, string>): Promise<string> {
  const { user: row } = await createAccount(store, 'system', user, 'a long enough password for the bench');
  return (await issueToken(store.db, row, { scope: 'read' })).token;
}

/** The incidents with the most claims (ties by id): the pages a monitor spends the most time on. */
async function busiestIncidents(store: Store, count: number): Promise<string[]> {
  const rows = await store.db
    .selectFrom('claims')
    .select(['incident_id', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('incident_id')
    .orderBy('n', 'desc')
    .orderBy('incident_id')
    .limit(count)
    .execute();
  return rows.map((r) => r.incident_id);
}

// ---------------------------------------------------------------------------------------------
// One route, Truce against the bare server

type RouteSpec = {
  route: string;
  viewer: string;
  truceBase: string;
  bareBase: string;
  token: string;
  expected: Fetched[];
};

async function compareRoute(
  ctx: SectionContext,
  sizes: Sizes,
  scratch: string,
  spec: RouteSpec,
): Promise<RouteLoad> {
  const bareFirst = await checkSameBytes(spec.bareBase, spec.expected);
  const paths = spec.expected.map((r) => r.path);
  const verifier = writeVerifier(scratch, spec.expected);
  const headers = { authorization: `Bearer ${spec.token}` };
  const truce = await hammer(
    `Truce ${paths.length > 1 ? 'pages' : 'list'}`,
    spec.truceBase,
    paths,
    headers,
    verifier,
    sizes,
  );
  const bare = await hammer(
    `bare ${paths.length > 1 ? 'pages' : 'list'}`,
    spec.bareBase,
    paths,
    headers,
    verifier,
    sizes,
  );
  const alone = {
    truce: await oneAtATime(spec.truceBase, spec.expected, spec.token, sizes.alone),
    bare: await oneAtATime(spec.bareBase, spec.expected, spec.token, sizes.alone),
  };
  const ratio = round(truce.requestsPerSecond / bare.requestsPerSecond, 4);
  const slowdown = round(bare.requestsPerSecond / truce.requestsPerSecond, 1);
  const sizesOf = spec.expected.map((r) => r.body.length);
  const result: RouteLoad = {
    route: spec.route,
    viewer: spec.viewer,
    paths: paths.length,
    examplePath: paths[0]!,
    bodyBytes: { min: Math.min(...sizesOf), max: Math.max(...sizesOf) },
    headerBytes: { truce: headerBytes(spec.expected[0]!), bare: headerBytes(bareFirst) },
    alone,
    truce,
    bare,
    ratio,
    slowdown,
  };
  const what = spec.route.replaceAll('`', '');
  line(
    ctx.label,
    `${what}, ${sizes.connections} conn × ${sizes.seconds} s`,
    `${fmt(truce.requestsPerSecond)} req/s`,
    `p50 ${truce.p50Ms} ms, p99 ${truce.p99Ms} ms, ${int(truce.requests)} requests, 0 errors, 0 non-2xx`,
  );
  line(
    ctx.label,
    `  baseline: bare Fastify route, same ${fmt(result.bodyBytes.max / 1024)} KB body + headers`,
    `${fmt(bare.requestsPerSecond)} req/s`,
    `p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms → bare serves ${fmt(slowdown)}× as many`,
  );
  line(
    ctx.label,
    `  one request at a time (${sizes.alone}), Truce / bare`,
    `p50 ${fmt(alone.truce.p50Ms)} ms`,
    `/ ${fmt(alone.bare.p50Ms)} ms; p95 ${fmt(alone.truce.p95Ms)} / ${fmt(alone.bare.p95Ms)} ms`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------
// BENCHMARKS.md

function markdown(r: SectionReport<LoadResult>): string[] {
  const first = r.runs[0]?.result;
  if (!first) return [];
  const s = r.sizes as Sizes;
  const out: string[] = [];
  out.push(
    `Input: ${int(first.data.incidents)} incidents with ${int(first.data.claims)} claims — the demo, ${int(s.acledRows)} rows of a synthetic ACLED file ` +
      `through the importer (GREEN, 2018–2024) and ${int(s.written)} incidents written through the record path with 2–3 claims each, one in ten with 6 ` +
      `(2025, CLEAR/GREEN/AMBER) — served by \`buildServer\` on 127.0.0.1; ${s.connections} connections for ${s.seconds} s per measurement ` +
      `(after ${s.warmupSeconds} s of warm-up), autocannon in a worker thread of the same process.`,
  );
  out.push('');
  const cell = (x: LoadRun) => `${fmt(x.requestsPerSecond)} req/s; ${x.p50Ms} / ${x.p99Ms} ms`;
  const rows: string[][] = [];
  for (const run of r.runs) {
    const engine = ENGINE_NAMES[run.engine ?? 'pglite'];
    for (const route of [run.result.list, run.result.incident]) {
      rows.push([
        `${route.route}, as ${route.viewer}`,
        engine,
        cell(route.truce),
        cell(route.bare),
        `**${fmt(route.slowdown)}×**`,
        `${fmt(route.alone.truce.p50Ms)} / ${fmt(route.alone.bare.p50Ms)} ms`,
        `${int(route.truce.requests)} · ${route.truce.errors} · ${route.truce.non2xx} / ` +
          `${int(route.bare.requests)} · ${route.bare.errors} · ${route.bare.non2xx}`,
      ]);
    }
  }
  out.push(
    ...table(
      [
        'route',
        'engine',
        'Truce: throughput; p50 / p99',
        'baseline: bare Fastify route, same bytes',
        'bare ÷ Truce (req/s)',
        'one at a time, p50 (Truce / bare)',
        'requests · errors · non-2xx (Truce / bare)',
      ],
      rows,
      '---|---|---:|---:|---:|---:|---:',
    ),
  );
  out.push('');
  const list = first.list;
  const page = first.incident;
  out.push(
    `- **List:** \`${list.examplePath}\` — ${int(list.total)} incidents match for the delegate, a page of ${list.returned} ` +
      `(${fmt(list.bodyBytes.max / 1024)} KB of JSON, ${list.headerBytes.truce} bytes of headers from Truce, ${list.headerBytes.bare} from the bare route).`,
  );
  out.push(
    `- **Incident page:** the ${page.paths} incidents with the most claims (${page.claims.min === page.claims.max ? page.claims.min : `${page.claims.min}–${page.claims.max}`} each), in turn on every connection ` +
      `(${fmt(page.bodyBytes.min / 1024)}–${fmt(page.bodyBytes.max / 1024)} KB).`,
  );
  out.push(
    '- **Baseline:** a Fastify server with only these routes, answering each path with the body and headers (content type, security headers, ' +
      'cache control) Truce answered it with before the run; status, body, content type and length are checked equal first. ' +
      'During every run each body is checked against those bytes; an error, a request unanswered after 10 s, a non-2xx or a different body fails the bench. ' +
      `"One at a time": ${s.alone} requests sent one after another after the load, the cost of a request with nothing queued before it. ` +
      `PostgreSQL goes through a pool of ${r.runs.find((x) => x.engine === 'postgres')?.result.poolSize ?? 10} connections; PGlite has one.`,
  );
  return out;
}
