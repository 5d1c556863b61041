import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';

/** Values as entries hold them: nested objects and arrays of strings (any Unicode), numbers, booleans, null. */
const entryLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    // Code units around the surrogate range, so lone and paired surrogates both turn up.
    fc
      .array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 4 })
      .map((units) => String.fromCharCode(...units)),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 6 }),
  ),
})).value;

function attempt(write: () => string | undefined): { text: string | undefined } | { refused: true } {
  try {
    return { text: write() };
  } catch {
    return { refused: true };
  }
}

describe('canonicalJson (RFC 8785)', () => {
  it('writes exactly the bytes the canonicalize package writes', () => {
    fc.assert(
      fc.property(entryLike, (value) => {
        // Both must write the same bytes, or both refuse (a lone surrogate, from the binary strings).
        expect(attempt(() => canonicalJson(value))).toEqual(attempt(() => canonicalize(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts every object afresh whose member names differ in any way from a shape it has met', () => {
    // Objects of few names sharing a first name, in every insertion order, with and without an
    // extra or missing name: the kept orders must never serve an object they were not sorted for.
    const names = fc.constantFrom('id', 'a', 'b', 'c', 'row', 'table', 'Z', '\u20ac', '\ud83d\ude00');
    const shaped = fc
      .uniqueArray(names, { minLength: 1, maxLength: 6 })
      .map((keys) => Object.fromEntries(['id', ...keys.filter((k) => k !== 'id')].map((k, i) => [k, i])));
    fc.assert(
      fc.property(fc.array(shaped, { minLength: 1, maxLength: 20 }), (objects) => {
        for (const object of objects) expect(canonicalJson(object)).toBe(canonicalize(object));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts members by UTF-16 code units and writes numbers the ECMAScript way', () => {
    // RFC 8785 § 3.2.3 example ordering: "\u20ac" (€) sorts after "\r" and before "\ud83d\ude00".
    const value = { '\u20ac': 'Euro', '\r': 'CR', '\ud83d\ude00': 'Smiley', '1': 1e21, b: 0.000001, a: -0 };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"CR","1":1e+21,"a":0,"b":0.000001,"€":"Euro","\ud83d\ude00":"Smiley"}',
    );
  });

  it('refuses what JSON cannot hold canonically', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/Infinity/);
    expect(() => canonicalJson({ s: '\ud800' })).toThrow(/surrogate/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/Circular/);
  });

  it('skips undefined members and writes undefined array items as null, like JSON.stringify', () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1] })).toBe('{"a":[null,1]}');
  });
});
