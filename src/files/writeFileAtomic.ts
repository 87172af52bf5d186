/**
 * Atomic file writes, the one way every file that others read (model files,
 * checkpoints, caches, labels, synthetic datasets) is written: the bytes go to
 * a temporary sibling, are fsynced, and the temp file is renamed over the
 * target, so a reader or a crash never sees half a file. This module imports
 * nothing of the project, so every layer may use it.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes a file and fsyncs it, so a rename that follows never exposes a half-written file after a crash. */
export function writeFileSynced(path: string, data: Uint8Array | string): void {
  writeFileSync(path, data);
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The temporary sibling of `path`: `.NAME.<pid>.<ms>.tmp`, hidden and unique to this process. */
export function atomicTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
}

/** True for a name atomicTempPath makes: what a killed writer may leave behind. */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}

/** Writes atomically: temp file, fsync, rename; the temp file is removed if anything fails. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = atomicTempPath(path);
  try {
    writeFileSynced(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch { /* already gone */ }
    throw e;
  }
}
