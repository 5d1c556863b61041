/**
 * Resolves date expressions in a sentence against the publication day, with the precision the words allow.
 *
 * Rules (past-leaning, as reports describe what already happened):
 *   "on Friday" / "Friday" → the latest Friday on or before the reference day; "last Friday" → the
 *   latest strictly before it. "today", "this morning", "tonight" → the reference day; "yesterday"
 *   → the day before; "N days ago" → N days before. "12 October", "October 12", "Oct. 12th" → that
 *   day, in the latest year that does not put it after the reference day (+1 day of slack for time
 *   zones); an explicit year wins. ISO days are read as they are.
 *   Week precision: the Monday of the week meant ("last week", "this week", "recently"; "early /
 *   mid- / late October" → the week of the 5th / 15th / 25th).
 *   Month precision: the first of the month ("in October", "last month", "earlier this month").
 *   Relative to the previous date in the text: "the same day" (=), "the next/following day" (+1),
 *   "the day before" (−1), "the following month" (first of the next month).
 * Years alone ("in 2021") and the historical "September 11 attacks" are not event dates.
 */
import { UNITS } from './numbers.ts';
import { isoDay, MONTHS } from './published.ts';

export type DatePrecision = 'day' | 'week' | 'month';
export type ResolvedDate = { day: string; precision: DatePrecision };
export type DateMention = ResolvedDate & { start: number; end: number; relative: boolean };

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

function mondayOf(day: string): string {
  return addDays(day, -((weekday(day) + 6) % 7));
}

function firstOfMonth(day: string, shift = 0): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + shift, 1)).toISOString().slice(0, 10);
}

/** The year that puts month/day on or before the reference (allowing one day for time zones). */
function pastYear(ref: string, month: number, day: number): string | null {
  const year = Number(ref.slice(0, 4));
  const same = isoDay(year, month, day);
  if (same && daysBetween(ref, same) <= 1) return same;
  return isoDay(year - 1, month, day);
}

const MONTH_RE =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WD_RE = '(?:sun|mon|tues|wednes|thurs|fri|satur)day';

const PATTERN = new RegExp(
  [
    `(?<iso>\\b(?<iy>20\\d\\d)-(?<im>[01]\\d)-(?<id>[0-3]\\d)\\b)`,
    `(?<dmy>\\b(?<dd>[0-3]?\\d)(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?<dm>${MONTH_RE})\\.?(?:,?\\s+(?<dyy>20\\d\\d))?\\b)`,
    `(?<mdy>\\b(?<mm>${MONTH_RE})\\.?\\s+(?<md>[0-3]?\\d)(?:st|nd|rd|th)?\\b(?:,?\\s+(?<myy>20\\d\\d)\\b)?)`,
    `(?<month>\\b(?:(?:in|since|during|throughout)\\s+(?:the\\s+)?(?:(?<part>early|late|mid-?|middle\\s+of|end\\s+of)\\s*)?|(?<part2>early|late|mid-?)\\s*)(?<mo>${MONTH_RE})(?!\\.?\\s+[0-3]?\\d(?:st|nd|rd|th)?\\b(?!,?\\s*\\d{3}))(?:\\s+(?<moy>20\\d\\d))?\\b)`,
    `(?<wd>\\b(?<wdlast>last\\s+|this\\s+past\\s+)?(?<wdn>${WD_RE})\\b)`,
    `(?<rel>\\b(?:today|tonight|this\\s+morning|this\\s+evening|earlier\\s+today|yesterday|the\\s+day\\s+before\\s+yesterday)\\b)`,
    `(?<ago>\\b(?<agon>two|three|four|five|six|seven|a|one|\\d{1,2})\\s+days?\\s+ago\\b)`,
    `(?<week>\\b(?:last|this|earlier\\s+this|late\\s+last|early\\s+last)\\s+week\\b)`,
    `(?<mrel>\\b(?:last|this|earlier\\s+this|late\\s+last|early\\s+last)\\s+month\\b)`,
    `(?<recent>\\b(?:a\\s+)?recent(?:ly)?\\b)`,
    `(?<same>\\b(?:the\\s+same\\s+day|that\\s+day|on\\s+the\\s+same\\s+day)\\b)`,
    `(?<next>\\b(?:the\\s+(?:next|following)\\s+day|a\\s+day\\s+later|the\\s+day\\s+after)\\b)`,
    `(?<before>\\b(?:the\\s+day\\s+before|a\\s+day\\s+earlier|the\\s+previous\\s+day)\\b)`,
    `(?<nmonth>\\b(?:the\\s+following|the\\s+next)\\s+month\\b)`,
  ].join('|'),
  'gi',
);

/** All date mentions in `text`; `ref` is the publication day, `previous` the last date the text set. */
/** A non-restrictive relative clause ("…, which had reopened on 1 November, …"): a background aside. */
const ASIDE = /,\s+(?:which|who)\s+(?:had|has|have)\b[^,;.]{0,100},/g;

/**
 * All date mentions in `text`; `ref` is the publication day, `previous` the last date the text set.
 * A date inside a background aside is the aside's own: "the same day" after it still means the day
 * the text set before.
 */
/** [start, end) of each background aside in `text`. */
export function findAsides(text: string): [number, number][] {
  const asides: [number, number][] = [];
  if (text.includes('which') || text.includes('who')) {
    ASIDE.lastIndex = 0;
    for (let a = ASIDE.exec(text); a; a = ASIDE.exec(text)) asides.push([a.index, a.index + a[0].length]);
  }
  return asides;
}

export function findDates(text: string, ref: string, previous: ResolvedDate | null): DateMention[] {
  const out: DateMention[] = [];
  const asides = findAsides(text);
  PATTERN.lastIndex = 0;
  for (let m = PATTERN.exec(text); m; m = PATTERN.exec(text)) {
    const g = m.groups ?? {};
    const found = resolve(g, ref, previous, text, m.index + m[0].length);
    if (found) {
      out.push({ ...found, start: m.index, end: m.index + m[0].length });
      const aside = asides.some(([s, e]) => m.index >= s && m.index < e);
      if (!found.relative && !aside) previous = found;
    }
  }
  return out;
}

function resolve(
  g: Record<string, string | undefined>,
  ref: string,
  previous: ResolvedDate | null,
  text: string,
  end: number,
): (ResolvedDate & { relative: boolean }) | null {
  const day = (d: string | null, relative = false) =>
    d ? { day: d, precision: 'day' as const, relative } : null;
  if (g.iso) return day(isoDay(Number(g.iy), Number(g.im), Number(g.id)));
  if (g.dmy || g.mdy) {
    const month = MONTHS[(g.dm ?? g.mm)!.toLowerCase().replace(/\.$/, '')]!;
    const dd = Number(g.dd ?? g.md);
    const year = g.dyy ?? g.myy;
    // "September 11 attacks" names a historical event, not a date of this one.
    if (month === 9 && dd === 11 && /^\s+attacks?/i.test(text.slice(end))) return null;
    if (!year && g.mdy && dd === 0) return null;
    return day(year ? isoDay(Number(year), month, dd) : pastYear(ref, month, dd));
  }
  if (g.month) {
    const month = MONTHS[g.mo!.toLowerCase()]!;
    const part = (g.part ?? g.part2)?.toLowerCase();
    if (part) {
      // "mid-October": the week around the 15th; "early" the 5th, "late" / "the end of" the 25th.
      const dd = part.startsWith('early') ? 5 : part.startsWith('mid') ? 15 : 25;
      const day = g.moy ? isoDay(Number(g.moy), month, dd) : pastYear(ref, month, dd);
      return day ? { day: mondayOf(day), precision: 'week', relative: false } : null;
    }
    const first = g.moy ? isoDay(Number(g.moy), month, 1) : pastYear(ref, month, 1);
    return first ? { day: first, precision: 'month', relative: false } : null;
  }
  if (g.wd) {
    const target = WEEKDAYS.indexOf(g.wdn!.toLowerCase());
    let back = (weekday(ref) - target + 7) % 7;
    if (g.wdlast && back === 0) back = 7;
    return day(addDays(ref, -back));
  }
  if (g.rel) {
    const word = g.rel.toLowerCase();
    if (word.includes('before')) return day(addDays(ref, -2));
    return day(word.startsWith('yesterday') ? addDays(ref, -1) : ref);
  }
  if (g.ago) {
    const n = UNITS[g.agon!.toLowerCase()] ?? Number(g.agon);
    return day(addDays(ref, -n));
  }
  if (g.week) {
    const monday = mondayOf(ref);
    return { day: /last/i.test(g.week) ? addDays(monday, -7) : monday, precision: 'week', relative: false };
  }
  if (g.mrel)
    return { day: firstOfMonth(ref, /last/i.test(g.mrel) ? -1 : 0), precision: 'month', relative: false };
  if (g.recent) return { day: addDays(mondayOf(ref), -7), precision: 'week', relative: true };
  const base = previous ?? { day: ref, precision: 'day' as const };
  if (g.same) return { ...base, relative: true };
  if (g.next) return { day: addDays(base.day, 1), precision: base.precision, relative: true };
  if (g.before) return { day: addDays(base.day, -1), precision: base.precision, relative: true };
  if (g.nmonth) return { day: firstOfMonth(base.day, 1), precision: 'month', relative: true };
  return null;
}
