/**
 * Starting a set-up run: fresh (a new loader and metrics log), or from a
 * checkpoint, restoring everything that makes the continuation exact —
 * weights, optimiser and schedule, method state, RNG, loader position, best
 * score and the metrics log's length.
 */
import { join } from 'node:path';
import { devNull } from 'node:os';
import * as torch from '../torch/index.js';
import { TrainLoader } from '../data/loader.js';
import { MetricsLog } from './metricsLog.js';
import type { CheckpointContent } from './checkpoint.js';
import type { LoopRun } from './trainRun.js';

export function startOrResume<R extends LoopRun>(setUp: Omit<R, 'loader' | 'metrics'>, resume: CheckpointContent | null): R {
  // Distributed ranks other than 0 log nowhere.
  const metricsPath = setUp.writes ? join(setUp.cfg.out, 'metrics.jsonl') : devNull;
  if (!resume) return { ...setUp, loader: new TrainLoader(setUp.loaderOpts), metrics: new MetricsLog(metricsPath) } as R;
  const { student, teacher, opt, sched, method } = setUp;
  student.loadStateDict(resume.student);
  if (teacher && resume.teacher) teacher.loadStateDict(resume.teacher);
  opt.loadStateDict({ state: resume.optimizerState, paramGroups: resume.meta.optimizer.paramGroups });
  if (resume.meta.scheduler) sched.loadStateDict(resume.meta.scheduler);
  method.loadState(resume.meta.method);
  if (resume.rng) torch.setRngState(resume.rng);
  const run = {
    ...setUp,
    startStep: resume.meta.nextStep,
    best: resume.meta.best,
    loader: TrainLoader.restore(setUp.loaderOpts, resume.meta.loader as never),
    metrics: new MetricsLog(metricsPath, resume.meta.metricsBytes),
  } as R;
  disposeCheckpointTensors(resume);
  return run;
}

/** The checkpoint's tensors, once copied into the models and the optimiser. */
function disposeCheckpointTensors(resume: CheckpointContent): void {
  const optimizerTensors = new Map(Object.entries(resume.optimizerState).flatMap(([i, s]) => Object.entries(s).filter(([, v]) => typeof v !== 'number').map(([k, v]) => [`${i}.${k}`, v as torch.Tensor])));
  for (const m of [resume.student, resume.teacher ?? new Map(), optimizerTensors]) {
    for (const t of m.values()) t.dispose();
  }
  resume.rng?.dispose();
}
