/** What every command shares: the --data/--database-url options, opening the instance, and error output. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { viewerOfUsername } from '../access/accounts.ts';
import { MECHANISM, type Viewer } from '../access/viewer.ts';
import { isTruceError } from '../domain/errors.ts';
import { type Instance, instanceOptions, openInstance } from '../instance.ts';
import { KEY_FILE } from '../ledger/keys.ts';
import { prepareDataDir, storageErrorOf } from '../store/storage.ts';

export type InstanceFlags = { data?: string; databaseUrl?: string };

export function withInstanceOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'data directory (env TRUCE_DATA; default ./truce-data)')
    .option(
      '--database-url <url>',
      'use a PostgreSQL server instead of the embedded database (env DATABASE_URL)',
    );
}

/**
 * Runs before every command that takes --data, so that a data directory that cannot be created or
 * written stops the command with one line naming it, before anything is created in it. On
 * PostgreSQL the directory holds only the signing key, so it must be writable only to create it.
 */
export function prepareInstanceDir(flags: InstanceFlags): void {
  const options = instanceOptions(flags);
  if (!options.dataDir) return;
  if (options.databaseUrl && (options.signingKey || existsSync(join(options.dataDir, KEY_FILE)))) return;
  prepareDataDir(options.dataDir);
}

/** Opens the instance, runs `work`, and always closes it so the data directory is left clean. */
export async function withInstance<T>(
  flags: InstanceFlags,
  work: (instance: Instance) => Promise<T>,
): Promise<T> {
  const instance = await openInstance(instanceOptions(flags));
  try {
    return await work(instance);
  } finally {
    await instance.store.close();
  }
}

/** Errors reach the user as one line naming the field; exit 2 for bad input, 1 otherwise. */
export function reportError(raw: unknown): never {
  // A full or read-only disk met by a write that was not translated on its way up.
  const error = storageErrorOf(raw) ?? raw;
  if (isTruceError(error)) {
    console.error(`truce: ${error.message}`);
    process.exit(error.code === 'invalid_input' ? 2 : 1);
  }
  console.error(`truce: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned table for terminals. */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => Math.min(cell(r[c]).length, 60))));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.slice(0, 60).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}

/** The incident filters every reading command takes, the same as GET /incidents. */
export type FilterFlags = {
  from?: string;
  to?: string;
  type?: string;
  actor?: string;
  status?: string;
  bbox?: string;
  as?: string;
};

export function withFilterOptions(command: Command): Command {
  return command
    .option('--from <day>', 'first day (YYYY-MM-DD)')
    .option('--to <day>', 'last day (YYYY-MM-DD)')
    .option('--type <types>', 'comma-separated incident types')
    .option('--actor <ids>', 'comma-separated actor ids')
    .option('--status <statuses>', 'comma-separated statuses')
    .option('--bbox <w,s,e,n>', 'bounding box in degrees')
    .option('--as <username>', 'read as this user may see it (default: the mechanism)');
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The filter object for listIncidents; validation (and its field-naming errors) happens there. */
export function filterOf(flags: FilterFlags, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      from: flags.from,
      to: flags.to,
      type: list(flags.type),
      actor: list(flags.actor),
      status: list(flags.status),
      bbox: flags.bbox,
      ...extra,
    }).filter(([, v]) => v !== undefined),
  );
}

/** `--as USERNAME`, or the mechanism when the operator reads for itself. */
export async function viewerOfFlags(instance: Instance, flags: { as?: string }): Promise<Viewer> {
  return flags.as ? viewerOfUsername(instance.store, flags.as) : MECHANISM;
}
