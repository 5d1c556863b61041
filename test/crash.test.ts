/**
 * kill -9 in the middle of a long ingest: after restart every committed document is whole, nothing
 * is half-written, `truce ledger verify` passes, and re-running the ingest finishes the job.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../src/ledger/verify.ts';
import { openStore } from '../src/store/engine.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'truce.js');
const DOCUMENTS = 50;

/** Distinct shelling reports: a new day each, so each is a new incident with its own claims. */
function article(i: number): string {
  const day = new Date(Date.UTC(2025, 5, 1) + i * 86_400_000).toISOString().slice(0, 10);
  return `title: Shelling report ${i}\npublished: ${day}\noutlet: Pajhwok Afghan News\n\nPakistani forces shelled villages in the Dangam district of Kunar province on ${day}, killing ${2 + (i % 5)} civilians, local officials said.\n`;
}

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'truce-crash-'));
  const data = join(dir, 'data');
  const docs = join(dir, 'docs');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survives kill -9 during an ingest of many documents', async () => {
    await run('node', [BIN, 'init', '--data', data]);
    mkdirSync(docs);
    for (let i = 0; i < DOCUMENTS; i++)
      writeFileSync(join(docs, `${String(i).padStart(3, '0')}.txt`), article(i));

    const child = spawn('node', [BIN, 'ingest', docs, '--data', data, '--tlp', 'CLEAR'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Let it commit a few documents, then pull the plug mid-stream.
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        if (/ingested (1[0-9]|[2-9][0-9])\//.test(chunk.toString())) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    const store = await openStore({ dataDir: join(data, 'pglite') });
    const report = await verifyLedger(store);
    expect(report.problems).toEqual([]);
    const stored = await store.db
      .selectFrom('documents')
      .select(['id', 'title'])
      .where('title', 'like', 'Shelling report %')
      .execute();
    // Each committed document came with all of its claims and match records, or not at all.
    for (const doc of stored) {
      const claims = await store.db
        .selectFrom('claims')
        .select('id')
        .where('document_id', '=', doc.id)
        .execute();
      const matches = await store.db
        .selectFrom('ingest_matches')
        .select('id')
        .where('document_id', '=', doc.id)
        .execute();
      expect(claims.length).toBeGreaterThan(0);
      expect(matches).toHaveLength(claims.length);
    }
    const committed = stored.length;
    await store.close();
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(DOCUMENTS);

    // Running it again stores only what was missing.
    await run('node', [BIN, 'ingest', docs, '--data', data, '--tlp', 'CLEAR'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const after = await openStore({ dataDir: join(data, 'pglite') });
    const total = await after.db
      .selectFrom('documents')
      .select('id')
      .where('title', 'like', 'Shelling report %')
      .execute();
    expect(total).toHaveLength(DOCUMENTS);
    expect((await verifyLedger(after)).ok).toBe(true);
    await after.close();
  }, 120_000);
});
