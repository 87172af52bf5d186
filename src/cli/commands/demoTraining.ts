/**
 * The demo's trainings, side by side: each method is a `semifer train` child
 * process (the sweep's runner), as many at once as there are cores, with the
 * cores shared out as threads. On 2 cores two one-thread runs finish sooner
 * than the same runs one after the other on two threads each (a fine-tuning
 * step of MobileFaceNet at 64 px gains little from a second thread:
 * docs/performance.md), and each run trains as a one-thread run of
 * `semifer sweep`, the way docs/results.md measured the protocol.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CommandContext } from '../command.js';
import { CliError } from '../errors.js';
import { MetricsTail } from '../../report/metricsJsonl.js';
import type { ModelScores } from '../../report/types.js';
import { runSweep, threadsPerSlot, type ChildRun } from '../../sweep/runner.js';

export interface DemoRun extends ChildRun {
  /** Steps in the run (epochs × steps per epoch), for the progress bar. */
  steps: number;
}

const POLL_MS = 1000;
const percent = (score: ModelScores | undefined) => (score ? `${(100 * score.accuracy).toFixed(1)}%` : undefined);

/** Trains the runs; resolves when all are finished, throws naming the failed ones, returns false when interrupted. */
export async function trainSideBySide(runs: readonly DemoRun[], ctx: CommandContext<unknown>): Promise<boolean> {
  const jobs = Math.max(1, Math.min(runs.length, availableParallelism()));
  const threads = threadsPerSlot(jobs);
  ctx.log(`training ${runs.map((r) => r.name).join(', ')}: ${jobs} at a time, ${threads} thread${threads > 1 ? 's' : ''} each (each run's log: ${join(runs[0].dir, '..', '<method>', 'train.log')})`);
  const total = runs.reduce((n, r) => n + r.steps, 0);
  const bar = ctx.progress({ total, label: 'train', unit: 'step' });
  const watched = new Map<DemoRun, { tail: MetricsTail; step: number }>();
  const redraw = () => {
    let done = 0;
    for (const r of runs) done += watched.get(r)?.step ?? 0;
    bar.update(done);
  };
  const poll = () => {
    for (const [run, w] of watched) {
      for (const row of w.tail.poll()) {
        if (row.kind === 'step') w.step = row.step + 1;
        else if (row.kind === 'epoch') {
          const teacher = percent(row.teacher);
          bar.log(`${run.name} epoch ${row.epoch}: ${row.split ? `${row.split} ` : ''}accuracy student ${percent(row.student) ?? '–'}${teacher ? `, teacher ${teacher}` : ''}`);
        } else bar.log(`${run.name}: warning: ${row.message}`);
      }
    }
    redraw();
  };
  const failures: string[] = [];
  const timer = setInterval(poll, POLL_MS);
  try {
    await runSweep({ runs }, {
      jobs, resume: false, fresh: true, signal: ctx.signal, env: ctx.env,
      onStart: (run) => watched.set(run, { tail: new MetricsTail(join(run.dir, 'metrics.jsonl'), { fromEnd: true }), step: 0 }),
      onEnd: (run, outcome, detail) => {
        if (outcome === 'failed') failures.push(`${run.name}: ${detail}`);
        poll();
        const w = watched.get(run);
        if (w && outcome === 'finished') w.step = run.steps;
        redraw();
      },
    });
    bar.done();
    if (ctx.signal.aborted) return false;
    // Fresh runs are never skipped, and 'stopped' needs the abort: every run finished.
    if (failures.length) throw new CliError(`the demo's training failed:\n${failures.join('\n')}`);
    return true;
  } finally {
    clearInterval(timer);
  }
}
