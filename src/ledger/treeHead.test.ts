/** Checks that signed tree heads round-trip and that any change to a head, or the wrong key, is caught. */

import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TruceError } from '../domain/errors.ts';
import { emptyRoot } from './merkle.ts';
import {
  generateSigningKey,
  keyIdOf,
  loadSigningKey,
  publicKeyPemOf,
  signTreeHead,
  type TreeHead,
  treeHeadMessage,
  verifyTreeHead,
} from './treeHead.ts';

const ROOT = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');
const AT = new Date('2025-03-01T12:34:56.789Z');
const { privateKeyPem, publicKeyPem } = generateSigningKey();
const KEY = loadSigningKey(privateKeyPem);
const HEAD = signTreeHead(KEY, 8, ROOT, AT);

describe('tree head message', () => {
  it('is the documented fixed-layout ASCII', () => {
    expect(treeHeadMessage(8, ROOT.toString('hex'), AT.toISOString()).toString('ascii')).toBe(
      'truce-tree-head-v1\n8\n5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n2025-03-01T12:34:56.789Z\n',
    );
  });

  it('admits one spelling per field', () => {
    const root = ROOT.toString('hex');
    const at = AT.toISOString();
    const bad: [number, string, string][] = [
      [-1, root, at],
      [1.5, root, at],
      [2 ** 53, root, at],
      [8, root.toUpperCase(), at],
      [8, root.slice(2), at],
      [8, `${root}\n`, at],
      [8, root, '2025-03-01T12:34:56Z'],
      [8, root, '2025-03-01T12:34:56.789+00:00'],
      [8, root, '2025-02-30T12:34:56.789Z'],
      [8, root, `${at}\n8`],
    ];
    for (const [size, rootHex, timestamp] of bad) {
      expect(() => treeHeadMessage(size, rootHex, timestamp), `${size} ${rootHex} ${timestamp}`).toThrow(
        TruceError,
      );
    }
  });
});

describe('signed tree heads', () => {
  it('round-trip through sign and verify with the PEM or the key object', () => {
    expect(HEAD).toEqual({
      treeSize: 8,
      rootHash: ROOT.toString('hex'),
      timestamp: '2025-03-01T12:34:56.789Z',
      keyId: keyIdOf(publicKeyPem),
      signature: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/),
    });
    expect(verifyTreeHead(publicKeyPem, HEAD)).toBe(true);
    expect(verifyTreeHead(createPublicKey(publicKeyPem), HEAD)).toBe(true);
    expect(verifyTreeHead(publicKeyPem, JSON.parse(JSON.stringify(HEAD)))).toBe(true);
    // Anyone with only node:crypto and the documented format can check it.
    const message = Buffer.from(`truce-tree-head-v1\n8\n${HEAD.rootHash}\n${HEAD.timestamp}\n`, 'ascii');
    expect(verify(null, message, createPublicKey(publicKeyPem), Buffer.from(HEAD.signature, 'base64'))).toBe(
      true,
    );
  });

  it('signs the empty tree', () => {
    const head = signTreeHead(KEY, 0, emptyRoot(), AT);
    expect(head.rootHash).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(verifyTreeHead(publicKeyPem, head)).toBe(true);
  });

  it('fails once any field is altered', () => {
    const signature = Buffer.from(HEAD.signature, 'base64');
    signature[10] = signature[10]! ^ 1;
    const altered: TreeHead[] = [
      { ...HEAD, treeSize: 9 },
      { ...HEAD, treeSize: 7 },
      { ...HEAD, rootHash: emptyRoot().toString('hex') },
      { ...HEAD, rootHash: HEAD.rootHash.toUpperCase() },
      { ...HEAD, timestamp: '2025-03-01T12:34:56.790Z' },
      { ...HEAD, timestamp: '2025-03-01T12:34:56.789+00:00' },
      { ...HEAD, signature: signature.toString('base64') },
      { ...HEAD, signature: HEAD.signature.slice(0, -4) },
      { ...HEAD, signature: `${HEAD.signature}AAAA` },
      { ...HEAD, signature: ` ${HEAD.signature}` },
      { ...HEAD, signature: '' },
      { ...HEAD, keyId: '0000000000000000' },
    ];
    for (const head of altered) expect(verifyTreeHead(publicKeyPem, head), JSON.stringify(head)).toBe(false);
  });

  it('fails under a different key, a non-Ed25519 key, or garbage, without throwing', () => {
    const other = generateSigningKey();
    expect(verifyTreeHead(other.publicKeyPem, HEAD)).toBe(false);
    // Even when the head claims the other key's id, the signature does not match it.
    expect(verifyTreeHead(other.publicKeyPem, { ...HEAD, keyId: keyIdOf(other.publicKeyPem) })).toBe(false);
    const ed448 = generateKeyPairSync('ed448').publicKey;
    expect(verifyTreeHead(ed448, HEAD)).toBe(false);
    expect(verifyTreeHead(KEY, HEAD)).toBe(false); // a private key is not a verifier's key
    expect(verifyTreeHead('not a pem', HEAD)).toBe(false);
    expect(verifyTreeHead(publicKeyPem, null as never)).toBe(false);
    expect(verifyTreeHead(publicKeyPem, { ...HEAD, treeSize: '8' } as never)).toBe(false);
  });
});

describe('signing keys', () => {
  it('load from PEM, name themselves stably, and publish their public half', () => {
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(keyIdOf(publicKeyPem)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(KEY)).toBe(keyIdOf(publicKeyPem));
    expect(keyIdOf(createPublicKey(publicKeyPem))).toBe(keyIdOf(publicKeyPem));
    expect(keyIdOf(generateSigningKey().publicKeyPem)).not.toBe(keyIdOf(publicKeyPem));
    expect(publicKeyPemOf(KEY)).toBe(publicKeyPem);
  });

  it('refuses keys it cannot sign with', () => {
    expect(() => loadSigningKey('not a pem')).toThrow(TruceError);
    const ed448 = generateKeyPairSync('ed448').privateKey;
    expect(() => loadSigningKey(ed448.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(
      TruceError,
    );
    expect(() => signTreeHead(ed448, 8, ROOT, AT)).toThrow(TruceError);
    expect(() => signTreeHead(createPublicKey(publicKeyPem), 8, ROOT, AT)).toThrow(TruceError);
    expect(() => signTreeHead(KEY, 8, ROOT.subarray(1), AT)).toThrow(TruceError);
    expect(() => signTreeHead(KEY, -1, ROOT, AT)).toThrow(TruceError);
    expect(() => signTreeHead(KEY, 8, ROOT, new Date(Number.NaN))).toThrow(TruceError);
  });
});
