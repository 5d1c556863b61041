/** A running Truce: its store, its signing key and where its data lives. Opened once by the CLI or the server. */
import { join, resolve } from 'node:path';
import { ephemeralSigner, loadOrCreateSigner, type Signer } from './ledger/keys.ts';
import { openStore, type Store } from './store/engine.ts';

export type Instance = { store: Store; signer: Signer; dataDir: string | null };

export type InstanceOptions = {
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  signingKey?: string | undefined;
  schema?: string | undefined;
};

export const DEFAULT_DATA_DIR = './truce-data';

/**
 * Options from the environment, overridden by flags: TRUCE_DATA, DATABASE_URL, TRUCE_SIGNING_KEY,
 * and TRUCE_SCHEMA (a PostgreSQL schema, so one server can hold several mechanisms or test runs).
 */
export function instanceOptions(flags: {
  data?: string | undefined;
  databaseUrl?: string | undefined;
}): InstanceOptions {
  return {
    dataDir: resolve(flags.data ?? process.env.TRUCE_DATA ?? DEFAULT_DATA_DIR),
    databaseUrl: flags.databaseUrl ?? process.env.DATABASE_URL ?? undefined,
    signingKey: process.env.TRUCE_SIGNING_KEY ?? undefined,
    schema: process.env.TRUCE_SCHEMA ?? undefined,
  };
}

export async function openInstance(options: InstanceOptions): Promise<Instance> {
  const dataDir = options.dataDir ?? null;
  const signer = dataDir ? loadOrCreateSigner(dataDir, options.signingKey) : ephemeralSigner();
  const store = await openStore({
    databaseUrl: options.databaseUrl,
    // With a server, the data directory holds only the signing key.
    dataDir: options.databaseUrl ? undefined : dataDir ? join(dataDir, 'pglite') : 'memory://',
    schema: options.schema,
  });
  return { store, signer, dataDir };
}
