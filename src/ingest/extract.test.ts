/** Extraction on the phrasings the issue names, and a fuzz test: random text never makes it throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTruceError } from '../domain/errors.ts';
import { loadGazetteer } from '../gazetteer/gazetteer.ts';
import { findDates } from './dates.ts';
import { parseDocument } from './document.ts';
import { createExtractor, extract } from './extract.ts';
import { PK_AF_LEXICON } from './lexicons/pk-af.ts';
import { findQuantities } from './numbers.ts';
import { splitSentences } from './sentences.ts';

const extractor = createExtractor(loadGazetteer());
const run = (text: string, publishedOn = '2025-10-18') =>
  extract(text, { publishedOn, today: '2025-12-31', outlet: PK_AF_LEXICON.unattributed }, extractor);

describe('dates', () => {
  it.each([
    ['on Friday', '2025-10-17', 'day'],
    ['last Saturday', '2025-10-11', 'day'],
    ['yesterday', '2025-10-17', 'day'],
    ['on October 12', '2025-10-12', 'day'],
    ['12 October 2025', '2025-10-12', 'day'],
    ['on December 3', '2024-12-03', 'day'],
    ['last week', '2025-10-06', 'week'],
    ['last month', '2025-09-01', 'month'],
    ['in October', '2025-10-01', 'month'],
  ])('"%s" against Saturday 18 Oct 2025 is %s (%s)', (words, day, precision) => {
    expect(findDates(words, '2025-10-18', null)[0]).toMatchObject({ day, precision });
  });
  it('ignores the September 11 attacks', () => {
    expect(findDates('after the September 11 attacks', '2025-10-18', null)).toEqual([]);
  });
});

describe('numbers', () => {
  it.each([
    ['at least three', 3, 'at_least'],
    ['over 200', 200, 'more_than'],
    ['dozens', 24, 'at_least'],
    ['twenty-three', 23, 'exact'],
    ['1,200', 1200, 'exact'],
    ['15 to 20', 15, 'at_least'],
  ])('%s → %d %s', (words, value, qualifier) => {
    expect(findQuantities(words)[0]).toMatchObject({ value, qualifier });
  });
});

describe('extract', () => {
  it('keeps own-side and other-side losses apart, each with its claimant', () => {
    const r = run(
      'Pakistani and Afghan forces clashed in Kurram on Friday. The ISPR said 23 soldiers were martyred, and over 200 Taliban fighters were killed. Mujahid said 58 Pakistani soldiers were killed.',
    );
    expect(r.incidents).toHaveLength(1);
    const figures = r.incidents[0]!.claims.flatMap((c) =>
      c.figures.map((f) => [c.source.id, f.side, f.value, f.qualifier]),
    );
    expect(figures).toEqual([
      ['ispr', 'PK', 23, 'exact'],
      ['ispr', 'AF', 200, 'more_than'],
      ['mujahid', 'PK', 58, 'exact'],
    ]);
  });
  it('gives every field a span whose text is the supporting sentence', () => {
    const text =
      'Intro line here.\n\nAccording to Taliban-controlled Hurriyat Radio, Pakistani airstrikes hit Paktika on Friday.';
    const [incident] = run(text).incidents;
    expect(incident?.claims[0]?.source.id).toBe('hurriyat');
    for (const field of [incident!.type, incident!.date, incident!.place!])
      expect(text.slice(field.evidence.start, field.evidence.end)).toContain(
        'Pakistani airstrikes hit Paktika',
      );
  });
  it('attributes an unnamed non-official who told Reuters to Reuters, and a named one to the speaker', () => {
    const r = run(
      'Pakistani drones struck Barmal on Friday, killing 4 people, a resident told Reuters. Mujahid told Reuters 6 civilians died.',
    );
    expect(r.incidents[0]?.claims.map((c) => c.source.id)).toEqual(['reuters', 'mujahid']);
  });
  it('gives an unnamed official who told Reuters the side of the country the incident is in', () => {
    const r = run('Pakistani drones struck Barmal on Friday, killing 4 people, an official told Reuters.');
    expect(r.incidents[0]?.claims.map((c) => c.source.id)).toEqual(['af-officials']);
  });
  it('finds no incidents in commentary', () => {
    expect(
      run(
        'Militant attacks have killed thousands of people over the years. Future strikes would be a mistake.',
      ).incidents,
    ).toEqual([]);
  });
});

describe('robustness', () => {
  it('never throws on random text, and every span lies inside the text', () => {
    const words = fc.constantFrom(
      'Pakistani',
      'airstrikes',
      'killed',
      'Paktika',
      'on',
      'Friday',
      '23',
      'soldiers',
      'said',
      'ISPR',
      'Torkham',
      'closed',
      'at least',
      'dozens',
      '.',
      ',',
      '\n',
      'کابل',
      'Mujahid',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.array(words, { maxLength: 80 }).map((w) => w.join(' ')),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = run(t);
        for (const i of r.incidents)
          for (const c of i.claims) expect(t.slice(c.span.start, c.span.end)).toBe(c.quote);
        for (const s of splitSentences(t)) expect(t.slice(s.start, s.end)).toBe(s.text);
      }),
      { numRuns: 300 },
    );
  });
  it('parses bad input into a clear error or a clean document, never a crash', () => {
    const outcome = (input: Uint8Array | string, name?: string) => {
      try {
        parseDocument(input, name ? { name } : {});
        return 'ok';
      } catch (e) {
        return isTruceError(e) ? e.code : 'crash';
      }
    };
    expect(outcome('')).toBe('invalid_input');
    expect(outcome('   \n\n ')).toBe('invalid_input');
    expect(outcome(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 255, 254]))).toBe('invalid_input');
    expect(outcome(new Uint8Array(5_000_001))).toBe('too_large');
    expect(outcome('<html><script>alert(1)</script></html>', 'a.html')).toBe('invalid_input');
    expect(outcome('published: yesterday-ish\n\nText.')).toBe('invalid_input');
    expect(outcome('د سپین بولدک په سیمه کې نښته وشوه')).toBe('ok');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => outcome(bytes) !== 'crash'));
  });
});
