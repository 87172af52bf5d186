/**
 * A small seeded PRNG for the synthetic face generator.
 *
 * Why our own: `Math.random` cannot be seeded, and the synthetic datasets must be
 * byte-identical for the same seed on every machine. xoshiro128** is fast, has a
 * 2^128 period and passes the usual statistical batteries; its 128-bit state is
 * filled from one 32-bit seed with splitmix32 so that nearby seeds (1, 2, 3, …)
 * give unrelated streams. Only 32-bit integer ops are used (`Math.imul`, `>>>`),
 * so results do not depend on the platform.
 */

import { splitmix32 } from '../random.js';

/**
 * Hashes a seed and any number of integers or strings into one 32-bit seed.
 * Used to give every sample its own stream (`hashSeed(seed, index)`), so a
 * sample's image does not depend on generation order or concurrency.
 */
export function hashSeed(...parts: Array<number | string>): number {
  let h = 0x6a09e667;
  for (const p of parts) {
    if (typeof p === 'number') {
      // Mix the low and high halves so large indices and negative seeds count too.
      h = splitmix32(h ^ (p | 0));
      h = splitmix32(h ^ Math.floor(p / 4294967296));
    } else {
      for (let i = 0; i < p.length; i++) h = splitmix32(h ^ p.charCodeAt(i));
      h = splitmix32(h ^ p.length);
    }
  }
  return h >>> 0;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second Box–Muller value, kept for the next `normal()` call. */
  private spare: number | undefined;

  constructor(seed: number) {
    let s = seed >>> 0;
    this.a = s = splitmix32(s);
    this.b = s = splitmix32(s);
    this.c = s = splitmix32(s);
    this.d = splitmix32(s);
    // An all-zero state would stay zero forever; splitmix32 cannot produce four zeros, but be safe.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next raw 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Normal(mean, sd) by Box–Muller. */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return mean + sd * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Beta(a, b) for a, b ≥ 1 via two Gamma draws (Marsaglia–Tsang); enough for shaping intensities. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  /** Gamma(shape, 1) for shape ≥ 1 (Marsaglia–Tsang); smaller shapes use the boost u^(1/shape). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || 1e-12, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** An independent child stream named by `label` (e.g. 'identity', 'scene'). */
  fork(label: string | number): Rng {
    return new Rng(hashSeed(this.nextUint32(), label));
  }
}
