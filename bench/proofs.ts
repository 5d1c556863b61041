/** Inclusion proofs of random entries, built from the store and checked against a new signed head, timed one by one. */
import { proveInclusion, publishHead } from '../src/ledger/heads.ts';
import { ephemeralSigner } from '../src/ledger/keys.ts';
import { verifyInclusion } from '../src/ledger/proofs.ts';
import type { Store } from '../src/store/engine.ts';

export type ProofTimes = {
  treeSize: number;
  /** Per proof, in milliseconds: building it from the store, checking it, both. */
  build: number[];
  check: number[];
  total: number[];
  /** Hashes in each proof. */
  lengths: number[];
};

/** `count` proofs of entries drawn by `rand`; throws on a proof that does not verify. */
export async function timeProofs(store: Store, count: number, rand: () => number): Promise<ProofTimes> {
  const head = await publishHead(store.db, ephemeralSigner());
  const root = Buffer.from(head.rootHash, 'hex');
  const times: ProofTimes = { treeSize: head.treeSize, build: [], check: [], total: [], lengths: [] };
  for (let i = 0; i < count; i++) {
    const seq = Math.floor(rand() * head.treeSize);
    const t0 = performance.now();
    const proof = await proveInclusion(store.db, seq, head.treeSize);
    const t1 = performance.now();
    const ok = verifyInclusion(
      Buffer.from(proof.leafHash, 'hex'),
      seq,
      head.treeSize,
      proof.proof.map((h) => Buffer.from(h, 'hex')),
      root,
    );
    const t2 = performance.now();
    if (!ok) throw new Error(`inclusion proof of entry ${seq} did not verify`);
    times.build.push(t1 - t0);
    times.check.push(t2 - t1);
    times.total.push(t2 - t0);
    times.lengths.push(proof.proof.length);
  }
  return times;
}
