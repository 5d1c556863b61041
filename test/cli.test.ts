import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/engine.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'truce.js');

async function truce(args: string[]) {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { env: { ...process.env, TZ: 'UTC' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('truce CLI', () => {
  let dir: string;
  let data: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'truce-cli-'));
    data = ['--data', join(dir, 'data')];
    const init = await truce(['init', ...data]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Seeded the demo: 6 incidents/);
    expect(init.stdout).toMatch(/First admin: "admin", one-time password \S{20,}/);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has --help on every command', async () => {
    for (const command of [
      [],
      ['serve'],
      ['init'],
      ['incidents', 'list'],
      ['claims', 'add'],
      ['ledger', 'head'],
      ['ledger', 'prove'],
      ['ledger', 'verify'],
      ['export'],
    ]) {
      const result = await truce([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/Usage: truce/);
    }
  }, 180_000);

  it('lists the demo incidents as a table and as JSON', async () => {
    const table = await truce(['incidents', 'list', ...data]);
    expect(table.stdout).toMatch(/Paktika/);
    const json = JSON.parse(
      (await truce(['incidents', 'list', '--json', '--type', 'airstrike', ...data])).stdout,
    );
    expect(json.incidents.map((i: { type: string }) => i.type)).toEqual(['airstrike', 'airstrike']);
  });

  it('adds a claim, proves its entry, exports, and verify catches a row edited in SQL', async () => {
    const list = JSON.parse(
      (await truce(['incidents', 'list', '--json', '--from', '2025-10-17', '--type', 'airstrike', ...data]))
        .stdout,
    );
    const incident = list.incidents[0].id;
    const added = await truce([
      'claims',
      'add',
      ...data,
      '--incident',
      incident,
      '--source',
      'reuters',
      '--published',
      '2025-10-18',
      '--quote',
      'Reuters could not independently verify the toll.',
      '--figure',
      'fatalities:civilian:AF:3:at_least',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const claim = JSON.parse(added.stdout);
    // An independent figure now sets low and best (CODEBOOK rule 3–4).
    expect(claim.fatalities.totals.civilian).toEqual({ low: 3, best: 3, high: 3 });

    const bad = await truce([
      'claims',
      'add',
      ...data,
      '--incident',
      incident,
      '--source',
      'reuters',
      '--published',
      '2025-10-18',
      '--quote',
      'x',
      '--figure',
      'fatalities:civilian:AF:-3',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/figures\[0\]\.value/);

    const proof = JSON.parse((await truce(['ledger', 'prove', String(claim.ledgerSeq), ...data])).stdout);
    expect(proof.verified).toBe(true);

    const out = join(dir, 'export.json');
    expect((await truce(['export', '--format', 'json', '--out', out, ...data])).code).toBe(0);

    const ok = await truce(['ledger', 'verify', ...data]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ledger OK/);

    const store = await openStore({ dataDir: join(dir, 'data', 'pglite') });
    await store.pool.query(`UPDATE claims SET quote = 'Reuters confirmed five deaths.' WHERE id = $1`, [
      claim.claim,
    ]);
    await store.close();
    // On worker threads, as a large log would be checked: the binary's threads load the TypeScript too.
    const failed = await truce(['ledger', 'verify', '--workers', '2', ...data]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`claims ${claim.claim} differs from ledger entry ${claim.ledgerSeq}`);
    // The log itself is intact: checking its hashes alone passes, and says what it left out.
    const hashes = await truce(['ledger', 'verify', '--hashes-only', ...data]);
    expect(hashes.code, hashes.stderr).toBe(0);
    expect(hashes.stdout).toContain("entries' form and rows not checked (--hashes-only)");
    // A party keeps a head; checking from it reads what came after, so the earlier edit goes unseen
    // there (the whole check above is the one that sees it), and says so.
    const headFile = join(dir, 'head.json');
    writeFileSync(headFile, (await truce(['ledger', 'head', ...data])).stdout);
    const since = await truce(['ledger', 'verify', '--since', headFile, ...data]);
    expect(since.code, since.stderr).toBe(0);
    expect(since.stdout).toMatch(/from the held head at size \d+: entries before it by their stored hashes/);
    writeFileSync(headFile, '{"treeSize": "many"}');
    const badHead = await truce(['ledger', 'verify', '--since', headFile, ...data]);
    expect(badHead.code).toBe(2);
    expect(badHead.stderr).toContain('since.treeSize');
  }, 180_000);

  it('manages users and reads as a user sees it with --as', async () => {
    const added = await truce(['user', 'add', 'af-delegate', '--role', 'delegate', '--party', 'AF', ...data]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/one-time password: \S{20,}/);
    expect((await truce(['user', 'add', 'xy', '--role', 'delegate', ...data])).stderr).toMatch(/partyId/);
    const store = await openStore({ dataDir: join(dir, 'data', 'pglite') });
    await store.pool.query(
      `UPDATE incidents SET tlp = 'AMBER', recipients = '["PK"]' WHERE title LIKE 'Torkham%'`,
    );
    await store.close();
    const asDelegate = JSON.parse(
      (await truce(['incidents', 'list', '--json', '--as', 'af-delegate', ...data])).stdout,
    );
    const asMechanism = JSON.parse((await truce(['incidents', 'list', '--json', ...data])).stdout);
    const titles = (r: { incidents: { title: string }[] }) => r.incidents.map((i) => i.title);
    expect(titles(asMechanism).some((t) => t.startsWith('Torkham'))).toBe(true);
    expect(titles(asDelegate).some((t) => t.startsWith('Torkham'))).toBe(false);
    const token = await truce(['user', 'token', 'af-delegate', '--scope', 'read', ...data]);
    expect(token.stdout).toMatch(/trc_[a-z0-9]{16}_/);
    expect((await truce(['user', 'disable', 'af-delegate', '--reason', 'rotation', ...data])).code).toBe(0);
    expect((await truce(['user', 'list', ...data])).stdout).toMatch(/af-delegate\s+delegate\s+AF\s+yes/);
    expect((await truce(['incidents', 'list', '--as', 'af-delegate', ...data])).stderr).toMatch(
      /no active user/,
    );
  }, 180_000);

  it('rejects unreadable and malformed files with a clear error', async () => {
    expect((await truce(['claims', 'add', ...data, '--file', join(dir, 'missing.json')])).stderr).toMatch(
      /missing\.json: cannot be read/,
    );
    writeFileSync(join(dir, 'broken.json'), '{"incidentId":');
    expect((await truce(['claims', 'add', ...data, '--file', join(dir, 'broken.json')])).stderr).toMatch(
      /not valid JSON/,
    );
    expect((await truce(['export', '--format', 'xml', ...data])).stderr).toMatch(/--format/);
  }, 120_000);
});
