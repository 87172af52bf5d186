/**
 * Cutout (DeVries & Taylor) as the authors' RandAugment applies it after the
 * three ops: a square of side v = u · ½ · S (u uniform in [0, 1)) centred at a
 * uniform point, its top-left corner clamped into the image (x0 = max(0, cx − v/2))
 * and its far side cut at the border, painted with the authors' grey
 * (125, 123, 114)/255 — close to the ImageNet mean, so after normalisation it is
 * nearly zero.
 *
 * fillRects() is the batched painter that random erasing shares.
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { checkImages } from './images.js';
import { onDevice, uniform } from './params.js';
import type { Rng } from '../random.js';

/** The authors' Cutout colour, in [0, 1]. */
export const CUTOUT_FILL: readonly [number, number, number] = [125 / 255, 123 / 255, 114 / 255];

/** A rectangle in pixels, [x0, x1) × [y0, y1); empty when x1 ≤ x0 or y1 ≤ y0. */
export interface Rect { x0: number; y0: number; x1: number; y1: number }

export const NO_RECT: Rect = { x0: 0, y0: 0, x1: 0, y1: 0 };

/**
 * Paints one rectangle per image (empty = untouched) with a constant colour:
 * one mask from broadcast comparisons of row/column indices with per-image bounds.
 */
export function fillRects(x: Tensor, rects: readonly Rect[], fill: number | readonly number[]): Tensor {
  checkImages(x, 'fillRects');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (rects.length !== n) throw new RangeError(`fillRects: expected ${n} rectangles, got ${rects.length}`);
  const colour = typeof fill === 'number' ? new Array<number>(c).fill(fill) : Array.from(fill);
  if (colour.length !== c) throw new RangeError(`fillRects: fill needs ${c} channel values, got ${colour.length}`);
  const bounds = new Float32Array(n * 4);
  rects.forEach((r, i) => bounds.set([r.x0, r.x1, r.y0, r.y1], i * 4));
  return torch.tidy(() => {
    const dev = x.device;
    const b = onDevice(torch.tensor(bounds, { shape: [n, 4, 1, 1] }), dev);
    const cols = torch.arange(w, undefined, 1, { dtype: 'float32', device: dev }).reshape(1, 1, 1, w);
    const rows = torch.arange(h, undefined, 1, { dtype: 'float32', device: dev }).reshape(1, 1, h, 1);
    const inX = cols.ge(b.narrow(1, 0, 1)).logicalAnd(cols.lt(b.narrow(1, 1, 1)));
    const inY = rows.ge(b.narrow(1, 2, 1)).logicalAnd(rows.lt(b.narrow(1, 3, 1)));
    const paint = onDevice(torch.tensor(Float32Array.from(colour), { shape: [1, c, 1, 1] }), dev);
    return torch.where(inX.logicalAnd(inY), paint, x);
  });
}

/** The authors' Cutout rectangle for side `side` centred near (cx, cy) in an S×S image (see the file comment). */
export function cutoutRect(side: number, cx: number, cy: number, width: number, height: number): Rect {
  if (side <= 0) return NO_RECT;
  const x0 = Math.max(0, Math.floor(cx - side / 2));
  const y0 = Math.max(0, Math.floor(cy - side / 2));
  return { x0, y0, x1: Math.min(width, x0 + side), y1: Math.min(height, y0 + side) };
}

export interface CutoutOptions {
  /** Largest side as a fraction of the image side (default 0.5). */
  maxFraction?: number;
  /** Fill colour in [0, 1] (default the authors' grey, CUTOUT_FILL). */
  fill?: number | readonly number[];
}

/** Draws one Cutout square per image: side round(u · maxFraction · S), centre uniform in the image. */
export function sampleCutout(rng: Rng, n: number, width: number, height: number, maxFraction = 0.5): Rect[] {
  return Array.from({ length: n }, () => {
    const side = Math.round(rng.next() * maxFraction * Math.min(width, height));
    return cutoutRect(side, uniform(rng, 0, width), uniform(rng, 0, height), width, height);
  });
}

/** Random Cutout on every image. */
export function cutout(x: Tensor, rng: Rng, opts: CutoutOptions = {}): Tensor {
  checkImages(x, 'cutout');
  const [n, , h, w] = x.shape as [number, number, number, number];
  const frac = opts.maxFraction ?? 0.5;
  if (!(frac >= 0 && frac <= 1)) throw new RangeError(`cutout: maxFraction must be in [0, 1], got ${frac}`);
  return fillRects(x, sampleCutout(rng, n, w, h, frac), opts.fill ?? CUTOUT_FILL);
}
