/** A `ledger verify` worker thread: checks entry chunks and digests row chunks that verify sends it, on another core. */
import { parentPort } from 'node:worker_threads';
import { runTask, transferOf, type VerifyTask } from './verifyTasks.ts';

parentPort?.on('message', ({ id, task }: { id: number; task: VerifyTask }) => {
  try {
    const result = runTask(task);
    // The chunk's buffer goes back too, for the next chunk to be read into.
    const spare = task.bytes.buffer as ArrayBuffer;
    parentPort!.postMessage({ id, result, spare }, [...transferOf(result), spare]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
