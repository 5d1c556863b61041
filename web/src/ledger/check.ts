/** Fetches what a check needs from the API and runs it: an entry's inclusion under the current signed head. */
import { api } from '../api/client.ts';
import type { ConsistencyProof, InclusionProof, LedgerEntry, TreeHead } from '../api/types.ts';
import {
  bytesToHex,
  hexToBytes,
  keyIdOf,
  leafHash,
  type SignatureCheck,
  verifyConsistency,
  verifyHeadSignature,
  verifyInclusion,
} from './verify.ts';

export type HeadCheck = {
  head: TreeHead;
  publicKeyPem: string;
  signature: SignatureCheck;
  keyIdMatches: boolean;
  /** Compared with a key this browser pinned earlier. */
  pinned: 'match' | 'mismatch' | 'none';
};

const PIN_KEY = 'truce.pinnedPublicKey';
const SEEN_HEAD = 'truce.lastSeenHead';

export function pinnedKey(): string | null {
  try {
    return window.localStorage.getItem(PIN_KEY);
  } catch {
    return null;
  }
}
export function pinKey(pem: string): void {
  window.localStorage.setItem(PIN_KEY, pem.trim());
}

export async function checkHead(): Promise<HeadCheck> {
  const [head, publicKeyPem] = await Promise.all([
    api<TreeHead>('/ledger/head'),
    api<string>('/ledger/public-key', { text: true }),
  ]);
  const [signature, keyId] = await Promise.all([
    verifyHeadSignature(head, publicKeyPem),
    keyIdOf(publicKeyPem),
  ]);
  const pin = pinnedKey();
  return {
    head,
    publicKeyPem,
    signature,
    keyIdMatches: keyId === head.keyId,
    pinned: pin === null ? 'none' : pin === publicKeyPem.trim() ? 'match' : 'mismatch',
  };
}

export type InclusionCheck = HeadCheck & {
  seq: number;
  leafHash: string;
  /** The entry's body re-hashed to the leaf: null when the entry is hidden from this viewer. */
  bodyMatches: boolean | null;
  body: string | null;
  included: boolean;
  /** Everything checked out. */
  verified: boolean;
};

/** Is entry `seq` in the tree the server signed? Re-hashes the entry when the viewer may read it. */
export async function checkInclusion(seq: number): Promise<InclusionCheck> {
  const headCheck = await checkHead();
  const { head } = headCheck;
  const [proof, entry] = await Promise.all([
    api<InclusionProof>(`/ledger/proof/inclusion?seq=${seq}&treeSize=${head.treeSize}`),
    api<LedgerEntry>(`/ledger/entries/${seq}`),
  ]);
  let bodyMatches: boolean | null = null;
  if (entry.visible) bodyMatches = bytesToHex(await leafHash(entry.body)) === proof.leafHash;
  const included = await verifyInclusion(
    hexToBytes(proof.leafHash),
    seq,
    head.treeSize,
    proof.proof.map(hexToBytes),
    hexToBytes(head.rootHash),
  );
  const verified =
    included &&
    bodyMatches !== false &&
    entry.leafHash === proof.leafHash &&
    headCheck.signature !== 'invalid' &&
    headCheck.keyIdMatches &&
    headCheck.pinned !== 'mismatch';
  return {
    ...headCheck,
    seq,
    leafHash: proof.leafHash,
    bodyMatches,
    body: entry.visible ? entry.body : null,
    included,
    verified,
  };
}

export type ConsistencyCheck = { from: TreeHead; to: TreeHead; consistent: boolean } | null;

/** The head this browser saw last, if any, checked for consistency with `current`; then `current` is remembered. */
export async function checkAgainstLastSeen(current: TreeHead): Promise<ConsistencyCheck> {
  let last: TreeHead | null = null;
  try {
    last = JSON.parse(window.localStorage.getItem(SEEN_HEAD) ?? 'null') as TreeHead | null;
  } catch {
    last = null;
  }
  let result: ConsistencyCheck = null;
  if (last && last.treeSize <= current.treeSize) {
    const proof = await api<ConsistencyProof>(
      `/ledger/proof/consistency?oldSize=${last.treeSize}&newSize=${current.treeSize}`,
    );
    const consistent = await verifyConsistency(
      last.treeSize,
      current.treeSize,
      hexToBytes(last.rootHash),
      hexToBytes(current.rootHash),
      proof.proof.map(hexToBytes),
    );
    result = { from: last, to: current, consistent };
  } else if (last) result = { from: last, to: current, consistent: false };
  // Only a head that checked out replaces the one kept.
  if (!result || result.consistent) window.localStorage.setItem(SEEN_HEAD, JSON.stringify(current));
  return result;
}
