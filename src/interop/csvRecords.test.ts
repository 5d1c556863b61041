import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CsvItem, csvRecords, parseCsvRecord } from './csvRecords.ts';

async function read(text: string): Promise<{ header: string[]; items: CsvItem[] }> {
  let header: string[] = [];
  const items: CsvItem[] = [];
  for await (const item of csvRecords(Readable.from([text]), (h) => {
    header = h.columns;
  }))
    items.push(item);
  return { header, items };
}

describe('parseCsvRecord', () => {
  it('splits RFC 4180 fields: quotes, doubled quotes, commas and newlines inside quotes, empty fields', () => {
    expect(parseCsvRecord('a,"b,c","d ""e""",,"f\ng",')).toEqual(['a', 'b,c', 'd "e"', '', 'f\ng', '']);
  });

  it('names what is wrong with bad quoting', () => {
    expect(() => parseCsvRecord('a,"b"x,c')).toThrow(/text after the closing quote of field 2/);
    expect(() => parseCsvRecord('a,b"c,d')).toThrow(/a quote inside the unquoted field 2/);
    expect(() => parseCsvRecord('a,"b')).toThrow(/quoted field 2 is not closed/);
  });
});

describe('csvRecords', () => {
  it('gives each record the line it starts on, across blank lines, CRLF, a BOM and multi-line fields', async () => {
    const { header, items } = await read('\uFEFFid,note\r\n1,one\r\n\r\n2,"two\r\nlines"\r\n3,three\r\n');
    expect(header).toEqual(['id', 'note']);
    expect(items).toEqual([
      { kind: 'row', line: 2, values: { id: '1', note: 'one' } },
      { kind: 'row', line: 4, values: { id: '2', note: 'two\nlines' } },
      { kind: 'row', line: 6, values: { id: '3', note: 'three' } },
    ]);
  });

  it('keeps a malformed record to itself: the records after it are read as they are', async () => {
    const { items } = await read('a,b,c\n1,"x"y,3\n4,5\n6,7,8\n9,"unclosed,10\n11,12,13\n');
    expect(items).toEqual([
      { kind: 'problem', line: 2, error: 'bad quoting: text after the closing quote of field 2' },
      { kind: 'problem', line: 3, error: 'has 2 fields; the header has 3' },
      { kind: 'row', line: 4, values: { a: '6', b: '7', c: '8' } },
      { kind: 'problem', line: 5, error: expect.stringMatching(/not closed before the end of the file/) },
      { kind: 'row', line: 6, values: { a: '11', b: '12', c: '13' } },
    ]);
  });

  it('refuses a file whose header is malformed', async () => {
    await expect(read('a,"b\n1,2\n')).rejects.toMatchObject({ code: 'invalid_input', field: 'header' });
  });

  it('reads the lines a stray quote pulled in again when the record it made is malformed', async () => {
    const { items } = await read('a,b\n1,x"y\n2,z\n3,"w""\n4,v\n');
    expect(items.map((i) => [i.kind, i.line])).toEqual([
      ['problem', 2],
      ['row', 3],
      ['problem', 4],
      ['row', 5],
    ]);
  });
});
