/**
 * One training step: stop check (with a checkpoint), the method's loss,
 * backward, optimiser step, the method's post-step work, the EMA teacher, and
 * the step's log line.
 */
import * as torch from '../torch/index.js';
import { disposeBatch } from '../data/loader.js';
import type { StepContext } from '../methods/index.js';
import { emaUpdate, emaDecayAt } from './ema.js';
import { applyWarmup } from './schedule.js';
import { TrainingStoppedError, resumeCommand, stopExitCode, stopRequested, yieldToSignals } from './stopRequest.js';
import { saveRunCheckpoint, type LoopRun } from './trainRun.js';
import { TrainingDivergedError } from './trainErrors.js';
import { averageRead } from './deviceTerms.js';

export async function trainStep(run: LoopRun, step: number, epoch: number): Promise<void> {
  const { cfg, o, student, teacher, opt, sched, method, deviceTerms } = run;
  await yieldToSignals();
  // Distributed: every rank stops at the same step when any was asked to (rank 0 writes the checkpoint).
  if (o.dist ? o.dist.anyRank(stopRequested(o.signal)) : stopRequested(o.signal)) {
    // Everything here is as at the end of step - 1: the same checkpoint an epoch's end writes, mid-epoch.
    if (run.writes) saveRunCheckpoint(run, run.lastPath, step, epoch);
    throw new TrainingStoppedError(step, run.lastPath, stopExitCode(o.signal), resumeCommand(o.command, cfg.out));
  }
  const batch = await run.loader.next();
  const ts = performance.now();
  const ctx: StepContext = { student, teacher, numClasses: run.numClasses, epoch, step, stepsPerEpoch: cfg.stepsPerEpoch, totalSteps: run.total };
  student.train();
  if (cfg.warmupSteps > 0) applyWarmup(opt, sched, step, cfg.warmupSteps);
  torch.tidy(() => {
    opt.zeroGrad();
    const r = method.step(batch, ctx);
    // Terms stay on the device; read (and checked for NaN/Inf) at log steps and before checkpoints.
    deviceTerms.record(step, { total: r.loss, ...r.terms }, r.stats);
    r.loss.backward();
    o.dist?.afterBackward(student);
    opt.step();
    method.afterOptimizerStep?.(student, opt.lr);
    if (teacher) emaUpdate(teacher, student, emaDecayAt(step, run.runDefaults.emaDecay), (cfg.emaBuffers ?? 'average') === 'average');
    run.monitor?.observeStep(r.stats);
  });
  disposeBatch(batch);
  const logStep = step % cfg.logEvery === 0 || (step + 1) % cfg.stepsPerEpoch === 0;
  if (logStep) {
    const read = o.dist ? averageRead(deviceTerms.read(), (v) => o.dist!.meanOverRanks(v), o.dist.worldSize) : deviceTerms.read();
    if (read.diverged) throw new TrainingDivergedError(read.diverged.step, read.diverged.term, read.diverged.value);
    ({ terms: run.terms, stats: run.lastStats } = read);
  }
  const dt = (performance.now() - ts) / 1000;
  run.stepTimeEma = run.stepTimeEma ? 0.9 * run.stepTimeEma + 0.1 * dt : dt;
  const imgPerSec = run.imagesPerStep / run.stepTimeEma;
  o.events?.onStep?.({ step, epoch, totalSteps: run.total, terms: run.terms, imgPerSec, lr: opt.lr });
  if (logStep) run.metrics.write({ kind: 'step', epoch, step, lr: opt.lr, loss: run.terms, ...run.lastStats, imgPerSec });
}
