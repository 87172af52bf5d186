/**
 * Runs a sweep's trainings as `semifer train` child processes, `jobs` at a
 * time, each with cores/jobs threads (or pinned to one GPU per slot). A run
 * whose summary.json exists is finished and skipped; one with a checkpoint but
 * no summary was interrupted and continues with `train --resume` when the
 * sweep is resumed (never started afresh, which would lose its checkpoint).
 * Each run's arguments are kept in RUN/sweep-run.json so a changed sweep file
 * cannot silently mix two configurations in one folder; its output goes to
 * RUN/train.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../cli/errors.js';
import type { PlannedRun, SweepPlan } from './plan.js';
import { MANIFEST_FILE, type SweepManifest } from './table.js';

/** The CLI the children run: this build's own. */
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const RUN_ARGS = 'sweep-run.json';

export type RunState = 'finished' | 'interrupted' | 'new';
/** What the runner needs of a run: its name, its folder and its `semifer train` arguments. */
export type ChildRun = Pick<PlannedRun, 'name' | 'dir' | 'argv'>;
export type RunOutcome = 'skipped' | 'finished' | 'failed' | 'stopped';

export interface SweepRunOptions<R extends ChildRun = PlannedRun> {
  jobs: number;
  /** One slot per GPU: run k of a slot trains on cuda:k (jobs = gpus). */
  gpus?: number;
  /** Continue interrupted runs (without it they are refused, as `semifer train` refuses to overwrite). */
  resume: boolean;
  /**
   * Start every run afresh (--overwrite), finished or interrupted: the demo's
   * runs replace the last demo's instead of being skipped or resumed.
   */
  fresh?: boolean;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  onStart?(run: R, resumed: boolean): void;
  onEnd?(run: R, outcome: RunOutcome, detail: string): void;
}

/** Each of `slots` runs at once gets an equal share of the cores as LibTorch threads. */
export function threadsPerSlot(slots: number): number {
  return Math.max(1, Math.floor(availableParallelism() / slots));
}

export function runState(run: ChildRun): RunState {
  if (existsSync(join(run.dir, 'summary.json'))) return 'finished';
  if (existsSync(join(run.dir, 'checkpoint-last.safetensors'))) return 'interrupted';
  return 'new';
}

/** The manifest `semifer compare` and the table read: the runs and the axes, paths relative to the sweep folder. */
export function writeManifest(plan: SweepPlan): void {
  mkdirSync(plan.out, { recursive: true });
  const doc: SweepManifest = {
    file: plan.file, search: plan.search, methods: plan.methods, seeds: plan.seeds,
    axes: plan.axes.map((a) => ({ name: a.name, hyperName: a.hyperName ?? null, values: a.values })),
    runs: plan.runs.map((r) => ({ name: r.name, dir: relative(plan.out, r.dir), method: r.method, label: r.label, seed: r.seed, setting: r.setting, options: r.options })),
  };
  writeFileSync(join(plan.out, MANIFEST_FILE), JSON.stringify(doc, null, 2));
}

/** Refuses interrupted runs without --resume, and runs whose folder was started with other arguments. */
export function checkRuns(plan: SweepPlan, resume: boolean): void {
  const problems: string[] = [];
  const interrupted: string[] = [];
  for (const run of plan.runs) {
    const state = runState(run);
    const argsFile = join(run.dir, RUN_ARGS);
    if (state !== 'new' && existsSync(argsFile)) {
      const before = (JSON.parse(readFileSync(argsFile, 'utf8')) as { argv: string[] }).argv;
      if (JSON.stringify(before) !== JSON.stringify(run.argv)) {
        problems.push(`${run.dir}: started with other arguments (${before.join(' ')}); restore the sweep file or remove the folder`);
      }
    }
    if (state === 'interrupted') interrupted.push(run.name);
  }
  if (interrupted.length && !resume) {
    problems.push(`${interrupted.length} run${interrupted.length > 1 ? 's were' : ' was'} interrupted (${interrupted.slice(0, 5).join(', ')}${interrupted.length > 5 ? ', …' : ''}): ` +
      'give --resume to continue from their checkpoints');
  }
  if (problems.length) throw new UsageError(problems);
}

/** A `semifer` child process whose output goes to `logFile` (appended: a resumed run keeps its first part). */
function child(args: string[], env: NodeJS.ProcessEnv, logFile: string, append = true): { proc: ChildProcess; done: Promise<number> } {
  const log = createWriteStream(logFile, { flags: append ? 'a' : 'w' });
  log.write(`$ semifer ${args.join(' ')}\n`);
  // Its own process group: a Ctrl-C at the terminal reaches only this process, which passes
  // it on once as SIGTERM (runSweep's stop). In the terminal's group the child got the SIGINT
  // and then that SIGTERM, a second signal, and quit before writing its checkpoint.
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  proc.stdout!.pipe(log, { end: false });
  proc.stderr!.pipe(log, { end: false });
  const done = new Promise<number>((resolve) => {
    proc.on('close', (code, signal) => {
      log.end();
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 130 : 1));
    });
    proc.on('error', () => resolve(1));
  });
  return { proc, done };
}

/** The last lines of a run's log, for the message of a failed run. */
function tail(file: string, lines = 4): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Runs `semifer data synth` once (it does nothing when the dataset is already there). */
export async function prepareData(plan: SweepPlan, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!plan.synth) return;
  mkdirSync(plan.out, { recursive: true });
  const logFile = join(plan.out, 'synth.log');
  const code = await child([...plan.synth, '--quiet'], env, logFile).done;
  if (code !== 0) throw new Error(`semifer ${plan.synth.join(' ')} failed (exit ${code}):\n${tail(logFile)}`);
}

/** Trains every run that is not finished (every run, with `fresh`); resolves with each run's outcome. */
export async function runSweep<R extends ChildRun>(plan: { runs: readonly R[] }, o: SweepRunOptions<R>): Promise<Map<string, RunOutcome>> {
  const outcomes = new Map<string, RunOutcome>();
  const todo: R[] = [];
  for (const run of plan.runs) {
    if (!o.fresh && runState(run) === 'finished') {
      outcomes.set(run.name, 'skipped');
      o.onEnd?.(run, 'skipped', 'summary.json exists');
    } else todo.push(run);
  }
  const slots = o.gpus ?? Math.max(1, o.jobs);
  const threads = String(threadsPerSlot(slots));
  const running = new Set<ChildProcess>();
  // SIGTERM: train stops before its next step, writes its checkpoint and exits 143
  // (train/stopRequest.ts); --resume continues from that checkpoint.
  const stop = () => {
    for (const proc of running) proc.kill('SIGTERM');
  };
  o.signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(Array.from({ length: slots }, async (_, slot) => {
      for (let run = todo.shift(); run; run = todo.shift()) {
        if (o.signal?.aborted) {
          outcomes.set(run.name, 'stopped');
          continue;
        }
        const resumed = !o.fresh && runState(run) === 'interrupted';
        mkdirSync(run.dir, { recursive: true });
        writeFileSync(join(run.dir, RUN_ARGS), JSON.stringify({ argv: run.argv }, null, 2));
        // A run that is not interrupted has no checkpoint: its folder holds this sweep's own files
        // (sweep-run.json, train.log) and perhaps a failed start, which --overwrite replaces
        // (it removes a training run's files only; train refuses a non-empty folder without it).
        const args = ['train', ...run.argv, ...(o.gpus ? ['--device', `cuda:${slot}`] : []), ...(resumed ? ['--resume'] : ['--overwrite']), '--quiet'];
        const env = { ...(o.env ?? process.env), SEMIFER_NUM_THREADS: threads, OMP_NUM_THREADS: threads };
        o.onStart?.(run, resumed);
        const logFile = join(run.dir, 'train.log');
        const c = child(args, env, logFile, !o.fresh);
        running.add(c.proc);
        const code = await c.done;
        running.delete(c.proc);
        const outcome: RunOutcome = code === 0 ? 'finished' : o.signal?.aborted ? 'stopped' : 'failed';
        outcomes.set(run.name, outcome);
        o.onEnd?.(run, outcome, outcome === 'failed' ? `exit ${code}; ${logFile}:\n${tail(logFile)}` : '');
      }
    }));
  } finally {
    o.signal?.removeEventListener('abort', stop);
  }
  return outcomes;
}
