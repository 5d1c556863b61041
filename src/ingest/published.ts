/** Reads a publication date as people write it (ISO, "18 October 2025", "Oct 18, 2025") into an ISO instant. */
import { TruceError } from '../domain/errors.ts';

export const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

export function isoDay(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}

/** Returns an ISO-8601 instant (a bare day becomes midnight UTC); throws naming `published` when unreadable. */
export function parsePublished(value: string): string {
  const text = value.trim();
  const fail = () =>
    new TruceError('invalid_input', `published: "${text.slice(0, 60)}" is not a date (use YYYY-MM-DD)`, {
      field: 'published',
    });
  let day: string | null = null;
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (iso) {
    day = isoDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (day && iso[4]) {
      const instant = new Date(`${day}T${iso[4]}${iso[5] ?? 'Z'}`);
      if (Number.isNaN(instant.getTime())) throw fail();
      return instant.toISOString();
    }
  } else {
    const dmy = /^(?:[A-Za-z]+,?\s+)?(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(text);
    const mdy = /^(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
    if (dmy) {
      const month = MONTHS[dmy[2]!.toLowerCase()];
      if (month) day = isoDay(Number(dmy[3]), month, Number(dmy[1]));
    } else if (mdy) {
      const month = MONTHS[mdy[1]!.toLowerCase()];
      if (month) day = isoDay(Number(mdy[3]), month, Number(mdy[2]));
    }
  }
  if (!day) throw fail();
  return `${day}T00:00:00.000Z`;
}
