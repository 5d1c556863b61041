/**
 * Reads a CSV file as a stream of records, each with the line it starts on, so that one malformed
 * record is reported by its line and never takes the records after it down with it.
 *
 * Why not csv-parse's stream: after a bad quote (`"8"x`) its recovery swallows the following good
 * lines into the same error. Here a record is assembled from whole lines by quote parity (RFC 4180:
 * a quoted field may span lines), and each record is parsed on its own; when a multi-line record
 * turns out to be malformed, its continuation lines are read again as records of their own.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { TruceError } from '../domain/errors.ts';

export type CsvRow = { kind: 'row'; line: number; values: Record<string, string> };
export type CsvProblem = { kind: 'problem'; line: number; error: string };
export type CsvItem = CsvRow | CsvProblem;

export type CsvHeader = { line: number; columns: string[] };

/** A quoted field may hold newlines, but no real record spans this many lines; past it the quote is taken as unclosed. */
export const MAX_RECORD_LINES = 200;

class CsvSyntaxError extends Error {}

/** Splits one record (which may contain newlines inside quotes) into its fields, strictly per RFC 4180. */
export function parseCsvRecord(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const field = fields.length + 1;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new CsvSyntaxError(`bad quoting: the quoted field ${field} is not closed`);
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ',')
        throw new CsvSyntaxError(`bad quoting: text after the closing quote of field ${field}`);
      i += 1;
      if (i === text.length) {
        fields.push('');
        return fields;
      }
      continue;
    }
    const comma = text.indexOf(',', i);
    const value = text.slice(i, comma < 0 ? text.length : comma);
    if (value.includes('"'))
      throw new CsvSyntaxError(`bad quoting: a quote inside the unquoted field ${field}`);
    fields.push(value);
    if (comma < 0) return fields;
    i = comma + 1;
    if (i === text.length) {
      fields.push('');
      return fields;
    }
  }
}

function quoteCount(text: string): number {
  let n = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) n += 1;
  return n;
}

type Line = { no: number; text: string };

/**
 * The records of a CSV stream in file order: the header first (as `onHeader`), then each data
 * record as a row keyed by column, or as a problem naming its line. Blank lines are skipped.
 * `onHeader` may throw to refuse the file (a required column is missing).
 */
export async function* csvRecords(
  input: Readable,
  onHeader: (header: CsvHeader) => void,
): AsyncGenerator<CsvItem> {
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = reader[Symbol.asyncIterator]();
  let lineNo = 0;
  /** Lines to read again before reading on: the tail of a multi-line record that proved malformed. */
  const replay: Line[] = [];
  const next = async (): Promise<Line | null> => {
    const again = replay.shift();
    if (again) return again;
    const read = await lines.next();
    if (read.done) return null;
    lineNo += 1;
    // A UTF-8 byte order mark (Excel writes one) is not part of the first column's name.
    return { no: lineNo, text: lineNo === 1 ? read.value.replace(/^\uFEFF/, '') : read.value };
  };

  let header: string[] | null = null;
  let pending: Line[] = [];
  let open = false;

  /** A malformed record: reported, and the lines after its first read again as records of their own. */
  function malformed(record: Line[], error: string): CsvProblem {
    const start = record[0]!.no;
    // Without a header no row can be read: the file is refused rather than read against its next line.
    if (header === null)
      throw new TruceError('invalid_input', `line ${start}: header: ${error}`, { field: 'header' });
    replay.unshift(...record.slice(1));
    pending = [];
    open = false;
    return { kind: 'problem', line: start, error };
  }

  function* finish(record: Line[]): Generator<CsvItem> {
    const start = record[0]!.no;
    let fields: string[];
    try {
      fields = parseCsvRecord(record.map((l) => l.text).join('\n'));
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      yield malformed(record, error.message);
      return;
    }
    if (header === null) {
      header = fields.map((f) => f.trim());
      onHeader({ line: start, columns: header });
      return;
    }
    if (fields.length !== header.length) {
      yield {
        kind: 'problem',
        line: start,
        error: `has ${fields.length} field${fields.length === 1 ? '' : 's'}; the header has ${header.length}`,
      };
      return;
    }
    const values: Record<string, string> = {};
    for (const [i, name] of header.entries()) values[name] = fields[i]!;
    yield { kind: 'row', line: start, values };
  }

  try {
    yield* body();
  } finally {
    // Stopping early (`--on-error stop`) must not leave the file open.
    reader.close();
  }

  async function* body(): AsyncGenerator<CsvItem> {
    for (;;) {
      const line = await next();
      if (line === null) {
        if (pending.length === 0) break;
        // End of file inside a quoted field: report where it opened and read the rest as records.
        yield malformed(pending, 'bad quoting: a quoted field is not closed before the end of the file');
        continue;
      }
      if (pending.length === 0 && line.text.trim() === '') continue;
      pending.push(line);
      if (quoteCount(line.text) % 2 === 1) open = !open;
      if (!open) {
        const record = pending;
        pending = [];
        yield* finish(record);
      } else if (pending.length > MAX_RECORD_LINES) {
        yield malformed(
          pending,
          `bad quoting: a quoted field is not closed within ${MAX_RECORD_LINES} lines`,
        );
      }
    }
    if (header === null) onHeader({ line: 1, columns: [] });
  }
}
