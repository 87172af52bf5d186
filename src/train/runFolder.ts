/**
 * One writer per run folder. A training run takes RUNDIR/.semifer.lock (its pid
 * and host) before it writes anything, and gives it back when it ends; a second
 * run on the same folder is refused while the first lives. A lock left by a
 * process that no longer exists (kill -9, a crash) is taken over with a notice.
 *
 * The lock is made atomically: its full text goes to a private temp file that is
 * then hard-linked to the lock's name, which fails if the lock exists (so no
 * reader ever sees a half-written lock). Once the folder is ours, the temp files
 * a killed writer left behind (`.NAME.<pid>.<n>.tmp`) are removed.
 *
 * A folder with a run in it is only written with `resume` (continue it) or
 * `overwrite` (replace it: the files a run writes are deleted first, anything
 * else is left alone). An empty folder, or one holding only the files written
 * before the first checkpoint (a run that failed or was stopped early), is
 * simply used.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAtomicTempName } from '../files/writeFileAtomic.js';
import { errorOfKind } from '../errorKind.js';

export const LOCK_FILE = '.semifer.lock';

/** Every file a training run writes in its folder (the checkpoints' temp files aside). */
export const RUN_FILES = [
  'config.json', 'split.json', 'metrics.jsonl', 'skipped.jsonl', 'resumes.jsonl',
  'checkpoint-last.safetensors', 'checkpoint-best.safetensors', 'model.safetensors', 'eval.json', 'summary.json',
  // AU runs (src/train/actionUnits/): the test images' outputs and targets.
  'au-predictions.csv',
  // Written by `semifer report` (and `demo`) beside the run it describes: stale once the run is replaced.
  'report.html',
] as const;

/** Written before the first checkpoint: a folder holding only these has nothing to resume or lose. */
const BEFORE_FIRST_CHECKPOINT = new Set(['config.json', 'split.json', 'metrics.jsonl', 'skipped.jsonl']);


/** A run folder in use, or one that would be spoilt: the user's to sort out. */
export class RunFolderError extends errorOfKind('bad-input') {}

interface LockRecord {
  pid: number;
  host: string;
  since: string;
}

export interface RunFolderClaim {
  /** Temp files of an earlier writer that were removed. */
  readonly removedTemp: string[];
  /** Gives the lock back (idempotent; also done at process exit). */
  release(): void;
}

export interface ClaimOptions {
  resume?: boolean;
  overwrite?: boolean;
  /** A line for the user (a stale lock taken over, files removed). */
  notice?: (text: string) => void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockRecord | null {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as LockRecord;
    return Number.isInteger(r.pid) && typeof r.host === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** Creates the lock or returns the record of the one that is there. */
function tryLock(lockPath: string, tmpPath: string, mine: LockRecord): LockRecord | null {
  writeFileSync(tmpPath, `${JSON.stringify(mine)}\n`);
  try {
    linkSync(tmpPath, lockPath);
    return null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readLock(lockPath) ?? { pid: -1, host: '?', since: '?' };
  } finally {
    rmSync(tmpPath, { force: true });
  }
}

function takeLock(dir: string, notice: (text: string) => void): void {
  const lockPath = join(dir, LOCK_FILE);
  const tmpPath = join(dir, `${LOCK_FILE}.${process.pid}.0.tmp`);
  const mine: LockRecord = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const holder = tryLock(lockPath, tmpPath, mine);
  if (!holder) return;
  const stale = holder.pid === -1 || (holder.host === mine.host && !processAlive(holder.pid));
  if (!stale) {
    throw new RunFolderError(`${dir} is in use by another run (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
      `wait for it to end or choose another --out${holder.host !== mine.host ? ` (if that run is gone, delete ${lockPath})` : ''}`);
  }
  notice(holder.pid === -1
    ? `${lockPath} was unreadable; taking the folder over`
    : `taking over ${lockPath} from pid ${holder.pid}, which is no longer running`);
  rmSync(lockPath, { force: true });
  const again = tryLock(lockPath, tmpPath, mine);
  if (again) throw new RunFolderError(`${dir} was taken by another run (pid ${again.pid} on ${again.host}) while its stale lock was being replaced`);
}

/** Makes `dir` (if needed), takes its lock, checks it may be written, removes leftovers. */
export function claimRunFolder(dir: string, o: ClaimOptions = {}): RunFolderClaim {
  const notice = o.notice ?? (() => {});
  mkdirSync(dir, { recursive: true });
  takeLock(dir, notice);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readLock(join(dir, LOCK_FILE))?.pid === process.pid) rmSync(join(dir, LOCK_FILE), { force: true });
  };
  process.on('exit', release);
  try {
    const entries = readdirSync(dir).filter((n) => n !== LOCK_FILE);
    const removedTemp = entries.filter((n) => isAtomicTempName(n));
    for (const n of removedTemp) rmSync(join(dir, n), { force: true });
    if (removedTemp.length > 0) notice(`removed ${removedTemp.length} temp file(s) left by an interrupted writer: ${removedTemp.join(', ')}`);
    const rest = entries.filter((n) => !isAtomicTempName(n));
    if (!o.resume && rest.some((n) => !BEFORE_FIRST_CHECKPOINT.has(n))) {
      if (!o.overwrite) {
        const shown = rest.slice(0, 5).join(', ') + (rest.length > 5 ? `, … (${rest.length} in all)` : '');
        throw new RunFolderError(`${dir} is not empty (${shown}); continue its run with --resume, replace it with --overwrite, or choose another --out`);
      }
      const ours = rest.filter((n) => (RUN_FILES as readonly string[]).includes(n));
      for (const n of ours) rmSync(join(dir, n), { force: true });
      if (ours.length) notice(`--overwrite: removed ${ours.join(', ')} from ${dir}`);
    }
    return { removedTemp, release };
  } catch (e) {
    release();
    throw e;
  }
}
