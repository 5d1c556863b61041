import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildClaim, buildIncident, killed, seedParties } from '../../test/support/factories.ts';
import { closeTestStore, ENGINES, openTestStore } from '../../test/support/store.ts';
import { addClaim } from '../record/claim.ts';
import { createIncident } from '../record/incident.ts';
import type { Store } from '../store/engine.ts';
import { type Database, RECORD_TABLES } from '../store/schema.ts';
import { publishHead } from './heads.ts';
import { ephemeralSigner } from './keys.ts';
import { leafHash } from './merkle.ts';
import { signTreeHead, type TreeHead } from './treeHead.ts';
import { type VerifyOptions, verifyLedger, WORKERS_FROM, workersFor } from './verify.ts';
import { entryRange } from './verifyLog.ts';

type Mode = { name: string; target: (store: Store) => Store | Kysely<Database>; options: VerifyOptions };

/**
 * Kysely queries, and binary COPY on this thread: every case runs on both. COPY goes in chunks of
 * four entries and rows, so a few dozen take every path a million do (full aligned chunks
 * appended as subtrees, heads inside a chunk, keyset continuation, gaps at chunk edges).
 */
const MODES: Mode[] = [
  { name: 'queries', target: (store) => store.db, options: {} },
  { name: 'COPY', target: (store) => store, options: { workers: 0, chunk: 4 } },
];
/** Binary COPY checked on worker threads: slower to start, so held to the others on a ledger with many faults at once. */
const WORKERS: Mode = { name: 'COPY on workers', target: (store) => store, options: { workers: 2 } };

describe.each(ENGINES)('ledger verify on %s', (engine) => {
  let store: Store;
  let incidentId: string;
  let claimId: string;
  let claimSeq: number;
  const signer = ephemeralSigner();

  beforeEach(async () => {
    store = await openTestStore(engine);
    await seedParties(store);
    const incident = await createIncident(store, 'm', buildIncident());
    incidentId = incident.id;
    const { claim } = await addClaim(
      store,
      'm',
      buildClaim(incident.id, { sourceId: 'ispr', figures: [killed('PK', 23)] }),
    );
    claimId = claim.id;
    claimSeq = claim.ledger_seq;
    await publishHead(store.db, signer);
  });
  afterEach(async () => closeTestStore(store));

  /** Replaces an entry's body and its stored leaf hash together, as a careful forger would. */
  async function rewrite(seq: number, edit: (body: string) => string) {
    const { rows } = await store.pool.query(`SELECT body FROM ledger_entries WHERE seq = $1`, [seq]);
    const body = edit((rows[0] as { body: string }).body);
    await store.pool.query(`UPDATE ledger_entries SET body = $1, leaf_hash = $2 WHERE seq = $3`, [
      body,
      leafHash(Buffer.from(body)),
      seq,
    ]);
  }

  describe.each(MODES)('reading by $name', (mode) => {
    const verify = (options: VerifyOptions = {}) =>
      verifyLedger(mode.target(store), { ...mode.options, ...options });
    const messages = async () => (await verify()).problems.map((p) => p.message);

    it('passes on an untouched ledger', async () => {
      const report = await verify({ trustedKeys: [signer.publicKeyPem.trim()] });
      expect(report).toMatchObject({ ok: true, headsChecked: 1, problems: [], scope: 'full' });
      expect(report.rowsChecked).toBeGreaterThan(10);
      expect(report.timings.logMs).toBeGreaterThanOrEqual(0);
    });

    it('names the entry when a claim row is edited in SQL', async () => {
      await store.pool.query(`UPDATE claims SET figures = '[]' WHERE id = $1`, [claimId]);
      expect(await messages()).toEqual([
        `claims ${claimId} differs from ledger entry ${claimSeq} that wrote it`,
      ]);
    });

    it('catches a deleted row and a row written behind the ledger', async () => {
      await store.pool.query(`DELETE FROM claims WHERE id = $1`, [claimId]);
      await store.pool.query(
        `INSERT INTO parties (id, name, role, ledger_seq) VALUES ('XX', 'Forged', 'mediator', 0)`,
      );
      const found = await messages();
      expect(found).toContain(`claims ${claimId}, written by ledger entry ${claimSeq}, is gone`);
      expect(found).toContain('parties XX has no ledger entry');
    });

    it('names a row whose instant moved by a millisecond, and not one moved by a microsecond', async () => {
      await store.pool.query(
        `UPDATE claims SET created_at = created_at + interval '1 millisecond' WHERE id = $1`,
        [claimId],
      );
      await store.pool.query(
        `UPDATE incidents SET created_at = created_at + interval '1 microsecond' WHERE id = $1`,
        [incidentId],
      );
      expect(await messages()).toEqual([
        `claims ${claimId} differs from ledger entry ${claimSeq} that wrote it`,
      ]);
    });

    it('catches a row set back to an earlier image of itself', async () => {
      const { rows } = await store.pool.query(`SELECT ledger_seq FROM incidents WHERE id = $1`, [incidentId]);
      expect(Number(rows[0].ledger_seq)).toBe(claimSeq);
      const first = (await store.pool.query(`SELECT seq FROM ledger_entries WHERE kind = 'incident.created'`))
        .rows[0] as { seq: string };
      await store.pool.query(
        `UPDATE incidents SET ledger_seq = $1, fatalities_best = 0, status = 'reported' WHERE id = $2`,
        [first.seq, incidentId],
      );
      expect(await messages()).toContain(
        `incidents ${incidentId} differs from ledger entry ${claimSeq} that wrote it`,
      );
    });

    it('catches an entry rewritten with a matching leaf hash, via the signed head', async () => {
      await rewrite(claimSeq, (body) => body.replace('"value":23', '"value":2'));
      const found = await messages();
      expect(found.some((m) => /tree head at size \d+ does not match the entries/.test(m))).toBe(true);
    });

    it('catches a body that is the same JSON but not in canonical form', async () => {
      await rewrite(claimSeq, (body) => body.replace('{"at"', '{ "at"'));
      const found = await messages();
      expect(found).toContain(`entry ${claimSeq} is not in canonical form`);
      expect(found.some((m) => /tree head at size \d+ does not match the entries/.test(m))).toBe(true);
    });

    it('catches a body that is not JSON or does not fit the schema', async () => {
      await rewrite(claimSeq, () => 'not json');
      await rewrite(1, (body) => body.replace('"v":1', '"v":2'));
      const found = await messages();
      expect(found).toContain(`entry ${claimSeq} is not JSON`);
      expect(found.some((m) => m.startsWith(`entry ${claimSeq} (claim.added) does not fit its schema`))).toBe(
        true,
      );
      expect(found.some((m) => m.startsWith('entry 1 (party.created) does not fit its schema'))).toBe(true);
    });

    it('stops at an entry removed from the middle of the log', async () => {
      await store.pool.query(`DELETE FROM ledger_entries WHERE seq = 2`);
      expect(await messages()).toEqual(['entry 2 is missing (next stored is 3)']);
    });

    it('catches a removed last entry', async () => {
      await store.pool.query(`DELETE FROM ledger_entries WHERE seq = (SELECT max(seq) FROM ledger_entries)`);
      expect(
        (await messages()).some((m) => /tree head at size \d+ is beyond the log's \d+ entries/.test(m)),
      ).toBe(true);
    });

    it('catches a forged head signature', async () => {
      await store.pool.query(`UPDATE tree_heads SET signature = $1`, [
        Buffer.alloc(64, 1).toString('base64'),
      ]);
      expect(await messages()).toEqual([
        expect.stringMatching(/tree head at size \d+ has an invalid signature/),
      ]);
    });

    it('refuses heads signed by a key the verifier does not trust', async () => {
      const report = await verify({ trustedKeys: [ephemeralSigner().publicKeyPem.trim()] });
      expect(report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/unknown key/)]);
    });

    it('checks the log alone when asked, leaving the rows be', async () => {
      await store.pool.query(`UPDATE claims SET figures = '[]' WHERE id = $1`, [claimId]);
      const report = await verify({ logOnly: true });
      expect(report).toMatchObject({ ok: true, scope: 'log', rowsChecked: 0, headsChecked: 1 });
      expect(report.timings.stateMs).toBe(0);
    });

    it('checks hashes alone when asked: a changed entry still shows, the rows are left be', async () => {
      expect(await verify({ hashesOnly: true })).toMatchObject({
        ok: true,
        scope: 'hashes',
        rowsChecked: 0,
        headsChecked: 1,
      });
      await store.pool.query(`UPDATE claims SET figures = '[]' WHERE id = $1`, [claimId]);
      await store.pool.query(`UPDATE ledger_entries SET body = body || ' ' WHERE seq = 1`);
      const changed = (await verify({ hashesOnly: true })).problems.map((p) => p.message);
      expect(changed).toEqual([
        'entry 1 does not match its stored leaf hash',
        expect.stringMatching(/tree head at size \d+ does not match the entries/),
        'the stored frontier differs from the one recomputed from the entries',
      ]);
      await rewrite(1, (body) => body.trimEnd());
      expect((await verify({ hashesOnly: true })).ok).toBe(true);
      await rewrite(claimSeq, (body) => body.replace('"value":23', '"value":2'));
      expect((await verify({ hashesOnly: true })).problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/tree head at size \d+ does not match the entries/),
        'the stored frontier differs from the one recomputed from the entries',
      ]);
    });
  });

  describe('from a head the party kept', () => {
    /** Rows the entries from `seq` on wrote last, in every record table. */
    async function rowsWrittenSince(seq: number): Promise<number> {
      let rows = 0;
      for (const table of RECORD_TABLES) {
        const { rows: found } = await store.pool.query(
          `SELECT count(*)::int AS n FROM ${table} WHERE ledger_seq >= $1`,
          [seq],
        );
        rows += found[0].n;
      }
      return rows;
    }

    it('checks what was written after it, agreeing with the whole check, at every chunk edge', async () => {
      const held = await publishHead(store.db, signer);
      for (let i = 0; i < 5; i++) {
        const incident = await createIncident(store, 'm', buildIncident({ title: `Later ${i}` }));
        await addClaim(store, 'm', buildClaim(incident.id, { sourceId: 'ispr', figures: [killed('PK', i)] }));
      }
      await publishHead(store.db, signer);
      const whole = await verifyLedger(store.db);
      const written = await rowsWrittenSince(held.treeSize);
      expect(written).toBe(10); // five incidents and their claims
      expect(written).toBeLessThan(whole.rowsChecked);
      for (const mode of [...MODES, WORKERS]) {
        for (const chunk of mode.options.chunk ? [1, 2, 4, 8, 16] : [mode.options.chunk]) {
          const options = { ...mode.options, since: held, ...(chunk ? { chunk } : {}) };
          const report = await verifyLedger(mode.target(store), options);
          expect(report, `${mode.name}, chunks of ${chunk}`).toMatchObject({
            ok: true,
            since: held.treeSize,
            treeSize: whole.treeSize,
            rootHash: whole.rootHash,
            headsChecked: 2,
            rowsChecked: written,
          });
        }
      }
    });

    it('names a row written after it that was edited; one written before it only the whole check sees', async () => {
      const held = await publishHead(store.db, signer);
      const later = await createIncident(store, 'm', buildIncident({ title: 'After the head' }));
      await store.pool.query(`UPDATE incidents SET fatalities_best = 99 WHERE id = $1`, [later.id]);
      await store.pool.query(`UPDATE claims SET figures = '[]' WHERE id = $1`, [claimId]);
      for (const mode of MODES) {
        const since = await verifyLedger(mode.target(store), { ...mode.options, since: held });
        expect(since.problems.map((p) => p.message)).toEqual([
          `incidents ${later.id} differs from ledger entry ${later.ledger_seq} that wrote it`,
        ]);
      }
      expect((await verifyLedger(store.db)).problems.map((p) => p.message)).toEqual([
        `incidents ${later.id} differs from ledger entry ${later.ledger_seq} that wrote it`,
        `claims ${claimId} differs from ledger entry ${claimSeq} that wrote it`,
      ]);
    });

    it('catches entries before it removed or given another hash, but not bytes changed under their old hash', async () => {
      const held = await publishHead(store.db, signer);
      await createIncident(store, 'm', buildIncident({ title: 'After the head' }));
      const since = async () =>
        Promise.all(
          MODES.map(async (mode) =>
            (await verifyLedger(mode.target(store), { ...mode.options, since: held })).problems.map(
              (p) => p.message,
            ),
          ),
        );
      await store.pool.query(`UPDATE ledger_entries SET body = body || ' ' WHERE seq = 1`);
      expect(await since()).toEqual([[], []]);
      expect((await verifyLedger(store.db)).problems[0]?.message).toBe(
        'entry 1 does not match its stored leaf hash',
      );
      await rewrite(1, (body) => body.trimEnd().replace('"v":1', '"v":2'));
      const changed = [
        `the held head at size ${held.treeSize} does not match the entries: an entry was changed or removed`,
        `tree head at size ${held.treeSize} does not match the entries: an entry was changed or removed`,
        'the stored frontier differs from the one recomputed from the entries',
      ];
      expect(await since()).toEqual([changed, changed]);
      // The end of a chunk of four: the next stored entry is found past it, as the whole check finds it.
      await store.pool.query(`DELETE FROM ledger_entries WHERE seq IN (2, 3)`);
      const missing = ['entry 2 is missing (next stored is 4)'];
      expect(await since()).toEqual([missing, missing]);
    });

    it('reads the stored hashes before it from the primary key alone, the entries after it whole', async () => {
      for (let i = 0; i < 20; i++) await createIncident(store, 'm', buildIncident({ title: `More ${i}` }));
      // What autovacuum does to an append-only table (PGlite's housekeeping leaves the ledger be).
      await store.pool.query('VACUUM ledger_entries');
      const plan = async (stored: boolean) => {
        const client = await store.pool.connect();
        try {
          // A table this small would be read whole: the question is what the index can answer alone.
          await client.query('SET enable_seqscan = off');
          const { rows } = await client.query(`EXPLAIN ${entryRange(0, 16, stored)}`);
          return rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
        } finally {
          await client.query('RESET enable_seqscan');
          client.release();
        }
      };
      expect(await plan(true)).toContain('Index Only Scan using ledger_entries_pkey');
      expect(await plan(false)).not.toContain('Index Only Scan');
    });

    it('names a held head that the log never reached or that is not signed by the mechanism', async () => {
      const held = await publishHead(store.db, signer);
      const root = Buffer.from(held.rootHash, 'hex');
      const beyond = signTreeHead(signer.privateKey, held.treeSize + 3, root, new Date());
      const forged = { ...held, signature: Buffer.alloc(64, 1).toString('base64') };
      const stranger = signTreeHead(ephemeralSigner().privateKey, held.treeSize, root, new Date());
      for (const mode of MODES) {
        const check = async (since: TreeHead) =>
          (await verifyLedger(mode.target(store), { ...mode.options, since })).problems.map((p) => p.message);
        expect(await check(beyond)).toEqual([
          `the held head at size ${held.treeSize + 3} is beyond the log's ${held.treeSize} entries: entries were removed`,
        ]);
        expect(await check(forged)).toEqual([
          `the held head at size ${held.treeSize} has an invalid signature`,
        ]);
        expect(await check(stranger)).toEqual([
          `the held head at size ${held.treeSize} is signed by an unknown key ${stranger.keyId}`,
        ]);
      }
      await expect(verifyLedger(store, { since: { ...held, treeSize: -1 } })).rejects.toMatchObject({
        code: 'invalid_input',
        field: 'since.treeSize',
      });
      await expect(
        verifyLedger(store, { since: { ...held, rootHash: 'not hex' } as TreeHead }),
      ).rejects.toMatchObject({ field: 'since.rootHash' });
    });
  });

  it('checks heads of every size, inside chunks and at their edges, as the queries do', async () => {
    for (let i = 0; i < 9; i++) {
      await createIncident(store, 'm', buildIncident({ title: `More ${i}` }));
      await publishHead(store.db, signer);
    }
    const size = (await verifyLedger(store.db)).treeSize;
    expect((await store.pool.query('SELECT count(*)::int AS n FROM tree_heads')).rows[0].n).toBe(10);
    for (const chunk of [1, 2, 4, 8, 16]) {
      const report = await verifyLedger(store, { workers: 0, chunk });
      expect(report, `chunks of ${chunk}`).toMatchObject({ ok: true, treeSize: size, headsChecked: 10 });
    }
    await store.pool.query(`DELETE FROM ledger_entries WHERE seq = $1`, [size - 6]);
    await store.pool.query(`UPDATE tree_heads SET root_hash = repeat('0', 64) WHERE tree_size = $1`, [
      size - 7,
    ]);
    const expected = (await verifyLedger(store.db)).problems;
    expect(expected.map((p) => p.message)).toEqual([
      `tree head at size ${size - 7} has an invalid signature`,
      `tree head at size ${size - 7} does not match the entries: an entry was changed or removed`,
      `entry ${size - 6} is missing (next stored is ${size - 5})`,
    ]);
    for (const chunk of [1, 2, 4, 8, 16]) {
      expect((await verifyLedger(store, { workers: 0, chunk })).problems, `chunks of ${chunk}`).toEqual(
        expected,
      );
    }
  });

  it('words every problem the same whichever way it reads, on worker threads too', async () => {
    expect(await verifyLedger(WORKERS.target(store), WORKERS.options)).toMatchObject({
      ok: true,
      problems: [],
    });
    await store.pool.query(`UPDATE claims SET figures = '[]' WHERE id = $1`, [claimId]);
    // Finer than the millisecond the store reads: no difference to anyone, so none to report.
    await store.pool.query(
      `UPDATE incidents SET updated_at = updated_at + interval '1 microsecond' WHERE id = $1`,
      [incidentId],
    );
    await store.pool.query(`DELETE FROM parties WHERE id = (SELECT max(id) FROM parties)`);
    await store.pool.query(
      `INSERT INTO parties (id, name, role, ledger_seq) VALUES ('XX', 'Forged', 'mediator', 0)`,
    );
    await rewrite(1, (body) => body.replace('{"at"', '{"at" '));
    await rewrite(3, () => '[]');
    await store.pool.query(`UPDATE tree_heads SET signature = $1`, [Buffer.alloc(64, 1).toString('base64')]);
    const reports = [];
    for (const mode of [...MODES, WORKERS])
      reports.push(await verifyLedger(mode.target(store), mode.options));
    expect(reports[0]!.problems.length).toBeGreaterThan(4);
    expect(reports[0]!.problems.some((p) => p.id === incidentId)).toBe(false);
    for (const report of reports.slice(1)) {
      expect({ ...report, timings: null }).toEqual({ ...reports[0], timings: null });
    }
    const hashes = [];
    for (const mode of [...MODES, WORKERS])
      hashes.push(await verifyLedger(mode.target(store), { ...mode.options, hashesOnly: true }));
    // Entries 1 and 3 were rewritten with matching leaf hashes: the signed head is what catches them.
    expect(hashes[0]!.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/tree head at size \d+ has an invalid signature/),
      expect.stringMatching(/tree head at size \d+ does not match the entries/),
      'the stored frontier differs from the one recomputed from the entries',
    ]);
    for (const report of hashes.slice(1)) {
      expect({ ...report, timings: null }).toEqual({ ...hashes[0], timings: null });
    }
  });
});

describe('threads for a check', () => {
  it('starts them for a large log checked in full, not for a short run after a held head', () => {
    expect(workersFor(WORKERS_FROM - 1, 0, 2)).toBe(0);
    expect(workersFor(1_000_000, 0, 2)).toBe(2);
    // A day's writes after a head in a million: the stored hashes before it are cheap to take.
    expect(workersFor(1_000_000, 990_000, 2)).toBe(0);
    expect(workersFor(1_000_000, 900_000, 2)).toBe(2);
    // Ten million stored hashes are work enough on their own.
    expect(workersFor(10_010_000, 10_000_000, 2)).toBe(2);
    // A held head beyond the log counts no more than the log.
    expect(workersFor(1000, 5_000_000, 2)).toBe(0);
  });
});
