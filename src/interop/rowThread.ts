/**
 * Checks an import's records on a worker thread (rowWorker.ts), so that the importer's thread only
 * builds ledger entries and talks to the database: CSV parsing, mapping and zod validation were
 * about a third of its work. Items come back exactly as `validatedRows` yields them on this thread.
 */
import type { Readable } from 'node:stream';
import type { ErrorCode } from '../domain/errors.ts';
import { TruceError } from '../domain/errors.ts';
import type { Sharing } from '../domain/tlp.ts';
import { typescriptWorker } from '../support/typescriptWorker.ts';
import type { ImportFormatName } from './event.ts';
import type { ReferenceSnapshot } from './references.ts';
import type { RowItem } from './validatedRows.ts';

export type RowWorkerData = {
  format: ImportFormatName;
  sharing: Sharing;
  today: string;
  references: ReferenceSnapshot;
};
export type ToRowWorker = { type: 'chunk'; bytes: Uint8Array } | { type: 'end' };
export type FromRowWorker =
  | { type: 'taken' }
  | { type: 'items'; items: RowItem[] }
  | { type: 'done' }
  | { type: 'failed'; error: { code?: ErrorCode; message: string; field?: string | undefined } };

/** Input chunks sent but not yet taken by the worker's parser. */
const CHUNKS_AHEAD = 2;
/** Checked records waiting for the importer; past this the worker is sent nothing more, so memory stays flat. */
const ITEMS_AHEAD = 4000;

export async function* workerRows(input: Readable, data: RowWorkerData): AsyncGenerator<RowItem> {
  const worker = typescriptWorker(new URL('./rowWorker.ts', import.meta.url), { workerData: data });
  const ready: RowItem[][] = [];
  let waiting = 0;
  let chunksAhead = 0;
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const woken = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const nudge = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: FromRowWorker) => {
    if (message.type === 'taken') chunksAhead -= 1;
    else if (message.type === 'items') {
      ready.push(message.items);
      waiting += message.items.length;
    } else if (message.type === 'done') done = true;
    else {
      const { code, message: text, field } = message.error;
      failure = code ? new TruceError(code, text, field === undefined ? {} : { field }) : new Error(text);
    }
    nudge();
  });
  worker.on('error', (error) => {
    failure ??= error;
    nudge();
  });
  worker.on('exit', (code) => {
    if (!done) failure ??= new Error(`import worker exited with code ${code}`);
    nudge();
  });

  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let inputDone = false;
  try {
    for (;;) {
      // Keep the worker fed while the importer works through what it has.
      while (!inputDone && chunksAhead < CHUNKS_AHEAD && waiting < ITEMS_AHEAD) {
        const next = await chunks.next();
        if (next.done) {
          inputDone = true;
          worker.postMessage({ type: 'end' } satisfies ToRowWorker);
          break;
        }
        // A fresh copy whose buffer can be handed over (a read chunk may share a pooled one).
        const bytes = new Uint8Array(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
        chunksAhead += 1;
        worker.postMessage({ type: 'chunk', bytes } satisfies ToRowWorker, [bytes.buffer]);
      }
      const items = ready.shift();
      if (items) {
        for (const item of items) {
          waiting -= 1;
          yield item;
        }
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await woken();
    }
  } finally {
    // Whatever ended the reading (the last record, a stop, a failure), the thread goes with it.
    await worker.terminate();
  }
}
