/**
 * Infinite seeded batch samplers over sample positions 0..n-1. Semi-supervised
 * training counts steps, not epochs, so the labelled and unlabelled streams
 * simply never end; a "pass" is one run through a fresh permutation.
 */
import { Rng, rngFor } from './random.js';

export interface BatchSampler extends Iterable<Int32Array> {
  /** The next batch of sample positions. */
  next(): Int32Array;
}

/**
 * Random order without replacement within a pass; each pass is a new
 * permutation. A batch that reaches the end of a pass continues into the next
 * one, so every batch is full and every sample is seen once per pass.
 */
export class RandomSampler implements BatchSampler {
  private readonly rng: Rng;
  private order: number[] = [];
  private pos = 0;
  /** Completed passes over the data. */
  passes = 0;

  constructor(
    readonly size: number,
    readonly batchSize: number,
    seed: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`sampler needs at least one sample, got ${size}`);
    checkBatchSize(batchSize);
    this.rng = rngFor(seed, 'random-sampler');
    this.reshuffle();
  }

  private reshuffle(): void {
    this.order = this.rng.shuffle(Array.from({ length: this.size }, (_, i) => i));
    this.pos = 0;
  }

  next(): Int32Array {
    const batch = new Int32Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      if (this.pos === this.size) {
        this.passes++;
        this.reshuffle();
      }
      batch[b] = this.order[this.pos++]!;
    }
    return batch;
  }

  *[Symbol.iterator](): Iterator<Int32Array> {
    for (;;) yield this.next();
  }
}

/**
 * Class-balanced sampling with replacement: each draw picks a class uniformly
 * (among classes that have samples), then a sample uniformly within it. Labels
 * below 0 (unlabelled) are never drawn.
 */
export class ClassBalancedSampler implements BatchSampler {
  private readonly rng: Rng;
  private readonly byClass: number[][];

  constructor(
    labels: ArrayLike<number>,
    readonly batchSize: number,
    seed: number,
  ) {
    checkBatchSize(batchSize);
    const groups = new Map<number, number[]>();
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i]!;
      if (l < 0) continue;
      const g = groups.get(l);
      if (g) g.push(i);
      else groups.set(l, [i]);
    }
    if (groups.size === 0) throw new RangeError('class-balanced sampler needs at least one labelled sample');
    this.byClass = [...groups.entries()].sort(([a], [b]) => a - b).map(([, g]) => g);
    this.rng = rngFor(seed, 'class-balanced-sampler');
  }

  /** Number of classes that can be drawn. */
  get classCount(): number {
    return this.byClass.length;
  }

  next(): Int32Array {
    const batch = new Int32Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      const group = this.byClass[this.rng.int(this.byClass.length)]!;
      batch[b] = group[this.rng.int(group.length)]!;
    }
    return batch;
  }

  *[Symbol.iterator](): Iterator<Int32Array> {
    for (;;) yield this.next();
  }
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
}
