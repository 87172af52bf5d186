/**
 * Learning-rate schedules as closed forms of the step count (equal to PyTorch's
 * chainable versions for these rules), so resuming needs only the count.
 * Call `step()` once per epoch or per optimiser step, as the schedule's unit.
 */
import type { Optimizer } from './optimizer.js';

export abstract class LRScheduler {
  protected readonly baseLrs: number[];
  /** How many times step() was called. */
  lastStep = 0;

  constructor(protected readonly optimizer: Optimizer) {
    this.baseLrs = optimizer.groups.map((g) => g.hyper.lr);
  }

  /** The multiplier of the base learning rate after `t` steps. */
  abstract factor(t: number): number;

  /** The learning rate of a group with base rate `base` after `t` steps. */
  lrFor(base: number, t: number): number {
    return base * this.factor(t);
  }

  step(): void {
    this.lastStep += 1;
    this.apply();
  }

  protected apply(): void {
    this.optimizer.groups.forEach((g, i) => (g.hyper.lr = this.lrFor(this.baseLrs[i], this.lastStep)));
  }

  getLastLr(): number[] {
    return this.optimizer.groups.map((g) => g.hyper.lr);
  }

  stateDict(): { lastStep: number; baseLrs: number[] } {
    return { lastStep: this.lastStep, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(s: { lastStep: number; baseLrs?: number[] }): void {
    this.lastStep = s.lastStep;
    if (s.baseLrs) s.baseLrs.forEach((v, i) => (this.baseLrs[i] = v));
    this.apply();
  }
}

/** lr · γ^⌊t / stepSize⌋ */
export class StepLR extends LRScheduler {
  constructor(opt: Optimizer, readonly stepSize: number, readonly gamma = 0.1) {
    super(opt);
    if (!(stepSize >= 1)) throw new RangeError(`StepLR: stepSize must be >= 1, got ${stepSize}`);
  }
  factor(t: number): number {
    return Math.pow(this.gamma, Math.floor(t / this.stepSize));
  }
}

/** lr · γ^t (SCN's schedule, γ = 0.9 per epoch). */
export class ExponentialLR extends LRScheduler {
  constructor(opt: Optimizer, readonly gamma: number) {
    super(opt);
  }
  factor(t: number): number {
    return Math.pow(this.gamma, t);
  }
}

/** η_min + (lr − η_min)·(1 + cos(π·t/T))/2, held at η_min after T. */
export class CosineAnnealingLR extends LRScheduler {
  constructor(opt: Optimizer, readonly tMax: number, readonly etaMin = 0) {
    super(opt);
    if (!(tMax >= 1)) throw new RangeError(`CosineAnnealingLR: tMax must be >= 1, got ${tMax}`);
  }
  factor(t: number): number {
    return (1 + Math.cos((Math.PI * Math.min(t, this.tMax)) / this.tMax)) / 2;
  }
  override lrFor(base: number, t: number): number {
    return this.etaMin + (base - this.etaMin) * this.factor(t);
  }
}

/** No change (Ada-CM's authors: Adam without decay). */
export class ConstantLR extends LRScheduler {
  factor(): number {
    return 1;
  }
}

/**
 * Linear warm-up from `startFactor` to 1 over `warmupSteps`, then `after`'s
 * schedule counted from the end of the warm-up.
 */
export class LinearWarmup extends LRScheduler {
  constructor(opt: Optimizer, readonly warmupSteps: number, readonly after?: LRScheduler, readonly startFactor = 0) {
    super(opt);
    if (!(warmupSteps >= 0)) throw new RangeError(`LinearWarmup: warmupSteps must be >= 0, got ${warmupSteps}`);
    this.apply();
  }
  factor(t: number): number {
    if (t < this.warmupSteps) return this.startFactor + ((1 - this.startFactor) * t) / this.warmupSteps;
    return this.after ? this.after.factor(t - this.warmupSteps) : 1;
  }
  override lrFor(base: number, t: number): number {
    if (t < this.warmupSteps || !this.after) return base * this.factor(t);
    return this.after.lrFor(base, t - this.warmupSteps);
  }
}
