/**
 * An import's worker thread: reads the CSV bytes the importer sends, checks each record
 * (validatedRows.ts) against its own copy of the reference book, and sends the results back in
 * file order. Started by rowThread.ts; messages are typed there.
 */
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { TruceError } from '../domain/errors.ts';
import { IMPORT_FORMATS } from './formats.ts';
import { ReferenceBook } from './references.ts';
import type { FromRowWorker, RowWorkerData, ToRowWorker } from './rowThread.ts';
import { type RowItem, validatedRows } from './validatedRows.ts';

/** Results go back in messages of up to this many, or whatever is ready when the thread would idle. */
const ITEMS_PER_MESSAGE = 256;

const port = parentPort!;
const data = workerData as RowWorkerData;
const send = (message: FromRowWorker) => port.postMessage(message);
const input = new PassThrough();
port.on('message', (message: ToRowWorker) => {
  if (message.type === 'end') input.end();
  else
    input.write(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength), () =>
      send({ type: 'taken' }),
    );
});

let out: RowItem[] = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  if (out.length === 0) return;
  send({ type: 'items', items: out });
  out = [];
};

try {
  const refs = ReferenceBook.fromSnapshot(data.references);
  const setup = { format: IMPORT_FORMATS[data.format], sharing: data.sharing, today: data.today };
  for await (const item of validatedRows(input, refs, setup)) {
    out.push(item);
    if (out.length >= ITEMS_PER_MESSAGE) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }
  flush();
  send({ type: 'done' });
} catch (error) {
  flush();
  send({
    type: 'failed',
    error:
      error instanceof TruceError
        ? { code: error.code, message: error.message, field: error.field }
        : { message: error instanceof Error ? error.message : String(error) },
  });
}
