/** `truce user add|list|disable|token`: accounts from the operator's shell (it holds the data directory, so it is trusted). */
import type { Command } from 'commander';
import { createAccount } from '../access/accounts.ts';
import { issueToken, revokeToken } from '../access/sessions.ts';
import { TruceError } from '../domain/errors.ts';
import { disableUser } from '../record/user.ts';
import { type InstanceFlags, printJson, printTable, withInstance, withInstanceOptions } from './common.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function userCommand(program: Command): void {
  const user = program.command('user').description('manage accounts');

  withInstanceOptions(
    user
      .command('add <username>')
      .description('create an account; prints a one-time password unless --password-stdin')
      .requiredOption('--role <role>', 'admin, monitor, analyst or delegate')
      .option('--party <code>', "a delegate's party (e.g. PK)")
      .option('--password-stdin', 'read the password from standard input'),
  ).action(
    async (
      username: string,
      flags: InstanceFlags & { role: string; party?: string; passwordStdin?: boolean },
    ) => {
      const password = flags.passwordStdin ? await readStdin() : undefined;
      await withInstance(flags, async (instance) => {
        const created = await createAccount(
          instance.store,
          'operator',
          { username, role: flags.role, partyId: flags.party ?? null },
          password,
        );
        console.log(
          `created ${created.user.username} (${created.user.role}${created.user.party_id ? `, ${created.user.party_id}` : ''})`,
        );
        if (created.mustChange)
          console.log(`one-time password: ${created.password}  (must be changed at first log-in)`);
      });
    },
  );

  withInstanceOptions(
    user.command('list').description('list accounts').option('--json', 'print JSON'),
  ).action(async (flags: InstanceFlags & { json?: boolean }) => {
    await withInstance(flags, async (instance) => {
      const rows = await instance.store.db.selectFrom('users').selectAll().orderBy('username').execute();
      if (flags.json) return printJson(rows);
      printTable(
        rows.map((r) => ({
          username: r.username,
          role: r.role,
          party: r.party_id,
          disabled: r.disabled ? 'yes' : '',
          created: r.created_at,
        })),
        ['username', 'role', 'party', 'disabled', 'created'],
      );
    });
  });

  withInstanceOptions(
    user
      .command('disable <username>')
      .description('disable an account (its sessions and tokens end)')
      .requiredOption('--reason <text>', 'why, for the ledger'),
  ).action(async (username: string, flags: InstanceFlags & { reason: string }) => {
    await withInstance(flags, async (instance) => {
      await disableUser(instance.store, 'operator', { username, reason: flags.reason });
      console.log(`disabled ${username}`);
    });
  });

  withInstanceOptions(
    user
      .command('token [username]')
      .description('issue an API token for a user (printed once), or --revoke ID')
      .option('--scope <scope>', 'read or write', 'read')
      .option('--label <text>', 'what it is for')
      .option('--expires-days <n>', 'expire after N days')
      .option('--revoke <id>', 'revoke the token with this id'),
  ).action(
    async (
      username: string | undefined,
      flags: InstanceFlags & { scope: string; label?: string; expiresDays?: string; revoke?: string },
    ) => {
      await withInstance(flags, async (instance) => {
        const db = instance.store.db;
        if (flags.revoke) {
          await revokeToken(db, flags.revoke);
          return console.log(`revoked ${flags.revoke}`);
        }
        if (!username)
          throw new TruceError('invalid_input', 'username: give a username, or --revoke ID', {
            field: 'username',
          });
        if (flags.scope !== 'read' && flags.scope !== 'write')
          throw new TruceError('invalid_input', '--scope: read or write', { field: 'scope' });
        const row = await db
          .selectFrom('users')
          .select(['id', 'username', 'disabled'])
          .where('username', '=', username)
          .executeTakeFirst();
        if (!row || row.disabled)
          throw new TruceError('not_found', `username: no active user "${username}"`, { field: 'username' });
        const days = flags.expiresDays ? Number(flags.expiresDays) : undefined;
        if (days !== undefined && !(Number.isInteger(days) && days > 0))
          throw new TruceError('invalid_input', '--expires-days: a whole number of days', {
            field: 'expiresDays',
          });
        const token = await issueToken(db, row, {
          scope: flags.scope,
          label: flags.label,
          expiresAt: days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined,
        });
        console.log(`token ${token.id} (${flags.scope}) for ${username}; shown once:\n${token.token}`);
      });
    },
  );
}
