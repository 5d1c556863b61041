/** Dates and numbers as the console writes them: unambiguous, UTC, tabular. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2025-10-12 → 12 Oct 2025 (day-month-year reads the same in every locale the console serves). */
export function formatDay(day: string | null | undefined, precision = 'day'): string {
  if (!day) return '—';
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  if (!y || !m) return day;
  if (precision === 'month') return `${MONTHS[m - 1]} ${y}`;
  const text = `${d} ${MONTHS[m - 1]} ${y}`;
  return precision === 'week' ? `week of ${text}` : text;
}

/** An instant in UTC: 12 Oct 2025 14:05 UTC. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${formatDay(date.toISOString().slice(0, 10))} ${hh}:${mm} UTC`;
}

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** First and last few hex digits: enough to compare by eye, the full value is in the title. */
export function shortHash(hex: string, keep = 8): string {
  return hex.length <= keep * 2 + 1 ? hex : `${hex.slice(0, keep)}…${hex.slice(-keep)}`;
}

export function addDays(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** "1 incident", "12 incidents". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function humanize(text: string): string {
  const spaced = text.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
