/**
 * The named pipelines the methods ask for:
 *   'none'   → the images as float in [0, 1]
 *   'weak'   → crop (p = ½, 8-px zero padding) + flip (p = ½)
 *   'strong' → RandAugment (3 of 14) → Cutout (up to ½ side) → weak
 *   'scn'    → flip or Gaussian noise (p = ½) → random erasing
 * Input uint8 (0..255) or float32 (0..1) N×3×H×W; output float32 in [0, 1],
 * not normalised (normalize.ts does that last). Random decisions come from a
 * seeded Rng: pass one per call (the loader does, per batch and view), or let
 * the pipeline use its own stream seeded from `seed`.
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { Rng } from '../random.js';
import { type CutoutOptions, cutout } from './cutout.js';
import { asFloat01, checkImages } from './images.js';
import { checkScnOptions, type ScnOptions, scnAugment } from './noise.js';
import { checkRandAugmentOptions, randAugment, type RandAugmentOptions } from './randAugment.js';
import { checkWeakOptions, weak, type WeakOptions } from './weak.js';

export type AugmentKind = 'none' | 'weak' | 'strong' | 'scn';
export const AUGMENT_KINDS: readonly AugmentKind[] = ['none', 'weak', 'strong', 'scn'];

export interface AugmentOptions {
  /** Expected image side; checked on every call when given. */
  size?: number;
  /** Seed of the pipeline's own random stream, used when a call passes no Rng (default 0). */
  seed?: number;
  weak?: WeakOptions;
  randAugment?: RandAugmentOptions;
  cutout?: CutoutOptions | false;
  scn?: ScnOptions;
}

/** An augmentation: images in, augmented float images in [0, 1] out (owned by the caller's scope). */
export type Augment = (x: Tensor, rng?: Rng) => Tensor;

/** Throws on options that would fail later (so a loader's worker reports them before its first batch). */
export function checkAugmentOptions(kind: AugmentKind, o: AugmentOptions): void {
  if (!AUGMENT_KINDS.includes(kind)) throw new RangeError(`unknown augmentation '${String(kind)}'; expected one of ${AUGMENT_KINDS.join(', ')}`);
  if (o.size !== undefined && !(Number.isInteger(o.size) && o.size > 0)) throw new RangeError(`augmentation size must be a positive integer, got ${o.size}`);
  checkWeakOptions(o.weak ?? {});
  checkRandAugmentOptions(o.randAugment ?? {});
  if (o.cutout) {
    const f = o.cutout.maxFraction ?? 0.5;
    if (!(f >= 0 && f <= 1)) throw new RangeError(`cutout: maxFraction must be in [0, 1], got ${f}`);
  }
  checkScnOptions(o.scn ?? {});
}

export function buildAugment(kind: AugmentKind, opts: AugmentOptions = {}): Augment {
  checkAugmentOptions(kind, opts);
  const own = new Rng(opts.seed ?? 0);
  const size = opts.size;
  const body = ((): ((x: Tensor, rng: Rng) => Tensor) => {
    switch (kind) {
      case 'none': return (x) => x.clone();
      case 'weak': return (x, rng) => weak(x, rng, opts.weak);
      case 'strong': return (x, rng) => {
        let y = randAugment(x, rng, opts.randAugment);
        if (opts.cutout !== false) y = cutout(y, rng, opts.cutout ?? {});
        return weak(y, rng, opts.weak);
      };
      case 'scn': return (x, rng) => scnAugment(x, rng, opts.scn);
    }
  })();
  return (x: Tensor, rng?: Rng): Tensor => {
    checkImages(x, `augment '${kind}'`);
    const [, , h, w] = x.shape as [number, number, number, number];
    if (size !== undefined && (h !== size || w !== size)) throw new RangeError(`augment '${kind}': expected ${size}×${size} images, got ${h}×${w}`);
    return torch.tidy(() => body(asFloat01(x), rng ?? own));
  };
}
