import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestInstance, openTestInstance } from '../../test/support/instance.ts';
import { ENGINES } from '../../test/support/store.ts';
import { createAccount } from '../access/accounts.ts';
import { seedDemo } from '../demo/seed.ts';
import { headAt, publishHead } from '../ledger/heads.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { backup, restore } from './backup.ts';

describe('backup and restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'truce-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(ENGINES)(
    'round-trips everything onto %s with the same signed tree head',
    async (target) => {
      const source = await openTestInstance();
      await seedDemo(source);
      await createAccount(
        source.store,
        'system',
        { username: 'mona', role: 'monitor' },
        'a long enough password',
      );
      const head = await publishHead(source.store.db, source.signer);
      const file = join(dir, `truce-${target}.jsonl.gz`);
      await backup(source.store, file);
      const copy = await openTestInstance(target);
      const { rows } = await restore(copy.store, file);
      expect(rows).toBeGreaterThan(600);
      expect(await headAt(copy.store.db, head.treeSize)).toEqual(head);
      const report = await verifyLedger(copy.store.db, { trustedKeys: [source.signer.publicKeyPem.trim()] });
      expect(report.problems).toEqual([]);
      expect(report.rootHash).toBe(head.rootHash);
      const count = async (i: typeof source, table: 'incidents' | 'claims' | 'credentials') =>
        (
          await i.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      for (const table of ['incidents', 'claims', 'credentials'] as const)
        expect(await count(copy, table)).toBe(await count(source, table));
      // A second restore into the same instance is refused and changes nothing.
      await expect(restore(copy.store, file)).rejects.toMatchObject({ code: 'conflict' });
      await closeTestInstance(source);
      await closeTestInstance(copy);
    },
    60_000,
  );
});
