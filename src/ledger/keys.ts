/** The mechanism's Ed25519 signing key: created once at init, kept in the data directory, never in the database. */

import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TruceError } from '../domain/errors.ts';
import { generateSigningKey, keyIdOf, loadSigningKey, publicKeyPemOf } from './treeHead.ts';

export const KEY_FILE = 'ledger-signing-key.pem';

export type Signer = { privateKey: KeyObject; keyId: string; publicKeyPem: string };

function signerOf(privateKey: KeyObject): Signer {
  return { privateKey, keyId: keyIdOf(privateKey), publicKeyPem: publicKeyPemOf(privateKey) };
}

/** An in-memory key, for tests and throw-away instances. */
export function ephemeralSigner(): Signer {
  return signerOf(loadSigningKey(generateSigningKey().privateKeyPem));
}

/**
 * Loads `<dir>/ledger-signing-key.pem`, creating it (mode 0600) the first time. Several
 * `truce serve` processes on one PostgreSQL share the ledger, so they must share this file
 * (or `TRUCE_SIGNING_KEY` pointing at it).
 */
export function loadOrCreateSigner(dir: string, keyFile?: string): Signer {
  const path = keyFile ?? join(dir, KEY_FILE);
  if (!existsSync(path)) {
    if (keyFile)
      throw new TruceError('not_found', `signing key file ${keyFile} does not exist`, { field: 'key' });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, generateSigningKey().privateKeyPem, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  return signerOf(loadSigningKey(readFileSync(path, 'utf8')));
}
