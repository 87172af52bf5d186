/**
 * A small seeded pseudo-random generator for everything in the data layer that
 * must be reproducible from `--seed`: label splits, holdouts, k-fold, label noise
 * and samplers. Math.random cannot be seeded, so it is never used here.
 *
 * The generator is splitmix32 (a 32-bit variant of Steele et al.'s SplitMix):
 * one 32-bit state, passes the usual statistical smoke tests, and is trivially
 * portable, which is all a data split needs.
 */
/** The largest seed the generators tell apart: seeds are taken modulo 2^32, so --seed options stop here. */
export const SEED_MAX = 2 ** 32 - 1;

/** One step of splitmix32 from state x: its 32-bit output (the next state is x + 0x9e3779b9). Also a good mixer for seeding and hashing. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds (0, 1, 2, …) start far apart.
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    this.nextUint32();
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const z = splitmix32(this.state);
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return z;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), without modulo bias (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}

/** A fresh generator derived from a seed and a purpose, so two uses of one seed do not share a stream. */
export function rngFor(seed: number, purpose: string): Rng {
  let h = 0x811c9dc5; // FNV-1a over the purpose string
  for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193);
  return new Rng((Math.floor(seed) ^ h) >>> 0);
}

/** The integers 0..n-1 in a seeded random order. */
export function permutation(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  return rng.shuffle(a);
}
