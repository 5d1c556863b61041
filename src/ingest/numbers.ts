/**
 * Reads how many: digits, number words and the press's vague quantities, with their qualifier.
 *
 * The vague-number rule (keep this table and VAGUE in step). A vague plural is recorded as the
 * smallest number it can honestly mean, qualified `at_least`, so that it can only ever raise a
 * reconciled high or stand as a cautious low, never invent precision:
 *   "a couple of" → about 2      "a few" → at least 2      "several" → at least 3
 *   "a dozen"     → about 12     "dozens" → at least 24     "scores" → at least 40
 *   "hundreds"    → at least 200 "thousands" → at least 2000
 * "many", "numerous", "a number of", "some" (without a number) give no figure at all.
 * Qualifiers: "at least", "no fewer than" → at_least; "more than", "over", "upwards of" →
 * more_than; "about", "around", "nearly", "almost", "approximately", "some N", "roughly" →
 * about; "up to", "as many as", "at most", "fewer than", "less than" → up_to.
 */
import type { Qualifier } from '../domain/figure.ts';

export type Quantity = { value: number; qualifier: Qualifier; start: number; end: number; vague: boolean };

/** Number words up to nineteen (dates and sentences read their small counts with it too). */
export const UNITS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const VAGUE: Record<string, { value: number; qualifier: Qualifier }> = {
  'a couple of': { value: 2, qualifier: 'about' },
  'a few': { value: 2, qualifier: 'at_least' },
  several: { value: 3, qualifier: 'at_least' },
  'a dozen': { value: 12, qualifier: 'about' },
  dozens: { value: 24, qualifier: 'at_least' },
  'dozens of': { value: 24, qualifier: 'at_least' },
  scores: { value: 40, qualifier: 'at_least' },
  'scores of': { value: 40, qualifier: 'at_least' },
  hundreds: { value: 200, qualifier: 'at_least' },
  'hundreds of': { value: 200, qualifier: 'at_least' },
  thousands: { value: 2000, qualifier: 'at_least' },
  'thousands of': { value: 2000, qualifier: 'at_least' },
};

const QUALIFIERS: Record<string, Qualifier> = {
  'at least': 'at_least',
  'no fewer than': 'at_least',
  'no less than': 'at_least',
  'a minimum of': 'at_least',
  'more than': 'more_than',
  over: 'more_than',
  'upwards of': 'more_than',
  about: 'about',
  around: 'about',
  nearly: 'about',
  almost: 'about',
  approximately: 'about',
  roughly: 'about',
  some: 'about',
  'an estimated': 'about',
  'up to': 'up_to',
  'as many as': 'up_to',
  'at most': 'up_to',
  'fewer than': 'up_to',
  'less than': 'up_to',
};

const WORD = `(?:${[...Object.keys(TENS), ...Object.keys(UNITS).filter((w) => w.length > 2)].join('|')})`;
const WORD_NUMBER = `${WORD}(?:[- ]${WORD})?(?:\\s+hundred(?:\\s+(?:and\\s+)?${WORD}(?:[- ]${WORD})?)?)?`;
const DIGITS = '\\d{1,3}(?:,\\d{3})+|\\d{1,7}';
const VAGUE_RE = Object.keys(VAGUE)
  .sort((a, b) => b.length - a.length)
  .join('|');
const QUAL_RE = Object.keys(QUALIFIERS)
  .sort((a, b) => b.length - a.length)
  .join('|');

/** One regex for every quantity; `g` + lastIndex scanning keeps it linear in the sentence. */
export const QUANTITY = new RegExp(
  `\\b(?:(${QUAL_RE})\\s+)?(?:(${VAGUE_RE})|(${DIGITS})|(a\\s+hundred|${WORD_NUMBER}))\\b`,
  'gi',
);

export function wordsToNumber(text: string): number | null {
  let total = 0;
  let current = 0;
  for (const word of text.toLowerCase().split(/[\s-]+/)) {
    if (word === 'and' || word === '') continue;
    if (word === 'hundred') current = (current || 1) * 100;
    else if (word in UNITS) current += UNITS[word]!;
    else if (word in TENS) current += TENS[word]!;
    else return null;
  }
  total += current;
  return total;
}

/** Every quantity in `text`, left to right. */
export function findQuantities(text: string): Quantity[] {
  const out: Quantity[] = [];
  QUANTITY.lastIndex = 0;
  for (let m = QUANTITY.exec(text); m; m = QUANTITY.exec(text)) {
    const [whole, qual, vague, digits, words] = m;
    const qualifier: Qualifier = qual ? QUALIFIERS[qual.toLowerCase().replace(/\s+/g, ' ')]! : 'exact';
    let value: number | null = null;
    let vagueHit = false;
    let q = qualifier;
    if (vague) {
      const rule = VAGUE[vague.toLowerCase().replace(/\s+/g, ' ')]!;
      value = rule.value;
      q = qual ? qualifier : rule.qualifier;
      vagueHit = true;
    } else if (digits) {
      value = Number(digits.replace(/,/g, ''));
      // A four-digit number beside a month or "in" is a year, not a count.
      if (/^(19|20)\d\d$/.test(digits) && !qual) value = null;
    } else if (words) {
      value = wordsToNumber(words);
    }
    if (value !== null && value <= 1_000_000) {
      out.push({ value, qualifier: q, start: m.index, end: m.index + whole.length, vague: vagueHit });
    }
  }
  // A range "15 to 20" counts as its lower end, at least (the vague-number rule above).
  for (let i = out.length - 2; i >= 0; i--) {
    const a = out[i]!;
    const b = out[i + 1]!;
    if (a.qualifier === 'exact' && /^\s*(?:to|-|–|or)\s*$/.test(text.slice(a.end, b.start))) {
      out.splice(i, 2, { ...a, qualifier: 'at_least', end: b.end, vague: true });
    }
  }
  return out;
}
