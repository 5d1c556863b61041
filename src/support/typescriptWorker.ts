/**
 * Worker threads that run a TypeScript module. The project runs TypeScript through tsx, which a new
 * thread does not inherit, so the worker registers tsx before importing its module. Used by
 * `ledger verify` (src/ledger/verifyTasks.ts) and the importer (src/interop/rowThread.ts).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** tsx's ESM register API; import.meta.resolve is missing under some runners (vitest), so fall back to require's answer. */
export function tsxApi(): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (resolve) {
    try {
      return resolve('tsx/esm/api');
    } catch {}
  }
  // require resolves the CommonJS build; its ESM twin sits beside it.
  return pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
}

/** Starts a worker thread running `script` (a .ts module's URL); `workerData` and the rest as for `new Worker`. */
export function typescriptWorker(script: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const boot = `import(${JSON.stringify(tsxApi())}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
