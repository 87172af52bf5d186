/**
 * What `--resume` may and may not change. The run's configuration is saved in
 * every checkpoint; a resumed run compares it with the one it was given: a
 * change that would make the run another run (method, seed, batch, labels,
 * model, size, dataset, learning rate, …) is refused, naming each flag with
 * both values; the few that only extend or relocate the run (ALLOWED) are
 * accepted and recorded, with every resume, in RUNDIR/resumes.jsonl.
 *
 * The checkpoint to resume is checkpoint-last; when it is missing or corrupt
 * and checkpoint-best loads, the run resumes from that (earlier) one, saying so.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from './config.js';
import { CheckpointError, loadCheckpoint, type CheckpointContent } from './checkpoint.js';
import { errorOfKind } from '../errorKind.js';

/** Config keys a resume may change, with why that is safe. */
export const ALLOWED: Readonly<Record<string, string>> = {
  epochs: 'extends (or shortens) the run; the steps done stay as they were',
  device: 'the same computation on another device',
  root: 'the dataset moved (its classes and the run\'s split.json are still checked)',
  cacheDir: 'where decoded images are cached',
  prefetch: 'how far ahead batches are prepared (the batches are the same)',
  logEvery: 'how often step lines are written to metrics.jsonl',
  evalBatch: 'the evaluation batch size (the predictions are the same)',
  pretrained: 'only used to start a run; a resumed run loads its checkpoint',
};

/** Keys compared by no one: where the run is (the folder being resumed). */
const IGNORED = new Set(['out']);

/** The flag a config key comes from, for messages. */
const FLAG_OF: Readonly<Record<string, string>> = {
  labels: '--labels (or --labels-per-class / --label-fraction)',
  hyper: '--hyper (or a method flag such as --threshold)',
  unlabelled: '--unlabelled-dataset/--unlabelled-root',
  readerOptions: 'the dataset options (--classes, --view)',
  fold: '--folds',
  warmupSteps: 'the warm-up steps',
};

export function flagOf(key: string): string {
  return FLAG_OF[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const show = (v: unknown): string => (v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v));
/** Equal as saved: key order of objects aside, unset and null alike. */
const canon = (v: unknown): string => JSON.stringify(v ?? null, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/** A resume with flags that change the run. */
export class ResumeMismatchError extends errorOfKind('bad-input') {
  constructor(out: string, readonly differences: { key: string; run: unknown; now: unknown }[]) {
    super(`--resume: ${differences.length === 1 ? 'this flag differs' : 'these flags differ'} from the run in ${out}:\n` +
      differences.map((d) => `  ${flagOf(d.key)}: ${show(d.now)} now, ${show(d.run)} in the run`).join('\n') +
      '\ngive the run\'s values to resume it, or start a new run (another --out, or --overwrite)');
  }
}

export interface ResumeChange {
  key: string;
  from: unknown;
  to: unknown;
}

/** The allowed changes between the saved config and this one; throws ResumeMismatchError for any other. */
export function checkResumeConfig(saved: Record<string, unknown>, now: TrainConfig): ResumeChange[] {
  const current = now as unknown as Record<string, unknown>;
  const refused: { key: string; run: unknown; now: unknown }[] = [];
  const changes: ResumeChange[] = [];
  for (const key of new Set([...Object.keys(saved), ...Object.keys(current)])) {
    if (IGNORED.has(key) || !(key in saved)) continue; // a key an older version did not save cannot be compared
    if (canon(saved[key]) === canon(current[key])) continue;
    if (key in ALLOWED) changes.push({ key, from: saved[key], to: current[key] });
    else refused.push({ key, run: saved[key], now: current[key] });
  }
  if (refused.length > 0) throw new ResumeMismatchError(now.out, refused);
  return changes;
}

/** Appends this resume (its step, its allowed changes, its command) to RUNDIR/resumes.jsonl, and tells the user of each change. */
export function recordResume(out: string, r: { nextStep: number; checkpoint: string; changes: ResumeChange[]; command?: string }, notice: (text: string) => void = () => {}): void {
  for (const c of r.changes) notice(`--resume: ${flagOf(c.key)} is ${show(c.to)} now (${show(c.from)} in the run); recorded in resumes.jsonl`);
  appendFileSync(join(out, 'resumes.jsonl'), `${JSON.stringify({ time: new Date().toISOString(), ...r, command: r.command ?? null })}\n`);
}

/** checkpoint-last, or checkpoint-best when the last is missing or unreadable (with a notice); exit 2 when neither loads. */
export function loadResumeCheckpoint(out: string, notice: (text: string) => void): { checkpoint: CheckpointContent; path: string } {
  const last = join(out, 'checkpoint-last.safetensors');
  const best = join(out, 'checkpoint-best.safetensors');
  if (!existsSync(last) && !existsSync(best)) throw new CheckpointError(`--resume: no checkpoint in ${out} (expected ${last})`);
  let lastError: Error | undefined;
  if (existsSync(last)) {
    try {
      return { checkpoint: loadCheckpoint(last), path: last };
    } catch (e) {
      lastError = e as Error;
    }
  }
  if (!existsSync(best)) throw lastError!;
  try {
    const checkpoint = loadCheckpoint(best);
    notice(`${lastError ? `checkpoint-last is unusable (${lastError.message})` : `${last} is missing`}; ` +
      `resuming from ${best} (the end of epoch ${checkpoint.meta.epoch})`);
    return { checkpoint, path: best };
  } catch (e) {
    throw new CheckpointError(`--resume: no usable checkpoint in ${out}: ${lastError ? `${lastError.message}; ` : ''}${(e as Error).message}`);
  }
}
