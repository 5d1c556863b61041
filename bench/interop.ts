/**
 * Interop bench: ACLED import rows per second through the batched write path, on a synthetic file
 * written to the temp directory (never committed), on PGlite and, when a PostgreSQL URL is set, on
 * PostgreSQL in a throw-away schema; and export rows per second back out as ACLED CSV.
 *
 *   node bin/run-ts.js bench/interop.ts --run [ROWS]      (default 100,000)
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { MECHANISM } from '../src/access/viewer.ts';
import { ACLED_COLUMNS } from '../src/interop/acled.ts';
import { exportStream } from '../src/interop/exporter.ts';
import { IMPORT_FORMATS } from '../src/interop/formats.ts';
import { importCsv } from '../src/interop/importer.ts';
import { type EngineName, openStore, type Store } from '../src/store/engine.ts';

const SUBS = [
  ['Battles', 'Armed clash'],
  ['Explosions/Remote violence', 'Air/drone strike'],
  ['Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  ['Explosions/Remote violence', 'Suicide bomb'],
  ['Violence against civilians', 'Attack'],
  ['Strategic developments', 'Arrests'],
] as const;
const ACTORS = [
  ['Military Forces of Pakistan (2018-)', '1'],
  ['Police Forces of Pakistan (2018-)', '1'],
  ['TTP: Tehreek-i-Taliban Pakistan', '2'],
  ['Military Forces of Afghanistan (2021-)', '1'],
  ['Unidentified Armed Group (Pakistan)', '3'],
  ['Islamic State (Pakistan)', '2'],
  ['Civilians (Pakistan)', '7'],
  ['BLA: Balochistan Liberation Army', '2'],
] as const;
const SOURCES = [
  ['Dawn', 'National'],
  ['The News (Pakistan)', 'National'],
  ['Reuters', 'International'],
  ['Dawn; Express Tribune', 'National'],
  ['Pajhwok Afghan News', 'Regional'],
  ['Twitter', 'New media'],
] as const;
const PLACES = [
  ['Khyber Pakhtunkhwa', 'North Waziristan', 'Miran Shah', 33.0, 70.07],
  ['Khyber Pakhtunkhwa', 'Bajaur', 'Khar', 34.73, 71.52],
  ['Balochistan', 'Chaman', 'Chaman', 30.92, 66.45],
  ['Khyber Pakhtunkhwa', 'Kurram', 'Parachinar', 33.9, 70.1],
  ['Khyber Pakhtunkhwa', 'Khyber', 'Landi Kotal', 34.1, 71.15],
] as const;

/** A deterministic pseudo-random ACLED row (same seed, same file). */
function* syntheticAcled(rows: number): Generator<string[]> {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < rows; i++) {
    const [eventType, sub] = SUBS[rand(SUBS.length)]!;
    const [a1, i1] = ACTORS[rand(ACTORS.length)]!;
    const [a2, i2] = ACTORS[rand(ACTORS.length)]!;
    const [source, scale] = SOURCES[rand(SOURCES.length)]!;
    const [admin1, admin2, location, lat, lon] = PLACES[rand(PLACES.length)]!;
    const date = new Date(Date.UTC(2018, 0, 1) + rand(2500) * 86_400_000).toISOString().slice(0, 10);
    const values: Record<string, string> = {
      event_id_cnty: `PAK${100000 + i}`,
      event_date: date,
      year: date.slice(0, 4),
      time_precision: String(1 + rand(3)),
      disorder_type: 'Political violence',
      event_type: eventType,
      sub_event_type: sub,
      actor1: a1,
      assoc_actor_1: '',
      inter1: i1,
      actor2: a2,
      assoc_actor_2: '',
      inter2: i2,
      interaction: `${i1}${i2}`,
      civilian_targeting: i2 === '7' ? 'Civilian targeting' : '',
      iso: '586',
      region: 'Southern Asia',
      country: 'Pakistan',
      admin1,
      admin2,
      admin3: '',
      location,
      latitude: (lat + rand(100) / 1000).toFixed(4),
      longitude: (lon + rand(100) / 1000).toFixed(4),
      geo_precision: String(1 + rand(3)),
      source,
      source_scale: scale,
      notes: `On ${date}, ${a1} attacked ${a2} near ${location} (${admin2}). ${rand(10)} people were reported killed, "according to" local officials.`,
      fatalities: String(rand(12)),
      timestamp: String(Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + 86_400 * 3),
    };
    yield ACLED_COLUMNS.map((c) => values[c] ?? '');
  }
}

export async function writeSyntheticAcled(path: string, rows: number): Promise<void> {
  await pipeline(
    (function* () {
      yield [...ACLED_COLUMNS];
      yield* syntheticAcled(rows);
    })(),
    stringify(),
    createWriteStream(path),
  );
}

async function open(engine: EngineName, dir: string): Promise<Store> {
  if (engine === 'pglite') return openStore({ dataDir: join(dir, 'pglite') });
  return openStore({
    databaseUrl: process.env.TRUCE_BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
    schema: `bench_interop_${randomBytes(5).toString('hex')}`,
  });
}

/** One engine: import `file` (of `rows` rows), import it again, export everything as ACLED CSV; rows per second of each. */
export async function benchEngine(engine: EngineName, file: string, rows: number, dir: string) {
  const store = await open(engine, dir);
  try {
    const started = performance.now();
    const result = await importCsv(store, createReadStream(file), {
      format: IMPORT_FORMATS.acled,
      onError: 'stop',
      by: 'bench',
      sharing: { tlp: 'GREEN', recipients: [] },
    });
    const importS = (performance.now() - started) / 1000;
    if (result.applied !== rows)
      throw new Error(`imported ${result.applied} of ${rows}: ${JSON.stringify(result.stopped)}`);
    const reimportStart = performance.now();
    const again = await importCsv(store, createReadStream(file), {
      format: IMPORT_FORMATS.acled,
      onError: 'stop',
      by: 'bench',
      sharing: { tlp: 'GREEN', recipients: [] },
    });
    const reimportS = (performance.now() - reimportStart) / 1000;
    if (again.alreadyImported !== rows) throw new Error('re-import was not idempotent');
    const exportStart = performance.now();
    const out = await exportStream(store.db, MECHANISM, {}, 'acled');
    let bytes = 0;
    await pipeline(
      out.stream,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done();
        },
      }),
    );
    const exportS = (performance.now() - exportStart) / 1000;
    return {
      [`interop_${engine}_import_rows_per_s`]: Math.round(rows / importS),
      [`interop_${engine}_reimport_rows_per_s`]: Math.round(rows / reimportS),
      [`interop_${engine}_export_rows_per_s`]: Math.round(rows / exportS),
      [`interop_${engine}_export_mb`]: Math.round(bytes / 1e5) / 10,
    };
  } finally {
    if (store.engine === 'postgres') await store.pool.query(`DROP SCHEMA ${store.schema} CASCADE`);
    await store.close();
  }
}

export async function benchInterop(rows = 100_000): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(os.tmpdir(), 'truce-interop-bench-'));
  try {
    const file = join(dir, 'acled.csv');
    await writeSyntheticAcled(file, rows);
    const results: Record<string, number> = {
      interop_rows: rows,
      interop_file_mb: Math.round(statSync(file).size / 1e5) / 10,
    };
    const engines: EngineName[] = ['pglite'];
    if (process.env.TRUCE_BENCH_DATABASE_URL || process.env.DATABASE_URL) engines.push('postgres');
    for (const engine of engines) Object.assign(results, await benchEngine(engine, file, rows, dir));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bin/run-ts.js bench/interop.ts --run [ROWS]` runs it alone; `npm run bench` runs benchEngine per engine (bench/interopSection.ts).
if (process.env.TRUCE_SCRIPT === import.meta.url && process.argv.includes('--run')) {
  const rows = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
  console.log(await benchInterop(rows));
}
