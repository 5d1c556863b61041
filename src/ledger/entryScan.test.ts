/** The byte scanner against canonicalize: it accepts exactly the canonical texts, and its spans are where the values are. */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanEntry } from './entryScan.ts';

/** JSON values with any Unicode in names and strings, numbers of every form. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 6 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const entry = fc.record({
  at: fc.string(),
  by: json,
  data: fc.dictionary(fc.string({ maxLength: 5 }), json, { maxKeys: 4 }),
  kind: fc.string(),
  nonce: fc.string(),
  seq: json,
  v: json,
  writes: fc.array(
    fc.record({
      id: fc.string({ unit: 'binary', maxLength: 8 }),
      op: fc.string(),
      row: fc.dictionary(fc.string({ unit: 'binary', maxLength: 5 }), json, { maxKeys: 5 }),
      table: fc.string(),
    }),
    { maxLength: 3 },
  ),
});

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const utf8 = (text: string) => Buffer.from(text, 'utf8');

function canonicalOrNull(value: unknown): string | null {
  try {
    return canonicalize(value) ?? null;
  } catch {
    return null;
  }
}

describe('scanEntry', () => {
  it('accepts every canonical entry and finds each row image where it lies', () => {
    fc.assert(
      fc.property(entry, (value) => {
        const text = canonicalOrNull(value);
        fc.pre(text !== null);
        const body = bytes(text!);
        const spans = scanEntry(body);
        expect(spans).toBeDefined();
        expect(spans!.count).toBe(value.writes.length);
        value.writes.forEach((write, w) => {
          const row = Buffer.from(body.subarray(spans!.writes[8 * w + 4]!, spans!.writes[8 * w + 5]!));
          expect(row.toString('utf8')).toBe(canonicalize(write.row));
        });
        const data = Buffer.from(body.subarray(spans!.top[4]!, spans!.top[5]!)).toString('utf8');
        expect(data).toBe(canonicalize(value.data));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts nothing that is not canonical: every text it takes is canonicalize(JSON.parse(text))', () => {
    const variants = (value: unknown, text: string) => [
      JSON.stringify(value),
      JSON.stringify(value, null, 1),
      text.replace(/,/, ', '),
      text.replace(/"([a-z])/, '"\\u00$1'),
      text.replace(/\d/, (d) => `${d}.0`),
      text.replace(/\d+/, (d) => `${d}e0`),
      text.replace(/\\"/, '\\u0022'),
      text.replace(/"([a-z]+)":/, '"$1":0,"$1":'),
    ];
    fc.assert(
      fc.property(entry, (value) => {
        const text = canonicalOrNull(value);
        fc.pre(text !== null);
        for (const variant of variants(value, text!)) {
          if (scanEntry(bytes(variant)) === undefined) continue;
          expect(canonicalOrNull(JSON.parse(variant))).toBe(variant);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('takes no edit of a canonical body unless the edit is canonical too', () => {
    const piece = fc.constantFrom(
      '"',
      '\\',
      ',',
      ':',
      '{',
      '}',
      '[',
      ']',
      '0',
      '1',
      '-',
      '.',
      'e',
      ' ',
      'u',
      'a',
      'é',
      '\u0001',
      '',
    );
    fc.assert(
      fc.property(entry, fc.nat(), fc.nat(2), piece, (value, at, cut, insert) => {
        const text = canonicalOrNull(value);
        fc.pre(text !== null);
        const i = at % (text!.length + 1);
        // Cut inside a surrogate pair, the text's UTF-8 is that of U+FFFD: judge the bytes as stored.
        const edited = Buffer.from(text!.slice(0, i) + insert + text!.slice(i + cut), 'utf8');
        if (scanEntry(new Uint8Array(edited)) === undefined) return;
        const stored = edited.toString('utf8');
        expect(canonicalOrNull(JSON.parse(stored))).toBe(stored);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses the ways a body can be valid JSON and still not canonical', () => {
    const good = '{"at":"t","by":"u","data":{},"kind":"k","nonce":"n","seq":1,"v":1,"writes":[]}';
    expect(scanEntry(utf8(good))).toBeDefined();
    for (const bad of [
      good.replace('{"at"', '{ "at"'),
      good.replace('"seq":1', '"seq":1.0'),
      good.replace('"seq":1', '"seq":1e0'),
      good.replace('"seq":1', '"seq":-0'),
      good.replace('"seq":1', '"seq":01'),
      good.replace('"u"', '"\\u0075"'),
      good.replace('"u"', '"\\/"'),
      good.replace('"u"', '"\\u000A"'),
      good.replace('"u"', '"\\u000a"'),
      good.replace('"u"', '"\\ud800"'),
      good.replace('"data":{}', '"data":{"b":1,"a":2}'),
      good.replace('"data":{}', '"data":{"a":1,"a":2}'),
      good.replace('"writes":[]', '"writes":[],"x":1'),
      good.replace('"writes":[]', '"writes":[{"id":"a","op":"insert","row":[],"table":"t"}]'),
      `${good} `,
      good.slice(0, -1),
      good.replace('"u"', '"a\u0001"'),
    ]) {
      expect(scanEntry(utf8(bad)), bad).toBeUndefined();
    }
  });

  it('sorts members by UTF-16 code units, not by UTF-8 bytes', () => {
    // U+FF5E sorts after U+1F600 in UTF-8 byte order but before it in UTF-16 code units.
    const value = {
      at: '',
      by: '',
      data: { '\u{ff5e}': 1, '\u{1f600}': 2 },
      kind: '',
      nonce: '',
      seq: 0,
      v: 1,
      writes: [],
    };
    const text = canonicalize(value)!;
    expect(text).toContain('{"😀":2,"～":1}'.normalize());
    expect(scanEntry(utf8(text))).toBeDefined();
    expect(scanEntry(utf8(text.replace('{"😀":2,"～":1}', '{"～":1,"😀":2}')))).toBeUndefined();
  });
});
