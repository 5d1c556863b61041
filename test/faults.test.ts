/**
 * Faults: a data directory that cannot be created or written, a disk that fills during writes,
 * and kill -9 in the middle of a large import. Each ends in one clear line (CLI) or a stable
 * error (API), nothing half-written, and a ledger that verifies. CLI processes cost over a
 * second of CPU each (tsx), so the CLI is run where its own output is what is tested.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticAcled } from '../bench/interop.ts';
import { buildServer } from '../src/api/server.ts';
import { loadOrCreateSigner } from '../src/ledger/keys.ts';
import { currentTree } from '../src/ledger/log.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { openStore, type Store } from '../src/store/engine.ts';
import { buildIncident, seedParties } from './support/factories.ts';
import { cannotMount, fillDisk, makeReadOnly, mountTmpfs, readOffset, unmount } from './support/faults.ts';
import { closeTestInstance, openTestInstance } from './support/instance.ts';
import { ENGINES, pgliteTemplate, TEST_DATABASE_URL } from './support/store.ts';
import { wholeIncidents } from './support/synthetic.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'truce.js');
const OPERATOR = { role: 'monitor', userId: 'operator', partyId: null } as const;

type Run = { code: number; stdout: string; stderr: string };

function truce(
  args: string[],
  options: { prefix?: string[]; env?: Record<string, string> } = {},
): Promise<Run> {
  const [command, ...rest] = [...(options.prefix ?? []), 'node', BIN, ...args];
  return new Promise((resolve) => {
    execFile(
      command!,
      rest,
      { env: { ...process.env, TZ: 'UTC', ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** One line on stderr, starting `truce:`, and no stack frame. */
function expectOneLine(run: Run, pattern: RegExp): void {
  expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

/** A migrated instance directory (database from the test template, and a signing key), closed. */
async function makeInstanceDir(data: string): Promise<void> {
  const store = await openStore({ dataDir: join(data, 'pglite'), loadDataDir: await pgliteTemplate() });
  await store.close();
  loadOrCreateSigner(data);
}

/** A document long (and varied) enough that storing it needs new pages even compressed. */
function longReport(day: string): string {
  const sentences = Array.from(
    { length: 300 },
    (_, i) =>
      `Report ${randomBytes(12).toString('hex')}: Pakistani forces shelled villages in the Dangam district of Kunar province on ${day}, killing ${3 + (i % 7)} civilians, local officials said.`,
  );
  return `title: Long shelling report\npublished: ${day}\noutlet: Pajhwok Afghan News\n\n${sentences.join(' ')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'truce-faults-'));
// Readable (not writable) by others, so a CLI child running as `nobody` reaches what it must fail on.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a data directory that cannot be created or written', () => {
  it('names the directory when a part of its path is a file', async () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, 'x');
    const run = await truce(['serve', '--no-demo', '--port', '0', '--data', join(file, 'data')]);
    expect(run.code).toBe(1);
    expectOneLine(
      run,
      new RegExp(
        `^truce: data directory ${file}/data: cannot be created: ${file} is a file, not a directory$`,
      ),
    );
  });

  // Every command with --data (ingest, ledger, user, …) passes the same check in cli/main.ts.
  it('refuses serve, import and init on a read-only data directory with one line naming it', async (ctx) => {
    const data = join(dir, 'read-only');
    await makeInstanceDir(data);
    const readOnly = makeReadOnly(data, BIN);
    if (typeof readOnly === 'string') {
      console.warn(`read-only data directory test skipped: ${readOnly}`);
      return ctx.skip(readOnly);
    }
    const acled = join(import.meta.dirname, 'fixtures', 'interop', 'acled-malformed.csv');
    let runs: Run[];
    try {
      runs = await Promise.all(
        [
          ['serve', '--no-demo', '--port', '0', '--data', data],
          ['import', acled, '--format', 'acled', '--data', data],
          // A new instance whose directory would have to be created inside the read-only one.
          ['init', '--no-demo', '--data', join(data, 'fresh')],
        ].map((args) => truce(args, { prefix: readOnly.prefix })),
      );
    } finally {
      readOnly.undo();
    }
    const why = '(it is on a read-only file system|permission denied for this user)';
    const [serve, importing, init] = runs;
    for (const run of [serve!, importing!]) {
      expect(run.code, `${readOnly.how}: ${run.stderr}`).toBe(1);
      expectOneLine(run, new RegExp(`^truce: data directory ${data}: cannot be written: ${why}$`));
    }
    expect(init!.code, `${readOnly.how}: ${init!.stderr}`).toBe(1);
    expectOneLine(
      init!,
      new RegExp(`^truce: data directory ${data}/fresh: cannot create ${data}/fresh: ${why}$`),
    );
    expect(existsSync(join(data, 'fresh'))).toBe(false);
  }, 60_000);
});

describe('a disk that fills during writes', () => {
  for (const engine of ENGINES) {
    it(`${engine}: the database's disk_full (53100) answers 507 storage_full and rolls the write back`, async () => {
      const instance = await openTestInstance(engine);
      const { db } = instance.store;
      try {
        await seedParties(instance.store);
        const app = await buildServer({ instance, trustedViewer: () => OPERATOR });
        const post = () =>
          app.inject({
            method: 'POST',
            url: '/incidents',
            payload: buildIncident({ title: 'on a full disk' }),
          });
        // What PostgreSQL (and PGlite, on ENOSPC) raises when it cannot extend a file: here on the
        // ledger's insert, after the incident row itself was written in the same transaction.
        await sql`CREATE FUNCTION fail_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'could not extend file "base/5/16423": No space left on device' USING ERRCODE = 'disk_full'; END $$`.execute(
          db,
        );
        await sql`CREATE TRIGGER disk_full BEFORE INSERT ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION fail_disk_full()`.execute(
          db,
        );
        const before = (await currentTree(db)).size;
        const full = await post();
        expect(full.statusCode).toBe(507);
        expect(full.json().error).toEqual({
          code: 'storage_full',
          message: expect.stringMatching(/^storage full: .*rolled back/),
        });
        expect(full.body).not.toMatch(/base\/5|\n\s+at /);
        expect((await currentTree(db)).size).toBe(before);
        expect(
          await db.selectFrom('incidents').select('id').where('title', '=', 'on a full disk').execute(),
        ).toEqual([]);
        expect((await verifyLedger(db)).problems).toEqual([]);

        await sql`DROP TRIGGER disk_full ON ledger_entries`.execute(db);
        expect((await post()).statusCode).toBe(201);
        await app.close();
      } finally {
        await closeTestInstance(instance);
      }
    });
  }

  it('PGlite on a tmpfs filled to the last byte: 507 from the API, one line from the CLI, a ledger that verifies', async (ctx) => {
    const why = cannotMount();
    if (why) {
      console.warn(`full-disk test skipped: ${why}`);
      return ctx.skip(why);
    }
    const data = join(dir, 'full');
    mkdirSync(data);
    // A PGlite cluster takes about 40 MB, 16 of them its first WAL segment (allocated up front).
    mountTmpfs(data, 64);
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    try {
      await makeInstanceDir(data);
      store = await openStore({ dataDir: join(data, 'pglite') });
      await seedParties(store);
      app = await buildServer({
        instance: { store, signer: loadOrCreateSigner(data), dataDir: data },
        trustedViewer: () => OPERATOR,
      });
      const post = (i: number) =>
        app!.inject({
          method: 'POST',
          url: '/incidents',
          payload: buildIncident({ title: `full disk ${i}` }),
        });
      expect((await post(0)).statusCode).toBe(201);
      const filler = fillDisk(data);

      // Rows go into pages already allocated until a write needs a new one, and is refused whole.
      let written = 1;
      let refused: Awaited<ReturnType<typeof post>> | undefined;
      while (!refused && written < 3000) {
        const response = await post(written);
        if (response.statusCode === 201) written += 1;
        else refused = response;
      }
      expect(refused?.statusCode, refused?.body).toBe(507);
      expect(refused!.json().error.code).toBe('storage_full');
      const tree = await currentTree(store.db);
      const stored = await store.db
        .selectFrom('incidents')
        .select('title')
        .where('title', 'like', 'full disk %')
        .execute();
      expect(stored).toHaveLength(written);
      await app.close();
      app = undefined;
      await store.close();
      store = undefined;

      // So full that PGlite cannot even start: it says so, naming the directory.
      await expect(openStore({ dataDir: join(data, 'pglite') })).rejects.toThrow(
        new RegExp(`^data directory ${data}/pglite: no space left on the device \\(\\d+ KiB free\\)`),
      );
      // A little space: PGlite starts, and the CLI's own write is refused.
      truncateSync(filler, statSync(filler).size - 32 * 1024);
      const document = join(dir, 'long-report.txt');
      writeFileSync(document, longReport('2025-06-01'));
      const ingest = await truce(['ingest', document, '--tlp', 'CLEAR', '--data', data]);
      expect(ingest.code, ingest.stdout).toBe(1);
      expectOneLine(
        ingest,
        /^truce: storage full: the database's disk has no space left; the write was rolled back/,
      );

      // Space again: nothing of either refused write is there, and the ledger verifies.
      rmSync(filler);
      store = await openStore({ dataDir: join(data, 'pglite') });
      expect((await currentTree(store.db)).size).toBe(tree.size);
      expect((await verifyLedger(store)).problems).toEqual([]);
    } finally {
      await app?.close();
      await store?.close();
      unmount(data);
    }
  }, 60_000);
});

const ROWS = 2000;
const BATCH = 100;
/** The import killed midway reads ahead up to ~1,024 lines: it needs a file well past that. */
const KILL_ROWS = 5000;

/** Polls `ready` until it holds, then kill -9; fails if the child ends first (too quick to interrupt). */
async function killWhen(child: ChildProcess, ready: () => boolean | Promise<boolean>): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  void exited.then(() => {
    ended = true;
  });
  while (!ended) {
    if (await ready()) {
      child.kill('SIGKILL');
      await exited;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(
    `the import ended (exit ${await exited}) before it could be killed: ${stderr.slice(-2000)}`,
  );
}

describe('kill -9 during a large import', () => {
  const file = join(dir, 'acled.csv');
  beforeAll(() => writeSyntheticAcled(file, KILL_ROWS));

  for (const engine of ENGINES) {
    it(`${engine}: whole batches only, the ledger verifies, and the same import finishes the job`, async (ctx) => {
      if (engine === 'pglite' && process.platform !== 'linux')
        return ctx.skip('watching how far the import has read its file needs /proc (Linux)');
      const data = join(dir, `kill-${engine}`);
      const schema = `truce_test_kill_${randomBytes(4).toString('hex')}`;
      const env: Record<string, string> =
        engine === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL!, TRUCE_SCHEMA: schema } : {};
      const open = () =>
        engine === 'postgres'
          ? openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 2 })
          : openStore({ dataDir: join(data, 'pglite') });
      // A fresh schema on PostgreSQL, watched while the import runs; PGlite from the test template.
      const watcher = engine === 'postgres' ? await open() : undefined;
      if (!watcher) await makeInstanceDir(data);
      const args = ['import', file, '--format', 'acled', '--batch', String(BATCH), '--data', data];
      const child = spawn('node', [BIN, ...args], {
        env: { ...process.env, TZ: 'UTC', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      try {
        const size = statSync(file).size;
        const count = async (store: Store) =>
          Number(
            (
              await store.db
                .selectFrom('incidents')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirst()
            )?.n ?? 0,
          );
        // PostgreSQL is watched directly. PGlite cannot be opened twice, so there the import is
        // killed once it has read 60% of the file: reading runs at most ~1,024 lines (readline's
        // queue) and two batches ahead of what has committed, so a dozen or more batches must have
        // committed by then, and a third of the rows are still to come.
        await killWhen(
          child,
          watcher
            ? async () => (await count(watcher)) >= 3 * BATCH
            : () => (readOffset(child.pid!, file) ?? 0) >= 0.6 * size,
        );

        let store = watcher ?? (await open());
        const committed = await wholeIncidents(store);
        expect(committed).toBeGreaterThan(0);
        expect(committed).toBeLessThan(KILL_ROWS);
        expect(committed % BATCH, `${committed} incidents are not whole ${BATCH}-row batches`).toBe(0);
        // The same check as `truce ledger verify`: every entry, every signed head, every row.
        expect((await verifyLedger(store)).problems).toEqual([]);
        if (!watcher) await store.close();

        const rerun = await truce([...args, '--json'], { env });
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(JSON.parse(rerun.stdout)).toMatchObject({
          lines: KILL_ROWS,
          alreadyImported: committed,
          applied: KILL_ROWS - committed,
          skippedCount: 0,
          stopped: null,
        });
        store = watcher ?? (await open());
        expect(await wholeIncidents(store)).toBe(KILL_ROWS);
        expect((await verifyLedger(store)).problems).toEqual([]);
        if (!watcher) await store.close();
      } finally {
        // A test that failed or timed out leaves no import running.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        if (watcher) {
          await watcher.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await watcher.close();
        }
      }
    }, 120_000);
  }
});

describe('an import that fills the disk', () => {
  const file = join(dir, 'acled-full.csv');
  beforeAll(() => writeSyntheticAcled(file, ROWS));

  it('stops with one line, keeps whole batches, and the same import finishes once there is space', async (ctx) => {
    const why = cannotMount();
    if (why) {
      console.warn(`full-disk import test skipped: ${why}`);
      return ctx.skip(why);
    }
    const data = join(dir, 'import-full');
    mkdirSync(data);
    mountTmpfs(data, 48);
    try {
      await makeInstanceDir(data);
      // About 4 MB left: room for a few batches, not for 2,000 rows with their ledger entries.
      const filler = fillDisk(data);
      truncateSync(filler, Math.max(0, statSync(filler).size - 4 * 2 ** 20));
      const args = ['import', file, '--format', 'acled', '--batch', String(BATCH), '--data', data];
      const full = await truce(args);
      // Not "every later row skipped": a full disk is no fault of the rows, so the import stops.
      expect(full.code, full.stdout).toBe(1);
      expectOneLine(full, /^truce: storage full: /);

      rmSync(filler);
      execFileSync('mount', ['-o', 'remount,size=256m', data]);
      const rerun = await truce([...args, '--json']);
      expect(rerun.code, rerun.stderr).toBe(0);
      const result = JSON.parse(rerun.stdout) as { alreadyImported: number; applied: number };
      expect(result.alreadyImported % BATCH, `${result.alreadyImported} rows are not whole batches`).toBe(0);
      expect(result.alreadyImported + result.applied).toBe(ROWS);
      const store = await openStore({ dataDir: join(data, 'pglite') });
      try {
        expect(await wholeIncidents(store)).toBe(ROWS);
        expect((await verifyLedger(store)).problems).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      unmount(data);
    }
  }, 120_000);
});
