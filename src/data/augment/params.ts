/**
 * Per-image parameters and the random numbers behind them.
 *
 * Every augmentation draws its random decisions (which op, which magnitude,
 * where a crop lands, the Gaussian noise itself) from a seeded JS `Rng`, never
 * from LibTorch's default generator. That generator is one per process and
 * shared by all threads: the loader's worker reseeding it for every batch would
 * change the training thread's dropout stream and make both depend on thread
 * timing. The decisions are a few numbers per image, so drawing them in JS
 * costs nothing; only the Gaussian noise is per pixel (see normals()).
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { Rng } from '../random.js';

/** One value for the whole batch, or one per image. */
export type PerImage = number | ArrayLike<number>;

/** The value for image `i`. */
export function valueAt(v: PerImage, i: number): number {
  return typeof v === 'number' ? v : v[i]!;
}

/** A per-image value as a float32 N×1×1×1 tensor on `device` (broadcasts over C×H×W). */
export function perImageTensor(v: PerImage, n: number, device: string, name = 'value'): Tensor {
  const a = new Float32Array(n);
  if (typeof v === 'number') a.fill(v);
  else {
    if (v.length !== n) throw new RangeError(`${name}: expected one value per image (${n}), got ${v.length}`);
    for (let i = 0; i < n; i++) a[i] = v[i]!;
  }
  return onDevice(torch.tensor(a, { shape: [n, 1, 1, 1] }), device);
}

/** Moves a freshly made CPU tensor to `device` (no-op on CPU). */
export function onDevice(t: Tensor, device: string): Tensor {
  if (device === 'cpu') return t;
  return torch.tidy(() => t.to(device));
}

/** Positions as an int64 index tensor on `device`. */
export function indexTensor(positions: ArrayLike<number>, device: string): Tensor {
  return torch.tensor(Int32Array.from(positions), { dtype: 'int64', device });
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** `count` standard-normal draws times `std` (Box–Muller on the seeded Rng). */
export function normals(rng: Rng, count: number, std = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u1 = 1 - rng.next(); // (0, 1]: log(u1) is finite
    const u2 = rng.next();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    const a = 2 * Math.PI * u2;
    out[i] = r * Math.cos(a);
    if (i + 1 < count) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/**
 * A 32-bit seed from several integers (a seed, a step, a stream number, …):
 * murmur3's finaliser after each part, so (seed, step) and (seed, step + 1)
 * give unrelated streams.
 */
export function mixSeeds(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Split numbers above 2^32 into two words so large steps stay distinct.
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    for (const word of [lo, hi]) {
      h = Math.imul(h ^ word, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}
