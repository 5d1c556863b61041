/** Users as records: who holds which role for which party is on the ledger; their secrets are not. */
import { z } from 'zod';
import { ReasonSchema } from '../domain/claim.ts';
import { TruceError } from '../domain/errors.ts';
import { UserInputSchema } from '../domain/user.ts';
import type { UserRow } from '../store/schema.ts';
import { newId } from './ids.ts';
import { mustExist } from './lookup.ts';
import { parseInput } from './parse.ts';
import { mutation, type RecordTx } from './transaction.ts';

export async function insertUser(tx: RecordTx, input: unknown): Promise<UserRow> {
  const parsed = parseInput(UserInputSchema, input);
  const taken = await tx.trx
    .selectFrom('users')
    .select('id')
    .where('username', '=', parsed.username)
    .executeTakeFirst();
  if (taken)
    throw new TruceError('conflict', `username: "${parsed.username}" is taken`, { field: 'username' });
  if (parsed.partyId) await mustExist(tx.trx, 'parties', parsed.partyId, 'partyId');
  const row = {
    id: newId('usr'),
    username: parsed.username,
    role: parsed.role,
    party_id: parsed.partyId,
    disabled: false,
    created_at: new Date().toISOString(),
  };
  const { seq } = await tx.commit('user.created', { userId: row.id }, [
    { op: 'insert', table: 'users', row },
  ]);
  return { ...row, ledger_seq: seq };
}

export const DisableUserSchema = z.object({ username: z.string().min(1).max(64), reason: ReasonSchema });

export async function insertUserDisabled(tx: RecordTx, input: unknown): Promise<UserRow> {
  const parsed = parseInput(DisableUserSchema, input);
  const user = await tx.trx
    .selectFrom('users')
    .selectAll()
    .where('username', '=', parsed.username)
    .executeTakeFirst();
  if (!user)
    throw new TruceError('not_found', `username: no user "${parsed.username}"`, { field: 'username' });
  if (user.disabled)
    throw new TruceError('conflict', `username: "${parsed.username}" is already disabled`, {
      field: 'username',
    });
  const next = { ...user, disabled: true };
  const { seq } = await tx.commit('user.disabled', { userId: user.id, reason: parsed.reason }, [
    { op: 'update', table: 'users', row: next },
  ]);
  // Their open sessions and tokens die with the account.
  await tx.trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
  await tx.trx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('user_id', '=', user.id)
    .where('revoked_at', 'is', null)
    .execute();
  return { ...next, ledger_seq: seq };
}

export const createUser = mutation(insertUser);
export const disableUser = mutation(insertUserDisabled);
