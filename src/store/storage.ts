/**
 * The disk under the database: a data directory that must exist and be writable before anything is
 * created in it, and what a full or read-only disk looks like, from either engine, as a TruceError.
 */
import { accessSync, constants, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TruceError } from '../domain/errors.ts';

/** Why the file system refused, in words, from the errno code Node gives. */
function refusal(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'EACCES':
      return 'permission denied for this user';
    case 'EPERM':
      return 'the operation is not permitted (is it marked immutable?)';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exhausted';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    default:
      return (error as Error)?.message ?? String(error);
  }
}

function dataDirError(dir: string, problem: string): TruceError {
  return new TruceError('unavailable', `data directory ${dir}: ${problem}`, { field: 'data' });
}

/** Creates `dir` one level at a time, so a refusal names the directory that refused and why. */
function createDirectory(dir: string, target: string): void {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: an ancestor is a file; walking up finds it and says so.
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      throw dataDirError(target, `cannot look at ${dir}: ${refusal(error)}`);
    if (dirname(dir) !== dir) createDirectory(dirname(dir), target);
    try {
      mkdirSync(dir);
    } catch (mkdirError) {
      if ((mkdirError as NodeJS.ErrnoException).code === 'EEXIST') return;
      // Node's recursive mkdir says ENOENT on a read-only parent; ask the parent itself why.
      throw dataDirError(target, `cannot create ${dir}: ${refusal(mkdirError)}`);
    }
    return;
  }
  if (!stat.isDirectory()) {
    throw dataDirError(
      target,
      dir === target
        ? 'it is a file, not a directory'
        : `cannot be created: ${dir} is a file, not a directory`,
    );
  }
}

/**
 * Makes sure a data directory exists and can be written, before anything is created in it:
 * PGlite cannot even open a read-only cluster, and would say only that it "failed to initialize".
 * Space is not checked: a full disk still lets an operator read, verify and back up.
 */
export function prepareDataDir(path: string): void {
  const dir = resolve(path);
  createDirectory(dir, dir);
  try {
    // access(2) reports a read-only mount (EROFS) and an immutable directory (EPERM) even to root.
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw dataDirError(dir, `cannot be written: ${refusal(error)}`);
  }
}

/** A SQLSTATE, as both engines give it; Node's own errors have errno names instead. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * A full or read-only disk as either engine reports it — PostgreSQL's disk_full (53100), which
 * PGlite raises too when its file system says ENOSPC; another SQLSTATE whose message is the
 * operating system's; or Node's own errno — as one TruceError, null for anything else. The
 * transaction that met it rolled back, so nothing was half-written. Messages are read only on
 * database errors: a client's malformed JSON may quote any text.
 */
export function storageErrorOf(error: unknown): TruceError | null {
  if (error instanceof TruceError) return null;
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return null;
  const said = (pattern: RegExp) => SQLSTATE.test(code) && pattern.test(String((error as Error).message));
  if (code === '53100' || code === 'ENOSPC' || code === 'EDQUOT' || said(/no space left on device/i)) {
    return new TruceError(
      'storage_full',
      "storage full: the database's disk has no space left; the write was rolled back, nothing of it was saved. Free space and try again",
    );
  }
  if (code === 'EROFS' || said(/read-only file system/i)) {
    return new TruceError(
      'unavailable',
      "storage read-only: the database's disk cannot be written; the write was rolled back, nothing of it was saved",
    );
  }
  return null;
}

/** Below this, a PGlite that fails to open is taken to have failed for want of space. */
const OPENING_SPACE = 1 << 20;

/**
 * Why PGlite could not open its directory, in place of its own "failed to initialize" or
 * "Aborted()": most often a disk so full that it cannot write even the page it needs to start.
 */
export function openingError(dir: string, error: unknown): TruceError {
  let free: number | null = null;
  try {
    const fs = statfsSync(dir);
    free = fs.bavail * fs.bsize;
  } catch {}
  if (free !== null && free < OPENING_SPACE) {
    return new TruceError(
      'storage_full',
      `data directory ${dir}: no space left on the device (${Math.floor(free / 1024)} KiB free), and the embedded database needs some even to open; free space and try again`,
      { field: 'data' },
    );
  }
  return (
    storageErrorOf(error) ??
    dataDirError(dir, `the embedded database cannot be opened: ${(error as Error).message}`)
  );
}
