/** `truce ledger head|prove|verify`: the signed head, an inclusion proof checked on the spot, and the full audit. */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { TruceError } from '../domain/errors.ts';
import { proveInclusion, publishHead } from '../ledger/heads.ts';
import { verifyInclusion } from '../ledger/proofs.ts';
import { parseTreeHead, type TreeHead, verifyTreeHead } from '../ledger/treeHead.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { type InstanceFlags, printJson, withInstance, withInstanceOptions } from './common.ts';
import { readInputFile, readJsonFile } from './files.ts';

/** A key or a kept head is a few hundred bytes: anything near this is not one. */
const MAX_LEDGER_FILE = 64 * 1024;

export function ledgerCommand(program: Command): void {
  const ledger = program.command('ledger').description('the tamper-evident log');

  withInstanceOptions(
    ledger.command('head').description('sign (if needed) and print the current tree head'),
  ).action(async (flags: InstanceFlags) => {
    await withInstance(flags, async (instance) => {
      printJson({
        ...(await publishHead(instance.store.db, instance.signer)),
        publicKey: instance.signer.publicKeyPem,
      });
    });
  });

  withInstanceOptions(
    ledger
      .command('prove <seq>')
      .description('print the inclusion proof of entry SEQ against the current signed head, verified')
      .option('--tree-size <n>', 'prove against an earlier head of this size'),
  ).action(async (seqText: string, flags: InstanceFlags & { treeSize?: string }) => {
    await withInstance(flags, async (instance) => {
      const db = instance.store.db;
      const head = await publishHead(db, instance.signer);
      const treeSize = flags.treeSize ? Number(flags.treeSize) : head.treeSize;
      const proof = await proveInclusion(db, Number(seqText), treeSize);
      const root = treeSize === head.treeSize ? head.rootHash : null;
      const ok =
        root !== null &&
        verifyTreeHead(instance.signer.publicKeyPem, head) &&
        verifyInclusion(
          Buffer.from(proof.leafHash, 'hex'),
          proof.seq,
          treeSize,
          proof.proof.map((h) => Buffer.from(h, 'hex')),
          Buffer.from(root, 'hex'),
        );
      printJson({
        ...proof,
        rootHash: root,
        verified: root === null ? 'not checked: no head of that size here' : ok,
      });
      if (root !== null && !ok) process.exitCode = 1;
    });
  });

  withInstanceOptions(
    ledger
      .command('verify')
      .description(
        'recompute the tree from every entry, check every signed head and every row against its entry',
      )
      .option('--key <pem-file>', 'trust only heads signed by this public key')
      .option('--log-only', 'check the log alone (entries, tree, heads, frontier), not the record rows')
      .option(
        '--hashes-only',
        "check only that nothing was altered (every entry's hash, the tree, heads, frontier): not the entries' form, not the rows",
      )
      .option(
        '--since <head-file>',
        'check from a signed head you kept (JSON, as `ledger head` or GET /ledger/head gave it): entries after it in full, rows written after it',
      )
      .option(
        '--workers <n>',
        'worker threads for hashing (default: one per core when 50,000 entries or more are checked in full; 0: none)',
      )
      .option('--json', 'print the report as JSON'),
  ).action(
    async (
      flags: InstanceFlags & {
        key?: string;
        json?: boolean;
        logOnly?: boolean;
        hashesOnly?: boolean;
        workers?: string;
        since?: string;
      },
    ) => {
      await withInstance(flags, async (instance) => {
        const total = Number(
          (
            await instance.store.db
              .selectFrom('ledger_frontier')
              .select('tree_size')
              .executeTakeFirstOrThrow()
          ).tree_size,
        );
        const bar =
          process.stderr.isTTY && !flags.json
            ? new cliProgress.SingleBar({}, cliProgress.Presets.shades_classic)
            : null;
        bar?.start(total, 0);
        // The Store, not only its Kysely handle: verify then reads by binary COPY in one snapshot.
        const report = await verifyLedger(instance.store, {
          ...(flags.key ? { trustedKeys: [readInputFile(flags.key, MAX_LEDGER_FILE).trim()] } : {}),
          ...(flags.logOnly ? { logOnly: true } : {}),
          ...(flags.hashesOnly ? { hashesOnly: true } : {}),
          ...(flags.workers !== undefined ? { workers: workerCount(flags.workers) } : {}),
          ...(flags.since !== undefined ? { since: heldHead(flags.since) } : {}),
          onProgress: (done) => bar?.update(done),
        });
        bar?.stop();
        if (flags.json) printJson(report);
        else if (report.ok) {
          const rows = {
            full: `${report.rowsChecked} rows checked`,
            log: 'rows not checked (--log-only)',
            hashes: "entries' form and rows not checked (--hashes-only)",
          }[report.scope];
          console.log(
            `ledger OK: ${report.treeSize} entries, root ${report.rootHash}, ${report.headsChecked} signed heads, ${rows}`,
          );
          const state = report.scope === 'full' ? `, state check ${seconds(report.timings.stateMs)}` : '';
          console.log(`  log check ${seconds(report.timings.logMs)}${state}`);
          if (report.since !== null)
            console.log(
              `  from the held head at size ${report.since}: entries before it by their stored hashes, rows written before it not read`,
            );
        } else {
          console.error(`ledger FAILED: ${report.problems.length} problem(s)`);
          for (const p of report.problems) console.error(`  - ${p.message}`);
        }
        if (!report.ok) process.exitCode = 1;
      });
    },
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The head a party kept, from its file (the JSON `ledger head` printed), held to the one spelling of its fields. */
function heldHead(file: string): TreeHead {
  return parseTreeHead(readJsonFile(file, MAX_LEDGER_FILE), 'since');
}

function workerCount(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0 || n > 64) {
    throw new TruceError('invalid_input', '--workers: must be a whole number from 0 to 64', {
      field: 'workers',
    });
  }
  return n;
}
