/** Signed tree heads: the ledger's Ed25519 commitment to its size and root at a moment, which monitors keep and later hold it to. */

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { TruceError } from '../domain/errors.ts';
import { HASH_BYTES, isTreeSize } from './merkle.ts';

export type TreeHead = {
  treeSize: number;
  /** Lowercase hex of the 32-byte Merkle root. */
  rootHash: string;
  /** ISO-8601 UTC with milliseconds, exactly as `Date.prototype.toISOString` writes it. */
  timestamp: string;
  /** `keyIdOf` the signing key, so a verifier can pick the right public key. */
  keyId: string;
  /** Base64 of the 64-byte Ed25519 signature over `treeHeadMessage`. */
  signature: string;
};

export type SigningKeyPem = { privateKeyPem: string; publicKeyPem: string };

const MESSAGE_PREFIX = 'truce-tree-head-v1\n';
const ROOT_HEX = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SIGNATURE_BYTES = 64;
const KEY_ID = /^[0-9a-f]{16}$/;

/**
 * The exact bytes signed, as ASCII:
 *
 *   truce-tree-head-v1\n
 *   <treeSize in decimal, no sign or leading zeros>\n
 *   <rootHash, 64 lowercase hex digits>\n
 *   <timestamp, YYYY-MM-DDTHH:mm:ss.sssZ>\n
 *
 * Every field has one spelling and none can contain a newline, so two different heads can never
 * produce the same message; the versioned prefix keeps these signatures from being reused as
 * signatures over anything else the key might ever sign.
 */
export function treeHeadMessage(treeSize: number, rootHex: string, timestamp: string): Buffer {
  if (!isTreeSize(treeSize)) {
    throw new TruceError('invalid_input', 'tree size must be a non-negative integer', { field: 'treeSize' });
  }
  if (typeof rootHex !== 'string' || !ROOT_HEX.test(rootHex)) {
    throw new TruceError('invalid_input', 'root hash must be 64 lowercase hex digits', { field: 'rootHash' });
  }
  if (!isCanonicalTimestamp(timestamp)) {
    throw new TruceError('invalid_input', 'timestamp must be ISO-8601 UTC with milliseconds', {
      field: 'timestamp',
    });
  }
  return Buffer.from(`${MESSAGE_PREFIX}${treeSize}\n${rootHex}\n${timestamp}\n`, 'ascii');
}

export function signTreeHead(
  privateKey: KeyObject,
  treeSize: number,
  rootHash: Uint8Array,
  timestamp: Date,
): TreeHead {
  assertEd25519(privateKey, 'private');
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_BYTES) {
    throw new TruceError('invalid_input', `root hash must be ${HASH_BYTES} bytes`, { field: 'rootHash' });
  }
  if (!(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) {
    throw new TruceError('invalid_input', 'timestamp must be a valid date', { field: 'timestamp' });
  }
  const rootHex = Buffer.from(rootHash).toString('hex');
  const at = timestamp.toISOString();
  const signature = sign(null, treeHeadMessage(treeSize, rootHex, at), privateKey);
  return {
    treeSize,
    rootHash: rootHex,
    timestamp: at,
    keyId: keyIdOf(privateKey),
    signature: signature.toString('base64'),
  };
}

/**
 * A tree head from outside (a file a party kept, a request): its five fields in their one
 * spelling, or an invalid_input error naming the first that is not, under `field`. Other members
 * (the public key `truce ledger head` prints beside it) are ignored. The signature is not checked here.
 */
export function parseTreeHead(value: unknown, field: string): TreeHead {
  const bad = (name: string, why: string) =>
    new TruceError('invalid_input', `${field}.${name}: ${why}`, { field: `${field}.${name}` });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TruceError('invalid_input', `${field}: must be a signed tree head object`, { field });
  }
  const head = value as Record<string, unknown>;
  if (!isTreeSize(head.treeSize)) throw bad('treeSize', 'must be a non-negative integer');
  if (typeof head.rootHash !== 'string' || !ROOT_HEX.test(head.rootHash)) {
    throw bad('rootHash', 'must be 64 lowercase hex digits');
  }
  if (!isCanonicalTimestamp(head.timestamp)) throw bad('timestamp', 'must be ISO-8601 UTC with milliseconds');
  if (typeof head.keyId !== 'string' || !KEY_ID.test(head.keyId))
    throw bad('keyId', 'must be 16 lowercase hex digits');
  const signature = canonicalBase64(head.signature);
  if (signature === undefined || signature.length !== SIGNATURE_BYTES) {
    throw bad('signature', `must be the base64 of ${SIGNATURE_BYTES} bytes`);
  }
  return {
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    keyId: head.keyId,
    signature: head.signature as string,
  };
}

/** False, never an exception, for a bad key, a malformed head, or a head signed by another key. */
export function verifyTreeHead(publicKey: KeyObject | string, head: TreeHead): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') return false;
    if (typeof head !== 'object' || head === null || head.keyId !== keyIdOf(key)) return false;
    const signature = canonicalBase64(head.signature);
    if (signature === undefined || signature.length !== SIGNATURE_BYTES) return false;
    return verify(null, treeHeadMessage(head.treeSize, head.rootHash, head.timestamp), key, signature);
  } catch {
    // Unparseable PEM and non-canonical fields throw on the way; to a verifier they are just "not valid".
    return false;
  }
}

/** First 16 hex digits of SHA-256 over the SPKI DER public key; a private key names its public half. */
export function keyIdOf(key: KeyObject | string): string {
  const publicKey = typeof key === 'string' || key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function generateSigningKey(): SigningKeyPem {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function loadSigningKey(privateKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw new TruceError('invalid_input', 'signing key is not a readable PEM private key');
  }
  assertEd25519(key, 'private');
  return key;
}

/** The PEM a monitor needs to check this ledger's heads. */
export function publicKeyPemOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function assertEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (!(key instanceof KeyObject) || key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TruceError('invalid_input', `signing key must be an Ed25519 ${type} key`);
  }
}

function isCanonicalTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_UTC.test(value)) return false;
  const parsed = new Date(value);
  // The round trip rejects impossible dates such as 2024-02-30 that the pattern lets through.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === value;
}

/** Node's base64 decoder skips junk; re-encoding catches a signature that was altered but decodes the same. */
function canonicalBase64(value: unknown): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : undefined;
}
