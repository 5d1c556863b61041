/** Signed tree heads as the mechanism publishes them, and proofs built from the stored subtree hashes. */
import type { Kysely } from 'kysely';
import { TruceError } from '../domain/errors.ts';
import type { Database } from '../store/schema.ts';
import type { Signer } from './keys.ts';
import { currentTree } from './log.ts';
import { type AsyncNodeSource, consistencyProofAsync, inclusionProofAsync } from './proofs.ts';
import { signTreeHead, type TreeHead } from './treeHead.ts';

type Db = Kysely<Database>;

function toHead(row: Database['tree_heads']): TreeHead {
  return {
    treeSize: row.tree_size,
    rootHash: row.root_hash,
    timestamp: row.signed_at,
    keyId: row.key_id,
    signature: row.signature,
  };
}

export async function latestHead(db: Db): Promise<TreeHead | undefined> {
  const row = await db
    .selectFrom('tree_heads')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toHead(row) : undefined;
}

export async function headAt(db: Db, treeSize: number): Promise<TreeHead | undefined> {
  const row = await db
    .selectFrom('tree_heads')
    .selectAll()
    .where('tree_size', '=', treeSize)
    .executeTakeFirst();
  return row ? toHead(row) : undefined;
}

/**
 * The head of the log as it is now: the stored one if nothing was appended since, else a new
 * one signed and kept, so every head ever handed out can be checked again by `ledger verify`.
 */
export async function publishHead(db: Db, signer: Signer): Promise<TreeHead> {
  const tree = await currentTree(db);
  const existing = await headAt(db, tree.size);
  if (existing) return existing;
  const head = signTreeHead(signer.privateKey, tree.size, tree.root, new Date());
  await db
    .insertInto('signing_keys')
    .values({ key_id: signer.keyId, public_pem: signer.publicKeyPem, created_at: head.timestamp })
    .onConflict((oc) => oc.column('key_id').doNothing())
    .execute();
  await db
    .insertInto('tree_heads')
    .values({
      tree_size: head.treeSize,
      root_hash: head.rootHash,
      signed_at: head.timestamp,
      key_id: head.keyId,
      signature: head.signature,
    })
    // Two processes may sign the same size at once; the first one kept is the one published.
    .onConflict((oc) => oc.column('tree_size').doNothing())
    .execute();
  return (await headAt(db, tree.size)) ?? head;
}

/** Reads perfect-subtree hashes from the store, remembering them for the length of one proof. */
export function storedNodes(db: Db): AsyncNodeSource {
  const cache = new Map<string, Buffer>();
  return {
    async getNode(level, index) {
      const key = `${level}:${index}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const hash =
        level === 0
          ? (
              await db
                .selectFrom('ledger_entries')
                .select('leaf_hash')
                .where('seq', '=', index)
                .executeTakeFirst()
            )?.leaf_hash
          : (
              await db
                .selectFrom('ledger_nodes')
                .select('hash')
                .where('level', '=', level)
                .where('idx', '=', index)
                .executeTakeFirst()
            )?.hash;
      if (!hash) throw new TruceError('ledger_invalid', `ledger node ${level}/${index} is missing`);
      cache.set(key, hash);
      return hash;
    },
  };
}

async function checkSize(db: Db, size: number, field: string): Promise<void> {
  const tree = await currentTree(db);
  if (!Number.isSafeInteger(size) || size < 0 || size > tree.size) {
    throw new TruceError('invalid_input', `${field}: must be between 0 and the tree size ${tree.size}`, {
      field,
    });
  }
}

export async function proveInclusion(db: Db, seq: number, treeSize: number) {
  await checkSize(db, treeSize, 'treeSize');
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= treeSize) {
    throw new TruceError('invalid_input', `seq: must be below the tree size ${treeSize}`, { field: 'seq' });
  }
  const entry = await db
    .selectFrom('ledger_entries')
    .select('leaf_hash')
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!entry) throw new TruceError('not_found', `no ledger entry ${seq}`, { field: 'seq' });
  const proof = await inclusionProofAsync(storedNodes(db), seq, treeSize);
  return {
    seq,
    treeSize,
    leafHash: entry.leaf_hash.toString('hex'),
    proof: proof.map((h) => h.toString('hex')),
  };
}

export async function proveConsistency(db: Db, oldSize: number, newSize: number) {
  await checkSize(db, newSize, 'newSize');
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > newSize) {
    throw new TruceError('invalid_input', 'oldSize: must be between 0 and newSize', { field: 'oldSize' });
  }
  const proof = await consistencyProofAsync(storedNodes(db), oldSize, newSize);
  return { oldSize, newSize, proof: proof.map((h) => h.toString('hex')) };
}
