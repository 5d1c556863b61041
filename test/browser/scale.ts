/**
 * Measures the console's server-side aggregation at 100,000 incidents (and 60,000 claims, a tenth
 * of them RED so figures must be recomputed per viewer). Rows are bulk-inserted in SQL, off the
 * ledger: only reads are measured. Run: `npx tsx test/browser/scale.ts [incidents]`.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Viewer } from '../../src/access/viewer.ts';
import { buildServer } from '../../src/api/server.ts';
import { seedParties } from '../support/factories.ts';
import { closeTestInstance, openTestInstance } from '../support/instance.ts';

const N = Number(process.argv[2] ?? 100_000);
const instance = await openTestInstance(process.env.TRUCE_TEST_DATABASE_URL ? 'postgres' : 'pglite');
await seedParties(instance.store);
const db = instance.store.db;
const figures = (best: string) =>
  sql`jsonb_build_object('groups', '[]'::jsonb, 'totals', jsonb_build_object('civilian', jsonb_build_object('low', ${sql.raw(best)}, 'best', ${sql.raw(best)}, 'high', ${sql.raw(best)})))`;
let t = performance.now();
await sql`
  INSERT INTO incidents (id, type, title, occurred_on, date_precision, lat, lon, geo_precision, country,
    actor_id, status, fatalities, injuries, figures_disputed, fatalities_best, tlp, recipients,
    created_at, updated_at, ledger_seq)
  SELECT 'inc_scale_' || g,
    (ARRAY['airstrike','drone_strike','shelling','armed_clash','militant_attack','crossing_closure','crossing_reopening','other'])[1 + (g / 7) % 8],
    'Scale test incident ' || g,
    DATE '2023-01-01' + ((g * 7919) % 1000),
    'day', 29 + random() * 8, 62 + random() * 12, 2, CASE WHEN g % 2 = 0 THEN 'AF' ELSE 'PK' END,
    CASE WHEN g % 2 = 0 THEN 'AF.forces' ELSE 'PK.military' END,
    (ARRAY['reported','corroborated','verified','disputed','refuted'])[1 + (g / 3) % 5],
    ${figures('(g % 40)')}, ${figures('0')}, false, g % 40,
    (ARRAY['CLEAR','CLEAR','GREEN','AMBER','RED'])[1 + g % 5],
    CASE WHEN g % 5 = 3 THEN '["PK"]'::jsonb WHEN g % 5 = 4 THEN '["usr_named"]'::jsonb ELSE '[]'::jsonb END,
    now(), now(), 0
  FROM generate_series(1, ${N}) AS g`.execute(db);
await sql`
  INSERT INTO claims (id, incident_id, source_id, published_at, quote, asserted, figures, credibility, tlp,
    recipients, created_at, ledger_seq)
  SELECT 'clm_scale_' || g, 'inc_scale_' || g, 'reuters', now(), 'Scale test claim ' || g, '{}'::jsonb,
    jsonb_build_array(jsonb_build_object('measure','fatalities','category','civilian','side','AF','value', g % 40,'qualifier','exact')),
    3, CASE WHEN g % 10 = 0 THEN 'RED' ELSE 'CLEAR' END,
    CASE WHEN g % 10 = 0 THEN '["usr_named"]'::jsonb ELSE '[]'::jsonb END, now(), 0
  FROM generate_series(1, ${Math.round(N * 0.6)}) AS g`.execute(db);
await sql`ANALYZE`.execute(db);
console.log(`inserted ${N} incidents in ${Math.round(performance.now() - t)} ms (${instance.store.engine})`);

const viewers: Record<string, Viewer> = {
  monitor: { role: 'monitor', userId: 'usr_m', partyId: null },
  'PK delegate': { role: 'delegate', userId: 'usr_pk', partyId: 'PK' },
  public: { role: 'public', userId: null, partyId: null },
};
const routes = [
  ['clusters, whole region, zoom 5', '/aggregate/clusters?zoom=5&bbox=55,22,80,42'],
  ['clusters, one province, zoom 8', '/aggregate/clusters?zoom=8&bbox=69,33,71.5,35'],
  [
    'clusters, filtered type+party+status',
    '/aggregate/clusters?zoom=5&type=airstrike,shelling&party=PK&status=verified',
  ],
  ['daily counts, all dates', '/aggregate/daily?bbox=55,22,80,42'],
  ['list, first page of 50', '/aggregate/incidents?limit=50&bbox=55,22,80,42'],
  ['list, a month', '/aggregate/incidents?limit=50&from=2024-03-01&to=2024-03-31'],
] as const;
console.log('| viewer | request | ms (median of 3) | response |');
console.log('|---|---|---:|---|');
for (const [name, viewer] of Object.entries(viewers)) {
  const app = await buildServer({ instance, trustedViewer: () => viewer, webRoot: null });
  for (const [label, url] of routes) {
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      const response = await app.inject(url);
      times.push(performance.now() - t);
      body = response.body;
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${body}`);
    }
    const json = JSON.parse(body);
    const shape =
      'clusters' in json
        ? `${json.clusters.length} clusters, total ${json.total}`
        : 'days' in json
          ? `${json.days.length} days`
          : `${json.incidents.length} rows of ${json.total}`;
    times.sort((a, b) => a - b);
    console.log(
      `| ${name} | ${label} | ${Math.round(times[1]!)} | ${shape}, ${(body.length / 1024).toFixed(0)} KiB |`,
    );
  }
  await app.close();
}
await closeTestInstance(instance);
