/**
 * The learning rate of a run: a per-epoch schedule ('constant',
 * 'exponential:0.9', 'step:10:0.1', 'cosine') stepped at the end of each epoch,
 * times an optional linear warm-up over the first optimiser steps
 * (TrainConfig.warmupSteps, `--warmup-steps`).
 */
import { optim } from '../torch/index.js';

export function parseSchedule(spec: string, opt: optim.Optimizer, epochs: number): optim.LRScheduler {
  const s = checkSchedule(spec);
  switch (s.kind) {
    case 'constant': return new optim.ConstantLR(opt);
    case 'exponential': return new optim.ExponentialLR(opt, s.gamma);
    case 'step': return new optim.StepLR(opt, s.stepSize, s.gamma);
    case 'cosine': return new optim.CosineAnnealingLR(opt, Math.max(1, epochs), s.etaMin);
  }
}

export type ScheduleSpec =
  | { kind: 'constant' }
  | { kind: 'exponential'; gamma: number }
  | { kind: 'step'; stepSize: number; gamma: number }
  | { kind: 'cosine'; etaMin: number };

/** The parsed spec, or an error saying which part is wrong (no optimiser needed: checked before decoding). */
export function checkSchedule(spec: string): ScheduleSpec {
  const [kind, a, b] = spec.split(':');
  const num = (v: string | undefined, what: string, ok: (n: number) => boolean, expected: string) => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isFinite(n)) throw new Error(`schedule '${spec}': ${what} must be a number`);
    if (!ok(n)) throw new Error(`schedule '${spec}': ${what} must be ${expected}, got ${v}`);
    return n;
  };
  const gamma = (v: string | undefined) => num(v, 'gamma', (n) => n > 0, 'greater than 0');
  switch (kind) {
    case 'constant': return { kind };
    case 'exponential': return { kind, gamma: gamma(a) };
    case 'step': return { kind, stepSize: num(a, 'step size', (n) => Number.isInteger(n) && n >= 1, 'a whole number of epochs ≥ 1'), gamma: gamma(b ?? '0.1') };
    case 'cosine': return { kind, etaMin: a ? num(a, 'eta_min', (n) => n >= 0, '≥ 0') : 0 };
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
