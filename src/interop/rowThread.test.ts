import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TruceError } from '../domain/errors.ts';
import type { ImportFormatName } from './event.ts';
import { IMPORT_FORMATS } from './formats.ts';
import { PK_AF_INTEROP } from './lexicons/pk-af.ts';
import { ReferenceBook } from './references.ts';
import { workerRows } from './rowThread.ts';
import { type RowItem, validatedRows } from './validatedRows.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'interop');
const SHARING = { tlp: 'CLEAR' as const, recipients: [] };
const TODAY = '2026-01-01';

const emptyBook = () =>
  ReferenceBook.fromSnapshot({
    parties: ['pk', 'af'],
    actors: [],
    sources: [],
    unsaved: [],
    lexicon: PK_AF_INTEROP,
  });

async function collect(items: AsyncIterable<RowItem>): Promise<RowItem[]> {
  const out: RowItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** New ids and the moment rows were built differ between two runs; everything else must not. */
function comparable(items: RowItem[]): unknown {
  return JSON.parse(
    JSON.stringify(items)
      .replace(/"(clm|stc)_[0-9a-z]+"/g, '"$1_…"')
      .replace(/"(created_at|updated_at|changed_at)":"[^"]+"/g, '"$1":"…"'),
  );
}

const both = async (format: ImportFormatName, open: () => Readable) => {
  const setup = { format: IMPORT_FORMATS[format], sharing: SHARING, today: TODAY };
  const here = await collect(validatedRows(open(), emptyBook(), setup));
  const there = await collect(
    workerRows(open(), { format, sharing: SHARING, today: TODAY, references: emptyBook().snapshot() }),
  );
  return { here, there };
};

describe('records checked on a worker thread', () => {
  it('come back as on this thread: problems by line with the same words, events with the same rows', async () => {
    const { here, there } = await both('acled', () =>
      createReadStream(join(FIXTURES, 'acled-malformed.csv')),
    );
    expect(here.filter((i) => i.kind === 'problem').map((i) => i.kind === 'problem' && i.line)).toEqual([
      3, 4, 5, 6,
    ]);
    expect(comparable(there)).toEqual(comparable(here));
    // The actors and sources the rows named were new: each is reported once, with the row that made it.
    const created = there.flatMap((i) => i.created.map((u) => u.id));
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created).size).toBe(created.length);
  });

  it('reads a file fed in many small chunks, in file order', async () => {
    const body = (await import('node:fs')).readFileSync(join(FIXTURES, 'acled-malformed.csv'), 'utf8');
    const pieces = body.match(/[\s\S]{1,7}/g) ?? [];
    const { here, there } = await both('acled', () => Readable.from(pieces));
    expect(comparable(there)).toEqual(comparable(here));
  });

  it('refuses a file without a required column with the same error, code and field', async () => {
    const open = () => Readable.from(['event_id_cnty,event_date\nX1,2025-01-01\n']);
    const setup = { format: IMPORT_FORMATS.acled, sharing: SHARING, today: TODAY };
    const here = await collect(validatedRows(open(), emptyBook(), setup)).catch((e: unknown) => e);
    const there = await collect(
      workerRows(open(), {
        format: 'acled',
        sharing: SHARING,
        today: TODAY,
        references: emptyBook().snapshot(),
      }),
    ).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(TruceError);
    expect(there).toBeInstanceOf(TruceError);
    const fields = (e: unknown) => {
      const error = e as TruceError;
      return { code: error.code, message: error.message, field: error.field };
    };
    expect(fields(there)).toEqual(fields(here));
  });
});
