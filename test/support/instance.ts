/** A test instance: a test store plus an in-memory signing key. */
import type { Instance } from '../../src/instance.ts';
import { ephemeralSigner } from '../../src/ledger/keys.ts';
import type { EngineName } from '../../src/store/engine.ts';
import { closeTestStore, openTestStore } from './store.ts';

export async function openTestInstance(engine: EngineName = 'pglite'): Promise<Instance> {
  return { store: await openTestStore(engine), signer: ephemeralSigner(), dataDir: null };
}

export async function closeTestInstance(instance: Instance): Promise<void> {
  await closeTestStore(instance.store);
}
