/** `truce init`: creates the data directory, the database schema and the ledger signing key. */
import type { Command } from 'commander';
import { ensureFirstAdmin } from '../access/accounts.ts';
import { isFreshInstance, seedDemo } from '../demo/seed.ts';
import { publishHead } from '../ledger/heads.ts';
import { type InstanceFlags, withInstance, withInstanceOptions } from './common.ts';

export function initCommand(program: Command): void {
  withInstanceOptions(
    program
      .command('init')
      .description('create the database, the signing key and (unless --no-demo) the demo data')
      .option('--no-demo', 'start empty instead of with the demo data'),
  ).action(async (flags: InstanceFlags & { demo: boolean }) => {
    await withInstance(flags, async (instance) => {
      if (flags.demo && (await isFreshInstance(instance.store.db))) {
        const summary = await seedDemo(instance);
        console.log(
          `Seeded the demo: ${summary.incidents} incidents, ${summary.claims} claims, ${summary.places} places.`,
        );
      }
      const admin = await ensureFirstAdmin(instance.store);
      if (admin)
        console.log(`First admin: "${admin.username}", one-time password ${admin.password} (shown once).`);
      const head = await publishHead(instance.store.db, instance.signer);
      console.log(
        `Ready. Ledger: ${head.treeSize} entries, root ${head.rootHash}, signing key ${head.keyId}.`,
      );
    });
  });
}
