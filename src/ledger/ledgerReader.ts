/**
 * How `ledger verify` reads the store: queries whose rows come back typed as the store reads them,
 * and — given the store itself rather than only its Kysely handle — binary COPY on a connection of
 * its own, in one read-only snapshot on PostgreSQL so that rows written meanwhile cannot confuse it.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Store } from '../store/engine.ts';
import type { Database } from '../store/schema.ts';
import { ChunkBuffers, type CopyChunk, copyOut } from './copyOut.ts';

export type QueryResult = {
  rows: Record<string, unknown>[];
  fields?: { name: string; dataTypeID: number }[];
};

export type LedgerReader = {
  query(text: string, values?: readonly unknown[]): Promise<QueryResult>;
  /** Binary COPY, when reading through a connection of verify's own. */
  copy: ((text: string) => Promise<CopyChunk>) | undefined;
  /** Hands back a chunk's buffer once it has been checked, for a later chunk to reuse. */
  recycle(buffer: ArrayBuffer): void;
  release(): Promise<void>;
};

export function isStore(target: Kysely<Database> | Store): target is Store {
  return 'pool' in target && 'db' in target;
}

export async function openReader(target: Kysely<Database> | Store): Promise<LedgerReader> {
  if (!isStore(target)) {
    return {
      async query(text, values = []) {
        return {
          rows: (await target.executeQuery(CompiledQuery.raw(text, [...values]))).rows as Record<
            string,
            unknown
          >[],
        };
      },
      copy: undefined,
      recycle() {},
      async release() {},
    };
  }
  const client: pg.PoolClient = await target.pool.connect();
  const buffers = new ChunkBuffers();
  // PGlite is one session shared by every client of the pool: a transaction here would hold the others.
  const snapshot = target.engine === 'postgres';
  try {
    if (snapshot) await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  return {
    async query(text, values = []) {
      const result = await client.query(text, [...values]);
      return { rows: result.rows, fields: result.fields };
    },
    copy: (text) => copyOut(client, text, buffers),
    recycle: (buffer) => buffers.give(buffer),
    async release() {
      try {
        if (snapshot) await client.query('COMMIT');
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    },
  };
}
