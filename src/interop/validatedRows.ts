/**
 * The records of a dataset CSV, checked: each one mapped by its format, validated as the write path
 * would (batch.ts `validateEvent`) and built into its rows (`eventWrites`), in file order, as a
 * prepared event or a problem naming its line. The same code runs on the importer's thread or on a
 * worker thread (rowThread.ts).
 */
import type { Readable } from 'node:stream';
import { TruceError } from '../domain/errors.ts';
import type { Sharing } from '../domain/tlp.ts';
import { type PreparedEvent, prepareEvent, type ValidEvent, validateEvent } from './batch.ts';
import { type CsvHeader, csvRecords } from './csvRecords.ts';
import type { ImportFormat } from './event.ts';
import type { ReferenceBook, Unsaved } from './references.ts';

/**
 * `created`: the actors and sources the book first made for this record (a worker's book is a copy,
 * so the importer's book must take them on; they are written with the first batch that needs them).
 */
export type RowItem =
  | { kind: 'event'; event: PreparedEvent; created: Unsaved[] }
  | { kind: 'problem'; line: number; error: string; created: Unsaved[] };

export type RowSetup = { format: ImportFormat; sharing: Sharing; today: string };

/** Refuses a file that lacks a column the format requires, naming the first missing one. */
function headerCheck(format: ImportFormat): (header: CsvHeader) => void {
  return (header) => {
    const missing = format.requiredColumns.filter((column) => !header.columns.includes(column));
    if (missing.length > 0) {
      throw new TruceError(
        'invalid_input',
        `line ${header.line}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (not a ${format.name} file?)`,
        { field: missing[0] ?? 'header' },
      );
    }
  };
}

export async function* validatedRows(
  input: Readable,
  refs: ReferenceBook,
  { format, sharing, today }: RowSetup,
): AsyncGenerator<RowItem> {
  for await (const item of csvRecords(input, headerCheck(format))) {
    if (item.kind === 'problem') {
      yield { kind: 'problem', line: item.line, error: item.error, created: [] };
      continue;
    }
    let event: ValidEvent;
    try {
      event = validateEvent(item.line, format.toEvent(item.values, refs, { today }), sharing, today);
    } catch (error) {
      if (!(error instanceof TruceError)) throw error;
      yield { kind: 'problem', line: item.line, error: error.message, created: refs.takeCreated() };
      continue;
    }
    // The rows' created_at: when they were built, a moment before their batch commits.
    yield {
      kind: 'event',
      event: prepareEvent(event, format.name, new Date().toISOString()),
      created: refs.takeCreated(),
    };
  }
}
