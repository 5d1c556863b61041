/**
 * The browser's ledger checks (web/src/ledger/verify.ts, WebCrypto) against the server's own
 * Merkle code (src/ledger): the same trees, proofs and signed heads must verify in both, and
 * tampered ones in neither. Node's globalThis.crypto is the same WebCrypto API browsers have.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ephemeralSigner } from '../../src/ledger/keys.ts';
import { rootFromLeaves, leafHash as serverLeafHash } from '../../src/ledger/merkle.ts';
import { consistencyProof, inclusionProof, nodeSourceFromLeaves } from '../../src/ledger/proofs.ts';
import { signTreeHead } from '../../src/ledger/treeHead.ts';
import {
  bytesToHex,
  hexToBytes,
  keyIdOf,
  leafHash,
  verifyConsistency,
  verifyHeadSignature,
  verifyInclusion,
} from '../../web/src/ledger/verify.ts';

const entries = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`{"seq":${i},"kind":"test"}`));

describe('ledger checks in the browser', () => {
  it('hashes an entry exactly as the server does', async () => {
    const body = '{"at":"2025-10-12T00:00:00.000Z","data":{"title":"خیبر پښتونخوا"},"seq":3}';
    expect(bytesToHex(await leafHash(body))).toBe(serverLeafHash(Buffer.from(body, 'utf8')).toString('hex'));
  });

  it('accepts every inclusion and consistency proof the server builds, and rejects altered ones', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.nat(), async (size, a, b) => {
        const leaves = entries(size).map(serverLeafHash);
        const source = nodeSourceFromLeaves(leaves);
        const root = rootFromLeaves(leaves);
        const index = a % size;
        const path = inclusionProof(source, index, size);
        expect(await verifyInclusion(leaves[index]!, index, size, path, root)).toBe(true);
        expect(await verifyInclusion(leaves[(index + 1) % size]!, index, size, path, root)).toBe(size === 1);
        if (path.length) {
          const bent = path.map((p, i) => (i === 0 ? Buffer.from(p.map((x) => x ^ 1)) : p));
          expect(await verifyInclusion(leaves[index]!, index, size, bent, root)).toBe(false);
        }
        const oldSize = b % (size + 1);
        const oldRoot = rootFromLeaves(leaves.slice(0, oldSize));
        const proof = consistencyProof(source, oldSize, size);
        expect(await verifyConsistency(oldSize, size, oldRoot, root, proof)).toBe(true);
        if (oldSize > 0 && oldSize < size)
          expect(
            await verifyConsistency(oldSize, size, Buffer.from(oldRoot.map((x) => x ^ 1)), root, proof),
          ).toBe(false);
      }),
      { numRuns: 120 },
    );
  });

  it('checks the Ed25519 signature and key id of a signed tree head', async () => {
    const signer = ephemeralSigner();
    const root = rootFromLeaves(entries(5).map(serverLeafHash));
    const head = signTreeHead(signer.privateKey, 5, root, new Date('2025-10-19T00:00:00Z'));
    expect(await verifyHeadSignature(head, signer.publicKeyPem)).toBe('valid');
    expect(await keyIdOf(signer.publicKeyPem)).toBe(head.keyId);
    expect(await verifyHeadSignature({ ...head, treeSize: 6 }, signer.publicKeyPem)).toBe('invalid');
    expect(await verifyHeadSignature(head, ephemeralSigner().publicKeyPem)).toBe('invalid');
    expect(hexToBytes(head.rootHash)).toEqual(new Uint8Array(root));
  });
});
