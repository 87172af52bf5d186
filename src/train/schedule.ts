/**
 * The learning rate of a run: a per-epoch schedule ('constant',
 * 'exponential:0.9', 'step:10:0.1', 'cosine') stepped at the end of each epoch,
 * times an optional linear warm-up over the first optimiser steps
 * (TrainConfig.warmupSteps, `--warmup-steps`).
 */
import { optim } from '../torch/index.js';

export function parseSchedule(spec: string, opt: optim.Optimizer, epochs: number): optim.LRScheduler {
  const [kind, a, b] = spec.split(':');
  const num = (v: string | undefined, what: string) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`schedule '${spec}': ${what} must be a number`);
    return n;
  };
  switch (kind) {
    case 'constant': return new optim.ConstantLR(opt);
    case 'exponential': return new optim.ExponentialLR(opt, num(a, 'gamma'));
    case 'step': return new optim.StepLR(opt, num(a, 'step size'), num(b ?? '0.1', 'gamma'));
    case 'cosine': return new optim.CosineAnnealingLR(opt, Math.max(1, epochs), a ? num(a, 'eta_min') : 0);
    default: throw new Error(`unknown schedule '${spec}'; expected constant, exponential:GAMMA, step:EPOCHS:GAMMA or cosine[:ETA_MIN]`);
  }
}

/**
 * The warm-up's multiplier at 0-based optimiser step `step`: (step + 1) / N
 * for the first N steps (so the first step already moves, and step N − 1 runs
 * at the full rate), then 1.
 */
export function warmupFactor(step: number, warmupSteps: number): number {
  return step < warmupSteps ? (step + 1) / warmupSteps : 1;
}

/**
 * Sets every parameter group's rate for optimiser step `step`: the per-epoch
 * schedule's rate times the warm-up factor. Computed from the step and the
 * schedule's state alone, so a resumed run gets the same rates.
 */
export function applyWarmup(opt: optim.Optimizer, sched: optim.LRScheduler, step: number, warmupSteps: number): void {
  const { baseLrs, lastStep } = sched.stateDict();
  const f = warmupFactor(step, warmupSteps);
  opt.groups.forEach((g, i) => (g.hyper.lr = sched.lrFor(baseLrs[i]!, lastStep) * f));
}
