/** The fast path over entry bytes finds what the plain JSON.parse + zod + canonicalize check finds, word for word. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECORD_TABLES } from '../store/schema.ts';
import { canonicalBytes, LedgerEntrySchema } from './entry.ts';
import { checkEntryRows } from './entryChunk.ts';
import { DIGEST_BYTES, tableIndexOf } from './imageIndex.ts';
import { leafHash } from './merkle.ts';
import { KEY_WORDS, RowKeys } from './rowKey.ts';

/** The per-entry checks as verify first wrote them: the reference the fast path must match. */
function reference(seq: number, kind: string, body: string) {
  const problems: string[] = [];
  const images: string[] = [];
  const bytes = Buffer.from(body, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    problems.push(`entry ${seq} is not JSON`);
  }
  const checked = LedgerEntrySchema.safeParse(parsed);
  if (!checked.success) {
    problems.push(`entry ${seq} (${kind}) does not fit its schema: ${checked.error.issues[0]?.message}`);
    return { problems, images };
  }
  if (checked.data.seq !== seq) problems.push(`entry ${seq} says it is entry ${checked.data.seq}`);
  if (checked.data.kind !== kind) problems.push(`entry ${seq} kind column differs from its body`);
  let canonical = false;
  try {
    canonical = canonicalBytes(parsed).equals(bytes);
  } catch {}
  if (!canonical) problems.push(`entry ${seq} is not in canonical form`);
  for (const write of checked.data.writes) {
    const digest = createHash('sha256').update(canonicalBytes(write.row)).digest().subarray(0, DIGEST_BYTES);
    images.push(`${keyOf(tableIndexOf(write.table)!, write.id)}@${seq}:${digest.toString('hex')}`);
  }
  return { problems, images };
}

const keys = new RowKeys();
const keyOf = (table: number, id: string) => {
  const words = new Int32Array(KEY_WORDS);
  keys.ofId(table, id, words, 0);
  return `${table}:${words.join(',')}`;
};

function checked(seq: number, kind: string, body: string) {
  const result = checkEntryRows([{ seq, kind, body, leaf_hash: leafHash(Buffer.from(body, 'utf8')) }], keys);
  return {
    problems: result.problems.map((p) => p.message),
    images: Array.from(
      result.imageSeqs,
      (_, i) =>
        `${result.imageTables[i]}:${result.imageKeys.slice(i * KEY_WORDS, (i + 1) * KEY_WORDS).join(',')}@${result.imageSeqs[i]}:${Buffer.from(result.imageDigests.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES)).toString('hex')}`,
    ),
  };
}

const anyOf = <T>(...values: T[]) => fc.constantFrom(...values);
/** Mostly the valid value, sometimes one of the ways it can be wrong. */
const mostly = <T>(valid: T, ...wrong: T[]) =>
  fc.oneof(
    { arbitrary: fc.constant(valid), weight: 12 },
    { arbitrary: fc.constantFrom(...wrong), weight: 1 },
  );

const entry = fc
  .record({
    v: mostly<unknown>(1, 2, '1', 1.5),
    seq: mostly<unknown>(7, 8, -7, 7.5, '7', 1e21),
    at: mostly<unknown>(
      '2025-10-12T08:30:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2025-02-29T00:00:00.000Z',
      '2025-10-12T24:00:00.000Z',
      '2025-10-12T08:60:00.000Z',
      '2025-10-12T08:30:00Z',
      '2025-10-12T08:30:00.1234Z',
      '2025-10-12 08:30:00.000Z',
      '0000-02-29T00:00:00.000Z',
      '2100-02-29T00:00:00.000Z',
      7,
    ),
    by: mostly<unknown>('system', 'u\u00e9\\"x', '', 3),
    nonce: mostly<unknown>('0123456789abcdef0123456789abcdef', '0123456789ABCDEF0123456789abcdef', 'abc'),
    kindData: mostly<[unknown, unknown]>(
      ['incident.created', { incidentId: 'inc_1' }],
      ['claim.added', { claimId: 'clm_1', incidentId: 'inc_1' }],
      ['incident.created', { incidentId: '' }],
      ['incident.created', { incidentId: 'inc_1', extra: [1, 2] }],
      ['incident.created', {}],
      ['incident.created', []],
      ['no.such.kind', { incidentId: 'inc_1' }],
    ),
    writes: fc.array(
      fc.record({
        op: mostly<unknown>('insert', 'update', 'upsert'),
        table: fc.oneof(anyOf<unknown>(...RECORD_TABLES), mostly<unknown>('claims', 'nowhere')),
        id: mostly<unknown>('inc_1', 'x\u00e9', 'with \\"escape\\"', '\u0001', ''),
        row: fc.oneof(
          {
            arbitrary: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), {
              maxKeys: 4,
            }),
            weight: 12,
          },
          { arbitrary: anyOf<unknown>([], 'row', null), weight: 1 },
        ),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ kindData: [kind, data], ...rest }) => ({ ...rest, kind, data }));

/** Ways to store an entry: canonical, then spellings of the same JSON that are not. */
const spelling = fc.oneof(
  { arbitrary: fc.constant((v: unknown) => canonicalBytes(v).toString('utf8')), weight: 6 },
  anyOf(
    (v: unknown) => JSON.stringify(v),
    (v: unknown) => canonicalBytes(v).toString('utf8').replace(':', ': '),
    (v: unknown) => canonicalBytes(v).toString('utf8').replace('"seq":7', '"seq":7.0'),
    (v: unknown) => canonicalBytes(v).toString('utf8').slice(1),
  ),
);

describe('checkEntry', () => {
  it('reports and digests every entry exactly as the plain checks do', () => {
    let clean = 0;
    fc.assert(
      fc.property(entry, spelling, mostly(true, false), (value, spell, sameKind) => {
        const column = sameKind ? String(value.kind) : 'claim.added';
        let body: string;
        try {
          body = spell(value);
        } catch {
          return; // no canonical form (a lone surrogate): nothing to store
        }
        const expected = reference(7, column, body);
        if (expected.problems.length === 0) clean++;
        expect(checked(7, column, body)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // Enough entries without a fault that the fast path carried them all the way.
    expect(clean).toBeGreaterThan(300);
  });

  it('keys and digests every image of a long run of entries', () => {
    const rows = Array.from({ length: 1500 }, (_, seq) => {
      const row = { id: `inc_${seq}`, title: `Incident ${seq}` };
      const body = canonicalBytes({
        at: '2025-10-12T08:30:00.000Z',
        by: 'system',
        data: { incidentId: row.id },
        kind: 'incident.created',
        nonce: '0123456789abcdef0123456789abcdef',
        seq,
        v: 1,
        writes: [{ id: row.id, op: 'insert', row, table: 'incidents' }],
      }).toString('utf8');
      return { seq, kind: 'incident.created', body, leaf_hash: leafHash(Buffer.from(body)) };
    });
    const result = checkEntryRows(rows, keys);
    expect(result.problems).toEqual([]);
    for (let i = 0; i < rows.length; i++) {
      const { images } = reference(i, 'incident.created', rows[i]!.body);
      const key = result.imageKeys.slice(i * KEY_WORDS, (i + 1) * KEY_WORDS).join(',');
      expect(`${result.imageTables[i]}:${key}`).toBe(images[0]!.split('@')[0]);
    }
  });

  it('names a stored leaf hash that does not match the bytes', () => {
    const body = canonicalBytes({ v: 1 }).toString('utf8');
    const result = checkEntryRows([{ seq: 0, kind: 'x', body, leaf_hash: Buffer.alloc(32) }], keys);
    expect(result.problems[0]?.message).toBe('entry 0 does not match its stored leaf hash');
    expect(Buffer.from(result.leafHashes).equals(leafHash(Buffer.from(body)))).toBe(true);
  });
});
