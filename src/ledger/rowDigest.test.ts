/** Rows digested straight from binary COPY come out exactly as rows read the store's way, on every record table. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { ENGINES } from '../../test/support/store.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Instance } from '../instance.ts';
import { RECORD_TABLES, type RecordTable } from '../store/schema.ts';
import { copyOut } from './copyOut.ts';
import { DIGEST_BYTES } from './imageIndex.ts';
import { type Column, digestRowCopy, rowDigest, rowLayout } from './rowDigest.ts';
import { KEY_WORDS, RowKeys } from './rowKey.ts';

const SETTINGS = { isoDates: true, exactFloats: true };
const keys = new RowKeys();
function keyWords(table: number, id: string): string {
  const key = new Int32Array(KEY_WORDS);
  keys.ofId(table, id, key, 0);
  return key.join();
}

describe.each(ENGINES)('row digests on %s', (engine) => {
  let instance: Instance;
  beforeAll(async () => {
    instance = await openTestInstance(engine);
    await seedDemo(instance);
  }, 120_000);
  afterAll(async () => closeTestInstance(instance));

  /** Per row of `table`, in id order: [id, digest as the store reads it, digest from COPY, whether COPY vouched for it]. */
  async function both(table: string) {
    const client = await instance.store.pool.connect();
    try {
      const read = await client.query(`SELECT * FROM ${table} ORDER BY id`);
      const columns: Column[] = read.fields.map((f) => ({ name: f.name, oid: f.dataTypeID }));
      const layout = rowLayout(columns, SETTINGS);
      expect(layout, `${table} has a column type the binary reading lacks`).toBeDefined();
      const chunk = await copyOut(
        client,
        `COPY (SELECT * FROM ${table} ORDER BY id) TO STDOUT (FORMAT binary)`,
      );
      const tableIndex = RECORD_TABLES.indexOf(table as RecordTable);
      const copied = digestRowCopy(chunk.bytes, chunk.rows, layout!, tableIndex, keys);
      const ids = Buffer.from(copied.idBytes);
      return read.rows.map((row, i) => ({
        id: row.id as string,
        copiedId: ids.toString('utf8', i === 0 ? 0 : copied.idEnds[i - 1], copied.idEnds[i]),
        keyed:
          keyWords(tableIndex, row.id as string) ===
          copied.keys.slice(i * KEY_WORDS, (i + 1) * KEY_WORDS).join(),
        stored: rowDigest(row).subarray(0, DIGEST_BYTES).toString('hex'),
        copied: Buffer.from(copied.digests.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES)).toString(
          'hex',
        ),
        exact: copied.exact[i],
      }));
    } finally {
      client.release();
    }
  }

  it('agrees on every row of every record table the demo fills', async () => {
    let rows = 0;
    for (const table of RECORD_TABLES) {
      for (const row of await both(table)) {
        expect(row.copiedId).toBe(row.id);
        expect(row.keyed).toBe(true);
        expect(row.exact, `${table} ${row.id}`).toBe(1);
        expect(row.copied, `${table} ${row.id}`).toBe(row.stored);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(100);
  });

  it('agrees on a table of more rows than one buffer first holds', async () => {
    const values = Array.from(
      { length: 1500 },
      (_, i) => `('bulk-${i}', 'Bulk ${i} "quoted"', 'mediator', ${i})`,
    );
    await instance.store.pool.query(
      `INSERT INTO parties (id, name, role, ledger_seq) VALUES ${values.join(',')}`,
    );
    const rows = await both('parties');
    expect(rows.length).toBeGreaterThan(1500);
    for (const row of rows) {
      expect(row.copiedId).toBe(row.id);
      expect(row.keyed).toBe(true);
      expect(row.copied).toBe(row.stored);
    }
  });

  it('follows a changed value, and leaves sub-millisecond instants to the store', async () => {
    const { pool } = instance.store;
    const [before] = await both('incidents');
    await pool.query(
      `UPDATE incidents SET lat = lat + 0.5, fatalities = '{"b": [1, 2.5], "a": null}' WHERE id = $1`,
      [before!.id],
    );
    const [edited] = await both('incidents');
    expect(edited!.copied).toBe(edited!.stored);
    expect(edited!.copied).not.toBe(before!.copied);
    await pool.query(
      `UPDATE incidents SET created_at = created_at + interval '1 microsecond' WHERE id = $1`,
      [before!.id],
    );
    const [micro] = await both('incidents');
    expect(micro!.exact).toBe(0);
  });

  it('refuses to read binary values whose text the session would write differently', () => {
    const columns: Column[] = [
      { name: 'id', oid: 25 },
      { name: 'on', oid: 1082 },
    ];
    expect(rowLayout(columns, SETTINGS)).toBeDefined();
    expect(rowLayout(columns, { isoDates: false, exactFloats: true })).toBeUndefined();
    expect(
      rowLayout(
        [
          { name: 'id', oid: 25 },
          { name: 'x', oid: 701 },
        ],
        { isoDates: true, exactFloats: false },
      ),
    ).toBeUndefined();
    expect(
      rowLayout(
        [
          { name: 'id', oid: 25 },
          { name: 'x', oid: 1700 },
        ],
        SETTINGS,
      ),
    ).toBeUndefined();
  });
});

describe('dollarQuoted', () => {
  it('round-trips ids that hold dollar signs and would-be tags', async () => {
    const { dollarQuoted } = await import('./verifyState.ts');
    const instance = await openTestInstance('pglite');
    try {
      for (const id of ['plain', 'a$', 'a$v', '$v$', 'x$v$y$v0$', "it's", 'back\\slash', '']) {
        const { rows } = await instance.store.pool.query(`SELECT ${dollarQuoted(id)} AS id`);
        expect(rows[0].id).toBe(id);
      }
    } finally {
      await closeTestInstance(instance);
    }
  });
});
