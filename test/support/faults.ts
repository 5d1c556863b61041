/**
 * Faults a test can cause on this machine: a tiny or read-only tmpfs, a disk filled to the last
 * byte, a directory a CLI child cannot write; each says why when the machine does not allow it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NOBODY = 65_534;

/** Runs a command, returning null on success or its complaint. */
function attempt(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return `${command}: ${result.error.message}`;
  return result.status === 0
    ? null
    : `${command} ${args.join(' ')}: ${result.stderr.replace(/\s+/g, ' ').trim() || `exit ${result.status}`}`;
}

/** Null when this process may mount a tmpfs (root with CAP_SYS_ADMIN, as here); otherwise why not. */
export function cannotMount(): string | null {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = mkdtempSync(join(tmpdir(), 'truce-mount-probe-'));
  try {
    const refused = attempt('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    if (refused) return `cannot mount a tmpfs here (no CAP_SYS_ADMIN in this container?): ${refused}`;
    attempt('umount', [probe]);
    return null;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Mounts a tmpfs of `mib` MiB on `dir` (which must exist); pair with `unmount`. */
export function mountTmpfs(dir: string, mib: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m,mode=0755`, 'tmpfs', dir]);
}

export function unmount(dir: string): void {
  // Lazy, so a PGlite that still holds a file open cannot keep the mount (and the test's temp dir) alive.
  attempt('umount', ['-l', dir]);
}

/**
 * Fills the file system holding `dir` to the last byte with a file in it, and returns that
 * file's path; deleting it frees the space again.
 */
export function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  try {
    for (let size = 1 << 20; size >= 512; ) {
      try {
        writeSync(fd, Buffer.alloc(size));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        size >>= 1;
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** How a test makes a directory read-only for a CLI child, and how to run that child. */
export type ReadOnlyDir = {
  how: string;
  /** The command line to run `node ARGS…` as, so that the directory is not writable to it. */
  prefix: string[];
  undo(): void;
};

/**
 * Makes `dir` (and all below it) read-only to a CLI child. As root, permission bits do not
 * apply, so: a read-only bind mount when the process may mount (a real EROFS, as on a read-only
 * volume); else the child runs as `nobody`, for whom a root-owned directory is not writable.
 * A non-root user gets a plain chmod. Returns why not when none of these works. `program` is
 * what the child will run, which `nobody` must be able to read.
 */
export function makeReadOnly(dir: string, program: string): ReadOnlyDir | string {
  if (process.platform !== 'linux') return 'read-only directories are simulated on Linux only';
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['-R', 'a-w', dir]);
    return { how: 'chmod a-w', prefix: [], undo: () => execFileSync('chmod', ['-R', 'u+w', dir]) };
  }
  if (!attempt('mount', ['--bind', dir, dir])) {
    if (!attempt('mount', ['-o', 'remount,ro,bind', dir]))
      return { how: 'read-only bind mount', prefix: [], undo: () => unmount(dir) };
    unmount(dir);
  }
  const asNobody = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
  // `nobody` must be able to reach the program (a clone under /root is out of its reach).
  const refused = attempt(asNobody[0]!, [...asNobody.slice(1), 'test', '-r', program]);
  if (refused)
    return `neither a read-only bind mount nor running ${program} as nobody works here: ${refused}`;
  execFileSync('chmod', ['-R', 'go-w', dir]);
  return { how: 'running the CLI as nobody', prefix: asNobody, undo: () => {} };
}

/**
 * How far process `pid` has read `file`, from /proc/PID/fdinfo (Linux), or null when it does not
 * have it open (yet, or any more).
 */
export function readOffset(pid: number, file: string): number | null {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target !== file) continue;
      const pos = /^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (pos) return Number(pos[1]);
    }
  } catch {
    return null;
  }
  return null;
}
