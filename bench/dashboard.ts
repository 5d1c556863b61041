/**
 * Dashboard bench: the requests the console's situation page makes (map clusters for the viewport
 * at a few zooms, the daily series of the timeline, the first page of the list with its total, and
 * the total of GET /incidents) for the mechanism, a party delegate and the public, timed as p50 /
 * p95 / max per kind of query over an already-filled store; and a bulk SQL filler for that store.
 *
 *   node bin/run-ts.js bench/dashboard.ts --run [N] [--engine pglite|postgres] [--rounds R]
 *                                             [--schema NAME | --data DIR] [--keep]
 *
 * N defaults to 1,000,000. Without --schema / --data a throw-away store is filled and dropped
 * (PostgreSQL from TRUCE_BENCH_DATABASE_URL or DATABASE_URL, in schema bench_dashboard_<random>);
 * with one, an existing store is reused and filled only when empty, so a fill can serve many runs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { PUBLIC, type Viewer } from '../src/access/viewer.ts';
import { DEMO_ACTORS, DEMO_PARTIES, DEMO_SOURCES } from '../src/demo/demo.ts';
import { loadGazetteer } from '../src/gazetteer/gazetteer.ts';
import {
  clusterIncidents,
  dailyCounts,
  type SituationFilter,
  situationIncidents,
} from '../src/query/aggregate.ts';
import { countIncidents } from '../src/query/incidents.ts';
import { type EngineName, openStore, type Store } from '../src/store/engine.ts';
import { prng } from './workload.ts';

// ---------------------------------------------------------------------------------------------
// The filler

/** The eight years the synthetic incidents fall in (fixed, so that a seed always gives the same days). */
export const FILL_FIRST_DAY = '2018-11-01';
const FILL_DAYS = 2922;
/** Escalations: a sixth of the incidents fall in these windows (first day offset, length in days). */
const BURSTS = [
  [1003, 20],
  [1735, 30],
  [2220, 15],
  [2540, 25],
  [2899, 12],
] as const;
const WHEEL = 20_000;
const BATCH = 50_000;

const EXTRA_SOURCES = [
  { id: 'ap', name: 'Associated Press', kind: 'wire', affiliation: null, reliability: 'B' },
  { id: 'afp', name: 'Agence France-Presse', kind: 'wire', affiliation: null, reliability: 'B' },
  { id: 'dawn', name: 'Dawn', kind: 'national_media', affiliation: null, reliability: 'C' },
  { id: 'pajhwok', name: 'Pajhwok Afghan News', kind: 'national_media', affiliation: null, reliability: 'C' },
  { id: 'mon-field', name: 'Mechanism field team', kind: 'monitor', affiliation: 'MON', reliability: 'A' },
] as const;

/** A SQL CASE picking one of the literals by a uniform number `u`, with the given weights. */
function weighted(u: string, choices: readonly (readonly [string, number])[]): string {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  const arms = choices.slice(0, -1).map(([value, w]) => {
    acc += w / total;
    return `WHEN ${u} < ${acc.toFixed(6)} THEN ${value}`;
  });
  return `(CASE ${arms.join(' ')} ELSE ${choices.at(-1)![0]} END)`;
}
const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Gazetteer places weighted Zipf-like (a few dozen hot spots), each with eight nearby villages. */
function spotWheel(seed: number) {
  const rand = prng(seed);
  const places = loadGazetteer()
    .all()
    .filter((p) => p.kind !== 'country');
  const order = places.map((p) => ({ p, r: rand() })).sort((a, b) => a.r - b.r);
  type Spot = {
    place_id: string | null;
    name: string;
    lat: number;
    lon: number;
    geo_precision: number;
    country: string;
    admin1: string | null;
    admin2: string | null;
    w: number;
  };
  const spots: Spot[] = [];
  order.forEach(({ p }, rank) => {
    const w = 1 / (rank + 1) ** 0.9;
    const base = { country: p.country, admin1: p.admin1, admin2: p.admin2 };
    spots.push({
      ...base,
      place_id: p.id,
      name: p.name,
      lat: p.lat,
      lon: p.lon,
      geo_precision: p.geoPrecision,
      w: w * 0.7,
    });
    for (let v = 0; v < 8; v++) {
      const lat = Math.round((p.lat + (rand() - 0.5) * 0.3) * 1e4) / 1e4;
      const lon = Math.round((p.lon + (rand() - 0.5) * 0.3) * 1e4) / 1e4;
      spots.push({
        ...base,
        place_id: null,
        name: `a village near ${p.name}`,
        lat,
        lon,
        geo_precision: 1,
        w: (w * 0.3) / 8,
      });
    }
  });
  const sum = spots.reduce((s, x) => s + x.w, 0);
  const rows: (Omit<Spot, 'w'> & { slot: number })[] = [];
  let carry = 0;
  for (const { w, ...spot } of spots) {
    carry += (w / sum) * WHEEL;
    while (rows.length < Math.round(carry)) rows.push({ ...spot, slot: rows.length });
  }
  return rows;
}

/**
 * Fills a store with n synthetic incidents fast, for query benchmarks only: rows are written with
 * bulk INSERT … SELECT FROM generate_series, bypassing the ledger and the write path's validation
 * (ledger_seq 0, so `truce ledger verify` will reject such a store). Incidents spread over eight
 * years (denser lately, with escalations), over ~470 gazetteer places and their villages in the
 * Pakistan–Afghanistan border region, with codebook types and actors; 55 % CLEAR, 33 % GREEN,
 * 9 % AMBER to one or both parties, 1.5 % AMBER+STRICT, 1.5 % RED. Each has one claim with its
 * casualty figure, 40 % a second from a party; 0.5 % of CLEAR/GREEN incidents carry a claim shared
 * more narrowly (AMBER to PK or RED), so some viewers get recomputed figures; 0.3 % are merged.
 * Reference rows (parties, actors, sources, places) are added when missing. Deterministic per seed.
 */
export async function fillIncidents(store: Store, n: number, seed = 1): Promise<void> {
  const client = await store.pool.connect();
  const json = (rows: unknown) => JSON.stringify(rows);
  try {
    await client.query(
      `INSERT INTO parties SELECT * FROM json_populate_recordset(NULL::parties, $1) ON CONFLICT DO NOTHING`,
      [json(DEMO_PARTIES.map((p) => ({ ...p, ledger_seq: 0 })))],
    );
    await client.query(
      `INSERT INTO actors SELECT * FROM json_populate_recordset(NULL::actors, $1) ON CONFLICT DO NOTHING`,
      [
        json(
          [
            ...DEMO_ACTORS,
            { id: 'BLA', name: 'Balochistan Liberation Army', kind: 'non_state', partyId: null },
          ].map((a) => ({ id: a.id, name: a.name, kind: a.kind, party_id: a.partyId, ledger_seq: 0 })),
        ),
      ],
    );
    await client.query(
      `INSERT INTO sources SELECT * FROM json_populate_recordset(NULL::sources, $1) ON CONFLICT DO NOTHING`,
      [json([...DEMO_SOURCES, ...EXTRA_SOURCES].map((s) => ({ ...s, protected: false, ledger_seq: 0 })))],
    );
    await client.query(
      `INSERT INTO places SELECT * FROM json_populate_recordset(NULL::places, $1) ON CONFLICT DO NOTHING`,
      [
        json(
          loadGazetteer()
            .all()
            .map((p) => ({
              id: p.id,
              name: p.name,
              kind: p.kind,
              country: p.country,
              admin1: p.admin1,
              admin2: p.admin2,
              lat: p.lat,
              lon: p.lon,
              geo_precision: p.geoPrecision,
              aliases: p.aliases,
              names: p.names,
              crossing_kind: p.crossingKind ?? null,
              coord_source: p.source,
              ledger_seq: 0,
            })),
        ),
      ],
    );
    await client.query(`DROP TABLE IF EXISTS bench_spots`);
    await client.query(
      `CREATE TABLE bench_spots (slot int PRIMARY KEY, place_id text, name text, lat float8, lon float8,
         geo_precision smallint, country text, admin1 text, admin2 text)`,
    );
    await client.query(
      `INSERT INTO bench_spots SELECT * FROM json_populate_recordset(NULL::bench_spots, $1)`,
      [json(spotWheel(seed))],
    );
    const tallies = await talliesIn(client);
    for (let lo = 1; lo <= n; lo += BATCH) {
      await client.query(fillSql(seed), [lo, Math.min(n, lo + BATCH - 1)]);
      // As autovacuum would between imports: each batch rewrites every tally row.
      for (const name of tallies) await client.query(`VACUUM ${name}`);
    }
    await client.query(`DROP TABLE bench_spots`);
  } finally {
    client.release();
  }
  // Steady state: autovacuum would have analysed and vacuumed (visibility map, and the tallies'
  // dead versions from twenty batches of upserts) by the time anyone looks.
  for (const name of ['incidents', 'claims', ...(await talliesIn(store.pool))])
    await store.pool.query(`VACUUM ANALYZE ${name}`);
}

/** The tables migration 005 keeps beside the incidents, when there are any. */
async function talliesIn(db: Pick<pg.Pool, 'query'>): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'incident\\_%'`,
  );
  return rows.map((r) => r.name);
}

/** One batch: incidents $1..$2 and their claims, in one statement. */
function fillSql(seed: number): string {
  // Independent uniform numbers per row, the same on every engine for a seed.
  const u = (k: number) => `((hashint8extended(i * 16 + ${k}, ${seed}) & 4294967295)::float8 / 4294967296.0)`;
  const day = `(CASE WHEN ${u(2)} < 0.17 THEN ${weighted(
    u(3),
    BURSTS.map(([start, length]) => [`${start} + floor(${u(4)} * ${length})::int`, 1] as const),
  )} ELSE floor(${FILL_DAYS} * sqrt(${u(4)}))::int END)`;
  const type = weighted(u(5), [
    [lit('armed_clash'), 25],
    [lit('militant_attack'), 25],
    [lit('shelling'), 14],
    [lit('drone_strike'), 10],
    [lit('airstrike'), 8],
    [lit('crossing_closure'), 4],
    [lit('crossing_reopening'), 3],
    [lit('other'), 11],
  ]);
  const actor = weighted(u(6), [
    [lit('PK.military'), 26],
    [lit('TTP'), 24],
    [lit('AF.forces'), 16],
    [lit('ISKP'), 8],
    [lit('BLA'), 6],
    [lit('unknown'), 20],
  ]);
  const target = weighted(u(7), [
    [lit('civilians'), 35],
    [lit('PK.military'), 30],
    [lit('AF.forces'), 15],
    [lit('TTP'), 20],
  ]);
  const status = weighted(u(8), [
    [lit('reported'), 45],
    [lit('corroborated'), 35],
    [lit('verified'), 12],
    [lit('disputed'), 5],
    [lit('refuted'), 3],
  ]);
  const levels = [
    ['CLEAR', '[]', 55],
    ['GREEN', '[]', 33],
    ['AMBER', '["PK"]', 3],
    ['AMBER', '["AF"]', 3],
    ['AMBER', '["AF","PK"]', 3],
    ['AMBER+STRICT', '["PK"]', 0.75],
    ['AMBER+STRICT', '["AF"]', 0.75],
    ['RED', '["usr_bench_admin"]', 0.75],
    ['RED', '["usr_bench_pk"]', 0.375],
    ['RED', '["usr_bench_other"]', 0.375],
  ] as const;
  const sharing = weighted(
    u(9),
    levels.map(([, , w], k) => [String(k + 1), w] as const),
  );
  const tlps = `ARRAY[${levels.map(([tlp]) => lit(tlp)).join(', ')}]`;
  const recipients = `ARRAY[${levels.map(([, r]) => lit(r)).join(', ')}]`;
  // 60 % of incidents without deaths, the rest a long tail.
  const best = `(CASE WHEN ${u(10)} < 0.6 THEN 0 ELSE 1 + floor(-ln(1 - ${u(11)}) * 4)::int END)`;
  const category = weighted(u(12), [
    [lit('civilian'), 40],
    [lit('military'), 30],
    [lit('militant'), 20],
    [lit('unknown'), 10],
  ]);
  const zeros = `'{"low":0,"best":0,"high":0}'::jsonb`;
  const totals = (cat: string, n: string) =>
    `jsonb_build_object('military', ${zeros}, 'civilian', ${zeros}, 'militant', ${zeros}, 'unknown', ${zeros}) || jsonb_build_object(${cat}, jsonb_build_object('low', ${n}, 'best', ${n}, 'high', ${n}))`;
  const id = (i: string) => `'inc_s${seed}_' || lpad(${i}::text, 8, '0')`;
  const independent = weighted(`(abs(hashtext(x.id)) % 1000) / 1000.0`, [
    [lit('reuters'), 3],
    [lit('ap'), 2],
    [lit('afp'), 2],
    [lit('dawn'), 3],
    [lit('pajhwok'), 2],
    [lit('republic-policy'), 1],
  ]);
  const party = weighted(`(abs(hashtext(x.id || 'p')) % 1000) / 1000.0`, [
    [lit('ispr'), 3],
    [lit('pk-officials'), 2],
    [lit('mujahid'), 3],
    [lit('hurriyat'), 2],
  ]);
  const figure = `jsonb_build_array(jsonb_build_object('measure', 'fatalities', 'category', x.category, 'side', NULL, 'value', x.fatalities_best, 'qualifier', 'exact'))`;
  const pick = (k: number) => `(abs(hashtext(x.id || '${k}')) % 1000)`;
  return `
WITH g AS (
  SELECT i, s.*, ${day} AS day_offset, ${type} AS type, ${actor} AS actor_id, ${target} AS target_id,
         ${status} AS status, ${sharing} AS sharing, ${best} AS best, ${category} AS category
  FROM generate_series($1::bigint, $2::bigint) AS i
  -- One in 500 has no position (a report that names no place): never on the map.
  LEFT JOIN bench_spots s ON s.slot = floor(${u(1)} * ${WHEEL})::int AND ${u(13)} >= 0.002
), x AS (
  INSERT INTO incidents (id, type, title, occurred_on, date_precision, place_id, lat, lon, geo_precision,
    country, admin1, admin2, actor_id, target_id, status, fatalities, injuries, figures_disputed,
    fatalities_best, chain_id, merged_into, tlp, recipients, created_at, updated_at, ledger_seq)
  SELECT ${id('i')}, type, initcap(replace(type, '_', ' ')) || coalesce(' reported near ' || name, ' reported, place not given'),
    DATE '${FILL_FIRST_DAY}' + day_offset, 'day', place_id, lat, lon, geo_precision, country, admin1, admin2,
    actor_id, CASE WHEN target_id = actor_id THEN 'civilians' ELSE target_id END, status,
    jsonb_build_object('totals', ${totals('category', 'best')}, 'groups', '[]'::jsonb),
    jsonb_build_object('totals', ${totals(lit('civilian'), '0')}, 'groups', '[]'::jsonb),
    status = 'disputed', best, NULL,
    CASE WHEN i % 331 = 7 AND i > $1 THEN ${id('(i - 1)')} END,
    (${tlps})[sharing], ((${recipients})[sharing])::jsonb,
    (DATE '${FILL_FIRST_DAY}' + day_offset) + interval '30 hours',
    (DATE '${FILL_FIRST_DAY}' + day_offset) + interval '30 hours', 0
  FROM g
  RETURNING id, occurred_on, tlp, recipients, fatalities_best,
    CASE WHEN (fatalities->'totals'->'civilian'->>'best')::int > 0 THEN 'civilian'
         WHEN (fatalities->'totals'->'military'->>'best')::int > 0 THEN 'military'
         WHEN (fatalities->'totals'->'militant'->>'best')::int > 0 THEN 'militant' ELSE 'unknown' END AS category
)
INSERT INTO claims (id, incident_id, source_id, document_id, published_at, quote, span_start, span_end,
  asserted, figures, credibility, tlp, recipients, created_at, ledger_seq)
SELECT 'clm_' || substr(x.id, 5) || '_1', x.id, ${independent}, NULL::text, x.occurred_on + interval '20 hours',
  'Officials said the attack took place before dawn.', NULL::int, NULL::int, '{}'::jsonb,
  CASE WHEN x.fatalities_best > 0 THEN ${figure} ELSE '[]'::jsonb END, 2 + ${pick(1)} % 3, x.tlp, x.recipients,
  x.occurred_on + interval '30 hours', 0
FROM x
UNION ALL
SELECT 'clm_' || substr(x.id, 5) || '_2', x.id,
  CASE WHEN mixed THEN 'mon-field' ELSE ${party} END, NULL, x.occurred_on + interval '26 hours',
  'A spokesman gave his side''s account of the exchange.', NULL, NULL, '{}'::jsonb,
  CASE WHEN mixed THEN jsonb_build_array(jsonb_build_object('measure', 'fatalities', 'category', x.category,
    'side', NULL, 'value', x.fatalities_best + 3, 'qualifier', 'exact')) ELSE '[]'::jsonb END,
  3, CASE WHEN mixed THEN (CASE WHEN ${pick(3)} < 500 THEN 'AMBER' ELSE 'RED' END) ELSE x.tlp END,
  CASE WHEN mixed THEN (CASE WHEN ${pick(3)} < 500 THEN '["PK"]' ELSE '["usr_bench_admin"]' END)::jsonb
       ELSE x.recipients END,
  x.occurred_on + interval '30 hours', 0
FROM (SELECT x.*, x.tlp IN ('CLEAR', 'GREEN') AND ${pick(2)} < 5 AS mixed FROM x) x
WHERE mixed OR ${pick(2)} >= 600`;
}

// ---------------------------------------------------------------------------------------------
// The workload

/** Who looks: the mechanism (listed on some RED records), a Pakistani delegate, and anyone. */
export const DASHBOARD_VIEWERS: Record<string, Viewer> = {
  mechanism: { role: 'admin', userId: 'usr_bench_admin', partyId: null },
  delegate: { role: 'delegate', userId: 'usr_bench_pk', partyId: 'PK' },
  public: PUBLIC,
};

type View = {
  name: string;
  zoom: number;
  bbox: string;
  /** The console's filter; `dates` true when the period is brushed. */
  filter: SituationFilter;
  /** The console re-requests the daily series only when its URL changes (it drops type and dates). */
  daily: boolean;
};

/**
 * The console's situation page: it opens fitted to the gazetteer's extent (zoom 4 on a laptop
 * screen), and its users zoom to a province (6) and a district (8), filter by type over a brushed
 * period, or by the actor's party. Every view asks for clusters, daily counts and the list page.
 */
function views(lastDay: string): View[] {
  const from = new Date(Date.parse(`${lastDay}T00:00:00Z`) - 90 * 86_400_000).toISOString().slice(0, 10);
  const home = '57.6,24.6,79.4,40.1';
  return [
    { name: 'home z4', zoom: 4, bbox: home, filter: {}, daily: true },
    { name: 'province z6', zoom: 6, bbox: '67.9,31.2,73.4,35.1', filter: {}, daily: true },
    { name: 'district z8', zoom: 8, bbox: '70.45,33.65,71.82,34.62', filter: {}, daily: true },
    {
      name: 'home z4, 3 types, last 90 days',
      zoom: 4,
      bbox: home,
      filter: { type: ['airstrike', 'drone_strike', 'shelling'], from, to: lastDay },
      daily: false,
    },
    {
      name: 'home z5, party PK',
      zoom: 5,
      bbox: '60.3,26.2,76.7,38.6',
      filter: { party: ['PK'] },
      daily: true,
    },
  ];
}

export type QueryStats = { runs: number; p50: number; p95: number; max: number };
export type DashboardOptions = {
  /** Rounds over every viewer and view (after one warm-up round). */
  rounds?: number;
  viewers?: Record<string, Viewer>;
  onProgress?: (message: string) => void;
};
export type DashboardResult = {
  engine: EngineName;
  incidents: number;
  rounds: number;
  elapsedMs: number;
  loadAverage: { start: number; end: number };
  /** Per kind: clusters, daily, list (first page + total), count (GET /incidents total). */
  kinds: Record<string, QueryStats>;
  /** Per kind and view, every viewer: `clusters · home z4`. */
  views: Record<string, QueryStats>;
  /** Per kind, view and viewer: `clusters · home z4 · public`. */
  detail: Record<string, QueryStats>;
};

function stats(samples: number[]): QueryStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { runs: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1) ?? 0) };
}

/** Runs the dashboard workload against a filled store; the store is only read (and the access log written). */
export async function benchDashboard(store: Store, options: DashboardOptions = {}): Promise<DashboardResult> {
  const rounds = options.rounds ?? 5;
  const viewers = options.viewers ?? DASHBOARD_VIEWERS;
  const db = store.db;
  const head = await store.pool.query<{ n: string; last: string | null }>(
    `SELECT count(*) AS n, max(occurred_on)::text AS last FROM incidents`,
  );
  const lastDay = head.rows[0]?.last ?? new Date().toISOString().slice(0, 10);
  const samples = new Map<string, number[]>();
  const started = performance.now();
  const loadStart = os.loadavg()[0]!;
  const time = async (
    kind: string,
    view: string,
    who: string,
    run: () => Promise<unknown>,
    record: boolean,
  ) => {
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    if (!record) return;
    for (const key of [kind, `${kind} · ${view}`, `${kind} · ${view} · ${who}`]) {
      const list = samples.get(key) ?? [];
      list.push(ms);
      samples.set(key, list);
    }
  };
  for (let round = 0; round <= rounds; round++) {
    const record = round > 0;
    for (const [who, viewer] of Object.entries(viewers)) {
      for (const view of views(lastDay)) {
        const filter = { ...view.filter, bbox: view.bbox };
        const at = view.name;
        await time('clusters', at, who, () => clusterIncidents(db, viewer, filter, view.zoom), record);
        if (view.daily) {
          const { type: _type, from: _from, to: _to, ...unfiltered } = filter;
          await time('daily', at, who, () => dailyCounts(db, viewer, unfiltered), record);
        }
        await time('list', at, who, () => situationIncidents(db, viewer, filter, { limit: 50 }), record);
      }
      // GET /incidents?type=…&from=… : its total is a count under the policy without a bbox.
      const yearAgo = `${Number(lastDay.slice(0, 4)) - 1}${lastDay.slice(4)}`;
      await time(
        'count',
        '2 types, last year',
        who,
        () => countIncidents(db, viewer, { type: ['armed_clash', 'militant_attack'], from: yearAgo }),
        record,
      );
      await time('count', 'all', who, () => countIncidents(db, viewer, {}), record);
    }
    options.onProgress?.(`round ${round}/${rounds} done (${Math.round(performance.now() - started)} ms)`);
  }
  const levels: Record<string, QueryStats>[] = [{}, {}, {}];
  for (const [key, list] of samples) levels[key.split(' · ').length - 1]![key] = stats(list);
  const [kinds, byView, detail] = levels as [
    Record<string, QueryStats>,
    Record<string, QueryStats>,
    Record<string, QueryStats>,
  ];
  return {
    engine: store.engine,
    incidents: Number(head.rows[0]?.n ?? 0),
    rounds,
    elapsedMs: Math.round(performance.now() - started),
    loadAverage: { start: loadStart, end: os.loadavg()[0]! },
    kinds,
    views: byView,
    detail,
  };
}

// ---------------------------------------------------------------------------------------------
// Running it alone

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const engine = (argument('--engine') ?? 'postgres') as EngineName;
  const rounds = Number(argument('--rounds') ?? 5);
  const keep = process.argv.includes('--keep');
  const schema = argument('--schema');
  const dataDir = argument('--data');
  const scratch = dataDir ? null : mkdtempSync(join(os.tmpdir(), 'truce-dashboard-bench-'));
  const databaseUrl = process.env.TRUCE_BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (engine === 'postgres' && !databaseUrl)
    throw new Error('set TRUCE_BENCH_DATABASE_URL for --engine postgres');
  const store =
    engine === 'pglite'
      ? await openStore({ dataDir: dataDir ?? join(scratch!, 'pglite') })
      : await openStore({
          databaseUrl,
          schema: schema ?? `bench_dashboard_${randomBytes(5).toString('hex')}`,
        });
  const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
  try {
    const existing = Number(
      (await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM incidents')).rows[0]!.n,
    );
    if (existing === 0) {
      log(`filling ${n.toLocaleString('en')} incidents on ${engine} (load ${os.loadavg()[0]!.toFixed(2)})`);
      const t0 = performance.now();
      await fillIncidents(store, n, 1);
      log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else log(`reusing ${existing.toLocaleString('en')} incidents`);
    const result = await benchDashboard(store, { rounds, onProgress: log });
    console.log(JSON.stringify(result, null, 2));
    const row = (key: string, s: QueryStats) =>
      `${key.padEnd(48)} ${String(s.runs).padStart(4)} ${s.p50.toFixed(1).padStart(9)} ${s.p95.toFixed(1).padStart(9)} ${s.max.toFixed(1).padStart(9)}`;
    console.error(`${'query'.padEnd(48)} runs  p50 (ms)  p95 (ms)  max (ms)`);
    for (const [key, s] of Object.entries({ ...result.kinds, ...result.views })) console.error(row(key, s));
    console.error(
      `load average ${result.loadAverage.start.toFixed(2)} → ${result.loadAverage.end.toFixed(2)}`,
    );
  } finally {
    if (store.engine === 'postgres' && !schema && !keep)
      await store.pool.query(`DROP SCHEMA ${store.schema} CASCADE`);
    await store.close();
    if (scratch && !keep) rmSync(scratch, { recursive: true, force: true });
    else if (scratch) log(`kept ${scratch}`);
  }
}

if (process.env.TRUCE_SCRIPT === import.meta.url && process.argv.includes('--run')) await main();
