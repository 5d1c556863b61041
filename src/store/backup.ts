/**
 * Logical backup and restore: every table as JSON lines (gzip), engine-neutral, so a PGlite
 * instance can be restored onto PostgreSQL and back. Restoring gives the same ledger, heads and key ids.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { TruceError } from '../domain/errors.ts';
import type { Store } from './engine.ts';

/** Tables in an order that satisfies their foreign keys, each with the key it is paged by. Sessions are not kept. */
export const BACKUP_TABLES: readonly { table: string; key: string }[] = [
  { table: 'parties', key: 'id' },
  { table: 'actors', key: 'id' },
  { table: 'sources', key: 'id' },
  { table: 'places', key: 'id' },
  { table: 'documents', key: 'id' },
  { table: 'users', key: 'id' },
  { table: 'credentials', key: 'user_id' },
  { table: 'api_tokens', key: 'id' },
  { table: 'access_log', key: 'id' },
  { table: 'incidents', key: 'id' },
  { table: 'claims', key: 'id' },
  { table: 'status_changes', key: 'id' },
  { table: 'retaliation_links', key: 'id' },
  { table: 'merges', key: 'id' },
  { table: 'agreements', key: 'id' },
  { table: 'crossing_statuses', key: 'id' },
  { table: 'commitments', key: 'id' },
  { table: 'ingest_matches', key: 'id' },
  { table: 'violation_attributions', key: 'id' },
  { table: 'reopening_plans', key: 'id' },
  { table: 'reopening_phases', key: 'id' },
  { table: 'commitment_decisions', key: 'id' },
  { table: 'files', key: 'id' },
  { table: 'file_blobs', key: 'id' },
  { table: 'submissions', key: 'id' },
  { table: 'derivatives', key: 'id' },
  { table: 'responses', key: 'id' },
  { table: 'action_verifications', key: 'id' },
  { table: 'webhooks', key: 'id' },
  { table: 'webhook_deliveries', key: 'id' },
  { table: 'ledger_entries', key: 'seq' },
  { table: 'ledger_nodes', key: 'level, idx' },
  { table: 'tree_heads', key: 'tree_size' },
  { table: 'signing_keys', key: 'key_id' },
  { table: 'ledger_frontier', key: 'id' },
];

/** Self-references loaded in a second pass, after every row of the table exists. */
const DEFERRED: Record<string, string> = { incidents: 'merged_into', files: 'derived_from' };

const PAGE = 2000;

function encode(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k] = Buffer.isBuffer(v) ? { $base64: v.toString('base64') } : v;
  return out;
}

function decode(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && '$base64' in value) {
    return Buffer.from(String((value as { $base64: string }).$base64), 'base64');
  }
  // jsonb goes back as JSON text (pg would turn arrays into Postgres arrays).
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

async function* lines(store: Store): AsyncGenerator<string> {
  yield `${JSON.stringify({ format: 'truce-backup-v1', engine: store.engine, at: new Date().toISOString() })}\n`;
  for (const { table, key } of BACKUP_TABLES) {
    for (let offset = 0; ; offset += PAGE) {
      const { rows } = await store.pool.query(
        `SELECT * FROM ${table} ORDER BY ${key} LIMIT ${PAGE} OFFSET ${offset}`,
      );
      for (const row of rows) yield `${JSON.stringify({ t: table, r: encode(row) })}\n`;
      if (rows.length < PAGE) break;
    }
  }
}

export async function backup(store: Store, path: string): Promise<void> {
  await pipeline(Readable.from(lines(store)), createGzip(), createWriteStream(path, { flags: 'wx' }));
}

/** Restores into an empty, migrated instance, in one transaction: all of it, or nothing. */
export async function restore(store: Store, path: string): Promise<{ rows: number }> {
  const client = await store.pool.connect();
  let rows = 0;
  try {
    await client.query('BEGIN');
    const { rows: existing } = await client.query('SELECT tree_size FROM ledger_frontier WHERE id = 1');
    const { rows: users } = await client.query('SELECT count(*)::int AS n FROM users');
    if (Number(existing[0]?.tree_size ?? 0) > 0 || Number(users[0]?.n) > 0) {
      throw new TruceError('conflict', 'restore needs an empty instance (its ledger already has entries)');
    }
    await client.query('DELETE FROM ledger_frontier');
    const deferred: { table: string; column: string; key: unknown; value: unknown }[] = [];
    const input = createInterface({
      input: createReadStream(path).pipe(createGunzip()),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let first = true;
    for await (const line of input) {
      if (!line) continue;
      const record = JSON.parse(line) as { format?: string; t?: string; r?: Record<string, unknown> };
      if (first) {
        if (record.format !== 'truce-backup-v1')
          throw new TruceError('invalid_input', `${path}: not a Truce backup`, { field: 'file' });
        first = false;
        continue;
      }
      const table = record.t!;
      if (!BACKUP_TABLES.some((t) => t.table === table))
        throw new TruceError('invalid_input', `${path}: unknown table ${table}`, { field: 'file' });
      const row = { ...record.r! };
      const self = DEFERRED[table];
      if (self && row[self] !== null) {
        deferred.push({ table, column: self, key: row.id, value: row[self] });
        row[self] = null;
      }
      const columns = Object.keys(row);
      await client.query(
        `INSERT INTO ${table} (${columns.map((c) => `"${c.replace(/"/g, '')}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => decode(row[c])),
      );
      rows += 1;
    }
    for (const d of deferred)
      await client.query(`UPDATE ${d.table} SET ${d.column} = $1 WHERE id = $2`, [d.value, d.key]);
    await client.query(
      "SELECT setval(pg_get_serial_sequence('access_log', 'id'), GREATEST((SELECT max(id) FROM access_log), 1))",
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return { rows };
}
