import { describe, expect, it } from 'vitest';
import type { EngineName, Store } from '../store/engine.ts';
import { GrowingTables } from './growingTables.ts';

/** A store whose statements each wait until the test lets them finish (or fail). */
function heldStore(engine: EngineName) {
  const statements: string[] = [];
  const waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const store = {
    engine,
    pool: {
      query: (statement: string) => {
        statements.push(statement);
        return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
      },
    },
  } as unknown as Store;
  const finishAll = async (error?: Error) => {
    // Each statement starts only when the one before it is done: let them through one by one.
    for (let i = 0; i < 20 && waiting.length > 0; i++) {
      const next = waiting.shift()!;
      if (error) next.reject(error);
      else next.resolve();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { store, statements, finishAll };
}

const settledWithin = async (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);

describe('GrowingTables', () => {
  it('on PostgreSQL refreshes beside the import, one refresh at a time, and settles before the import returns', async () => {
    const { store, statements, finishAll } = heldStore('postgres');
    const growing = new GrowingTables(store);
    await growing.grown(1_000);
    expect(statements).toEqual([]);
    // The import is not held while the statistics are read.
    expect(await settledWithin(growing.grown(4_000))).toBe(true);
    expect(statements).toEqual(['ANALYZE incidents']);
    // Doubled again while the first refresh runs: no second one beside it.
    await growing.grown(9_000);
    expect(statements).toHaveLength(1);
    const settled = growing.settled();
    expect(await settledWithin(settled)).toBe(false);
    await finishAll();
    expect(await settledWithin(settled)).toBe(true);
    expect(statements).toContain('VACUUM (ANALYZE) incident_day_tallies');
    // The next doubling after 9,000 rows is 18,000.
    const before = statements.length;
    await growing.grown(17_000);
    expect(statements).toHaveLength(before);
    await growing.grown(18_000);
    expect(statements).toHaveLength(before + 1);
  });

  it('lets a failed refresh go without failing the import', async () => {
    const { store, finishAll } = heldStore('postgres');
    const growing = new GrowingTables(store);
    await growing.grown(4_000);
    await finishAll(new Error('canceling statement due to lock timeout'));
    await expect(growing.settled()).resolves.toBeUndefined();
  });

  it('on PGlite, with its one connection, waits for the refresh', async () => {
    const { store, statements, finishAll } = heldStore('pglite');
    const growing = new GrowingTables(store);
    const grown = growing.grown(4_000);
    expect(await settledWithin(grown)).toBe(false);
    await finishAll();
    expect(await settledWithin(grown)).toBe(true);
    expect(statements).toHaveLength(5);
  });
});
