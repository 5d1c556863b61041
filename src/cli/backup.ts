/** `truce backup FILE` and `truce restore FILE`: a logical, engine-neutral copy of everything, ledger included. */
import type { Command } from 'commander';
import { publishHead } from '../ledger/heads.ts';
import { backup, restore } from '../store/backup.ts';
import { type InstanceFlags, withInstance, withInstanceOptions } from './common.ts';

export function backupCommands(program: Command): void {
  withInstanceOptions(
    program
      .command('backup <file>')
      .description('write a gzip JSON-lines backup of every table (the file must not exist)'),
  ).action(async (file: string, flags: InstanceFlags) => {
    await withInstance(flags, async (instance) => {
      const head = await publishHead(instance.store.db, instance.signer);
      await backup(instance.store, file);
      console.log(`backup written to ${file}: ledger ${head.treeSize} entries, root ${head.rootHash}`);
    });
  });
  withInstanceOptions(
    program
      .command('restore <file>')
      .description('restore a backup into an empty instance (one transaction)'),
  ).action(async (file: string, flags: InstanceFlags) => {
    await withInstance(flags, async (instance) => {
      const { rows } = await restore(instance.store, file);
      const head = await publishHead(instance.store.db, instance.signer);
      console.log(
        `restored ${rows} rows: ledger ${head.treeSize} entries, root ${head.rootHash}, head signed by ${head.keyId}`,
      );
    });
  });
}
