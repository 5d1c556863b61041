/**
 * Checks the ledger in the browser without trusting the server: RFC 9162 leaf and node hashes,
 * inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs with WebCrypto SHA-256, and the Ed25519
 * signature over the tree head. Written apart from src/ledger on purpose: a second implementation
 * that must agree with the first (test/browser/verify.test.ts checks both on the same trees).
 */

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const HEX = /^[0-9a-f]*$/;

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (hex.length % 2 !== 0 || !HEX.test(hex)) throw new Error('not lowercase hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

/** SHA-256(0x00 ‖ entry): the leaf hash of an entry's exact bytes (UTF-8 of its canonical JSON). */
export function leafHash(entry: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof entry === 'string' ? new TextEncoder().encode(entry) : entry;
  return sha256(Uint8Array.of(LEAF_PREFIX), bytes);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(NODE_PREFIX), left, right);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const isSize = (n: number) => Number.isSafeInteger(n) && n >= 0;
const half = (n: number) => Math.floor(n / 2);
const odd = (n: number) => n % 2 === 1;

/** RFC 9162 §2.1.3.2: does `proof` lead from the leaf at `index` to `root` in a tree of `treeSize`? */
export async function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false;
  if (leaf.length !== 32 || root.length !== 32 || proof.some((p) => p.length !== 32)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else r = await nodeHash(r, p);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: is the tree of `newSize` an append-only extension of the one of `oldSize`? */
export async function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (oldRoot.length !== 32 || newRoot.length !== 32 || proof.some((p) => p.length !== 32)) return false;
  if (oldSize === newSize) return proof.length === 0 && equal(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && equal(oldRoot, await sha256());
  if (proof.length === 0) return false;
  // An old tree whose size is a power of two is one node of the new tree: its root starts the path.
  let width = oldSize;
  while (width > 1 && width % 2 === 0) width /= 2;
  const path = width === 1 ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else sr = await nodeHash(sr, c);
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, oldRoot) && equal(sr, newRoot);
}

export type SignedHead = {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
};

/** The exact bytes the mechanism signs (src/ledger/treeHead.ts treeHeadMessage). */
export function headMessage(head: SignedHead): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(
    `truce-tree-head-v1\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n`,
  );
}

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const base64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const binary = atob(base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** First 16 hex digits of SHA-256 over the key's SPKI DER: the key id heads carry. */
export async function keyIdOf(publicKeyPem: string): Promise<string> {
  return bytesToHex(await sha256(pemToDer(publicKeyPem))).slice(0, 16);
}

export type SignatureCheck = 'valid' | 'invalid' | 'unsupported';

/** Ed25519 over the head message; `unsupported` where the browser's WebCrypto has no Ed25519. */
export async function verifyHeadSignature(head: SignedHead, publicKeyPem: string): Promise<SignatureCheck> {
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('spki', pemToDer(publicKeyPem), { name: 'Ed25519' }, false, [
      'verify',
    ]);
  } catch (error) {
    return (error as Error).name === 'NotSupportedError' ? 'unsupported' : 'invalid';
  }
  try {
    const ok = await crypto.subtle.verify(
      { name: 'Ed25519' },
      key,
      base64ToBytes(head.signature),
      headMessage(head),
    );
    return ok ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}
