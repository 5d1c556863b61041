/**
 * `truce ledger verify`: recomputes the tree from the stored entries, checks every signed head,
 * and compares every record row with the entry that last wrote it — trusting nothing stored but the bytes.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { RECORD_TABLES } from '../store/schema.ts';
import { canonicalBytes, LedgerEntrySchema } from './entry.ts';
import { Frontier, type FrontierJSON, leafHash } from './merkle.ts';
import { type TreeHead, verifyTreeHead } from './treeHead.ts';

export type Problem = { seq?: number; table?: string; id?: string; message: string };

export type VerifyReport = {
  ok: boolean;
  treeSize: number;
  rootHash: string;
  headsChecked: number;
  rowsChecked: number;
  problems: Problem[];
};

const PAGE = 5000;
const MAX_PROBLEMS = 1000;

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalBytes(value)).digest('base64');
}

export async function verifyLedger(
  db: Kysely<Database>,
  options: { trustedKeys?: readonly string[]; onProgress?: (done: number) => void } = {},
): Promise<VerifyReport> {
  const problems: Problem[] = [];
  let rowsChecked = 0;
  const report = (problem: Problem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };

  const keys = new Map<string, string>();
  for (const row of await db.selectFrom('signing_keys').selectAll().execute())
    keys.set(row.key_id, row.public_pem);
  const trusted = options.trustedKeys ? new Set(options.trustedKeys) : null;
  const heads = (await db.selectFrom('tree_heads').selectAll().orderBy('tree_size').execute()).map(
    (row): TreeHead => ({
      treeSize: row.tree_size,
      rootHash: row.root_hash,
      timestamp: row.signed_at,
      keyId: row.key_id,
      signature: row.signature,
    }),
  );
  let nextHead = 0;
  const checkHeadsAt = (frontier: Frontier) => {
    while (nextHead < heads.length && heads[nextHead]!.treeSize === frontier.size) {
      const head = heads[nextHead++]!;
      const pem = keys.get(head.keyId);
      if (!pem || (trusted && !trusted.has(pem.trim()))) {
        report({ message: `tree head at size ${head.treeSize} is signed by an unknown key ${head.keyId}` });
      } else if (!verifyTreeHead(pem, head)) {
        report({ message: `tree head at size ${head.treeSize} has an invalid signature` });
      }
      if (head.rootHash !== frontier.root().toString('hex')) {
        report({
          message: `tree head at size ${head.treeSize} does not match the entries: an entry was changed or removed`,
        });
      }
    }
  };

  // Latest image digest of every row the ledger says was written.
  const images = new Map<string, { seq: number; digest: string }>();
  const frontier = Frontier.empty();
  checkHeadsAt(frontier);
  let after = -1;
  for (;;) {
    const page = await db
      .selectFrom('ledger_entries')
      .select(['seq', 'kind', 'body', 'leaf_hash'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const entry of page) {
      const seq = frontier.size;
      if (entry.seq !== seq) {
        report({ seq, message: `entry ${seq} is missing (next stored is ${entry.seq})` });
        return finish();
      }
      const bytes = Buffer.from(entry.body, 'utf8');
      const hash = leafHash(bytes);
      if (!hash.equals(entry.leaf_hash))
        report({ seq, message: `entry ${seq} does not match its stored leaf hash` });
      let parsed: unknown;
      try {
        parsed = JSON.parse(entry.body);
      } catch {
        report({ seq, message: `entry ${seq} is not JSON` });
      }
      const checked = LedgerEntrySchema.safeParse(parsed);
      if (!checked.success) {
        report({
          seq,
          message: `entry ${seq} (${entry.kind}) does not fit its schema: ${checked.error.issues[0]?.message}`,
        });
      } else {
        if (checked.data.seq !== seq)
          report({ seq, message: `entry ${seq} says it is entry ${checked.data.seq}` });
        if (checked.data.kind !== entry.kind)
          report({ seq, message: `entry ${seq} kind column differs from its body` });
        if (!canonicalBytes(parsed).equals(bytes))
          report({ seq, message: `entry ${seq} is not in canonical form` });
        for (const write of checked.data.writes) {
          images.set(`${write.table}\u0000${write.id}`, { seq, digest: digest(write.row) });
        }
      }
      frontier.append(hash);
      checkHeadsAt(frontier);
    }
    options.onProgress?.(frontier.size);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  for (const head of heads.slice(nextHead)) {
    report({
      message: `tree head at size ${head.treeSize} is beyond the log's ${frontier.size} entries: entries were removed`,
    });
  }

  const state = await db
    .selectFrom('ledger_frontier')
    .select('frontier')
    .where('id', '=', 1)
    .executeTakeFirst();
  const stored = state?.frontier as FrontierJSON | undefined;
  if (
    !stored ||
    stored.size !== frontier.size ||
    JSON.stringify(stored) !== JSON.stringify(frontier.toJSON())
  ) {
    report({ message: 'the stored frontier differs from the one recomputed from the entries' });
  }

  for (const table of RECORD_TABLES) {
    let last = '';
    for (;;) {
      const rows = (await db
        .selectFrom(table as 'incidents')
        .selectAll()
        .where('id', '>', last)
        .orderBy('id')
        .limit(PAGE)
        .execute()) as unknown as ({ id: string; ledger_seq: number } & Record<string, unknown>)[];
      for (const row of rows) {
        rowsChecked += 1;
        const key = `${table}\u0000${row.id}`;
        const image = images.get(key);
        if (!image) {
          report({ table, id: row.id, message: `${table} ${row.id} has no ledger entry` });
          continue;
        }
        images.delete(key);
        if (image.digest !== digest(row)) {
          report({
            seq: image.seq,
            table,
            id: row.id,
            message: `${table} ${row.id} differs from ledger entry ${image.seq} that wrote it`,
          });
        }
      }
      if (rows.length < PAGE) break;
      last = rows[rows.length - 1]!.id;
    }
  }
  for (const [key, image] of images) {
    const [table, id] = key.split('\u0000') as [string, string];
    report({
      seq: image.seq,
      table,
      id,
      message: `${table} ${id}, written by ledger entry ${image.seq}, is gone`,
    });
  }
  return finish();

  function finish(): VerifyReport {
    return {
      ok: problems.length === 0,
      treeSize: frontier.size,
      rootHash: frontier.root().toString('hex'),
      headsChecked: nextHead,
      rowsChecked,
      problems,
    };
  }
}
