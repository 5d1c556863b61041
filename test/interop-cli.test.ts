import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'truce.js');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'interop');

async function truce(args: string[]) {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { env: { ...process.env, TZ: 'UTC' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('truce import / export', () => {
  let dir: string;
  let data: string[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'truce-interop-cli-'));
    // No `truce init`: the first command creates the database (two instance opens keep this file fast).
    data = ['--data', join(dir, 'data')];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at a bad row with exit 2 naming its line, then exports what was applied', async () => {
    const bad = await truce(['import', join(FIXTURES, 'acled-malformed.csv'), '--format', 'gdelt', ...data]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format: "gdelt" is not one of acled, ucdp, new-america/);
    const stop = await truce([
      'import',
      join(FIXTURES, 'acled-malformed.csv'),
      '--format',
      'acled',
      '--on-error',
      'stop',
      '--json',
      ...data,
    ]);
    expect(stop.code, stop.stderr).toBe(2);
    expect(JSON.parse(stop.stdout)).toMatchObject({
      applied: 1,
      appliedThrough: 2,
      stopped: { line: 3, error: expect.stringMatching(/^event_date:/) },
    });
    const out = join(dir, 'clashes.geojson');
    const geo = await truce([
      'export',
      '--format',
      'geojson',
      '--type',
      'armed_clash',
      '--out',
      out,
      ...data,
    ]);
    expect(geo.code, geo.stderr).toBe(0);
    expect(geo.stderr).toMatch(/wrote 1 incidents/);
    const collection = JSON.parse(readFileSync(out, 'utf8'));
    expect(collection.features.map((f: { id: string }) => f.id)).toEqual(['acled:GOOD0001']);
    expect(collection.features[0].geometry).toEqual({ type: 'Point', coordinates: [69.9434, 33.8343] });
  }, 90_000);
});
