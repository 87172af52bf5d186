/**
 * The weak augmentation of every method here: torchvision's
 * RandomApply([RandomCrop(S, padding=8)], p=0.5) then RandomHorizontalFlip(0.5).
 *
 * RandomCrop pads with zeros (its default fill, not reflection) and picks the
 * crop's corner uniformly in 0..2·padding, so a cropped image is the original
 * shifted by (j − 8, i − 8) whole pixels with black where it left the frame.
 * Shift and flip together are one whole-pixel affine map per image, applied to
 * the batch in one nearest-neighbour gridSample: an exact copy of the pixels.
 */
import type { Tensor } from '../../torch/index.js';
import type { Rng } from '../random.js';
import { type Affine, hflipMap, IDENTITY, thenMap, translationMap, warpAffine } from './geometricOps.js';
import { checkImages } from './images.js';

/** The random crop's zero padding when none is given: the authors' 8 px (docs/methods.md §1). */
export const DEFAULT_WEAK_PADDING = 8;

export interface WeakOptions {
  /** Zero padding of the random crop, pixels (default DEFAULT_WEAK_PADDING). */
  padding?: number;
  /** Probability that an image is cropped (default 0.5). */
  cropProb?: number;
  /** Probability that an image is mirrored (default 0.5). */
  flipProb?: number;
}

/** One image's weak transform: the crop's shift (0, 0 when not cropped) and whether it is mirrored. */
export interface WeakParams { dx: number; dy: number; flip: boolean }

export function checkWeakOptions(o: WeakOptions): Required<WeakOptions> {
  const padding = o.padding ?? DEFAULT_WEAK_PADDING;
  const cropProb = o.cropProb ?? 0.5;
  const flipProb = o.flipProb ?? 0.5;
  if (!Number.isInteger(padding) || padding < 0) throw new RangeError(`weak augmentation: padding must be a non-negative integer, got ${padding}`);
  for (const [name, p] of [['cropProb', cropProb], ['flipProb', flipProb]] as const) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`weak augmentation: ${name} must be in [0, 1], got ${p}`);
  }
  return { padding, cropProb, flipProb };
}

/** Draws each image's crop shift in −padding..padding (when cropped) and flip. */
export function sampleWeak(rng: Rng, n: number, opts: WeakOptions = {}): WeakParams[] {
  const o = checkWeakOptions(opts);
  return Array.from({ length: n }, () => {
    const crop = rng.next() < o.cropProb;
    // RandomCrop's corner (i, j) is uniform in 0..2·padding of the padded image.
    const dx = crop ? rng.int(2 * o.padding + 1) - o.padding : 0;
    const dy = crop ? rng.int(2 * o.padding + 1) - o.padding : 0;
    return { dx, dy, flip: rng.next() < o.flipProb };
  });
}

/** The output → input map: crop (sample the input at (x + dx, y + dy)) then mirror. */
export function weakMap(p: WeakParams, width: number): Affine {
  const crop = p.dx === 0 && p.dy === 0 ? IDENTITY : translationMap(-p.dx, -p.dy);
  return p.flip ? thenMap(crop, hflipMap(width)) : crop;
}

/** Applies given weak parameters (one per image). */
export function applyWeak(x: Tensor, params: readonly WeakParams[]): Tensor {
  checkImages(x, 'weak');
  const w = x.shape[3]!;
  return warpAffine(x, params.map((p) => weakMap(p, w)), 'nearest');
}

/** Random weak augmentation of every image. */
export function weak(x: Tensor, rng: Rng, opts: WeakOptions = {}): Tensor {
  checkImages(x, 'weak');
  return applyWeak(x, sampleWeak(rng, x.shape[0]!, opts));
}
