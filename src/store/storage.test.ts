import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TruceError } from '../domain/errors.ts';
import { prepareDataDir, storageErrorOf } from './storage.ts';

const dbError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('storageErrorOf', () => {
  it('reads a full disk from either engine, and from Node', () => {
    for (const error of [
      dbError('53100', 'could not extend file "base/5/16423": No space left on device'),
      dbError('58030', 'could not write to file "pg_wal/xlogtemp.1": No space left on device'),
      dbError('ENOSPC', 'ENOSPC: no space left on device, write'),
    ])
      expect(storageErrorOf(error)?.code).toBe('storage_full');
  });

  it('reads a read-only disk as unavailable', () => {
    expect(
      storageErrorOf(dbError('42501', 'could not open file "base/5/2701": Read-only file system'))?.code,
    ).toBe('unavailable');
    expect(storageErrorOf(dbError('EROFS', 'EROFS: read-only file system, open'))?.code).toBe('unavailable');
  });

  it('leaves everything else alone, whatever a client wrote', () => {
    expect(storageErrorOf(dbError('23505', 'duplicate key value'))).toBeNull();
    expect(storageErrorOf(new SyntaxError('"No space left on device" is not valid JSON'))).toBeNull();
    expect(
      storageErrorOf(dbError('FST_ERR_CTP_INVALID_JSON_BODY', 'No space left on device: not JSON')),
    ).toBeNull();
    expect(storageErrorOf(new TruceError('conflict', 'No space left on device'))).toBeNull();
  });
});

describe('prepareDataDir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'truce-storage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a missing directory with its parents', () => {
    expect(() => prepareDataDir(join(dir, 'a', 'b', 'data'))).not.toThrow();
    expect(() => prepareDataDir(join(dir, 'a', 'b', 'data'))).not.toThrow();
  });

  it('names the file standing where a directory should be', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => prepareDataDir(join(dir, 'file', 'data'))).toThrow(
      `data directory ${join(dir, 'file', 'data')}: cannot be created: ${join(dir, 'file')} is a file, not a directory`,
    );
    expect(() => prepareDataDir(join(dir, 'file'))).toThrow('it is a file, not a directory');
  });
});
