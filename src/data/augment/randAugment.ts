/**
 * RandAugment as in the Ada-CM authors' code (FixMatch's variant): each image
 * gets `numOps` (3) operations drawn uniformly with replacement from the 14
 * below, each with its own magnitude m uniform in [0, 1] mapped linearly onto
 * the op's range, and every drawn op is applied (no extra coin flip).
 *
 * Ranges (the authors' augment_list, in PIL's units):
 *   AutoContrast, Equalize, Identity   no parameter
 *   Brightness, Color, Contrast, Sharpness   enhance factor in [0.05, 0.95]
 *   Posterize    bits = max(1, trunc(v)), v in [4, 8]
 *   Rotate       [−30°, 30°], counter-clockwise
 *   ShearX/Y     [−0.3, 0.3]
 *   Solarize     threshold in [0, 256] levels
 *   TranslateX/Y [−0.3, 0.3] of the side (PIL's sign: positive moves the content left/up)
 *
 * Batched: in each of the `numOps` rounds the images are grouped by the op they
 * drew; each colour group is one call on its index-selected images, and all
 * geometric ops of a round together are one affine gridSample.
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import type { Rng } from '../random.js';
import { autoContrast, brightness, color, contrast, equalize, posterize, sharpness, solarize } from './colorOps.js';
import { type Affine, type Interpolation, rotationMap, shearXMap, shearYMap, translationMap, warpAffine } from './geometricOps.js';
import { asFloat01, checkImages } from './images.js';
import { indexTensor } from './params.js';

export const RAND_AUGMENT_OPS = [
  'autoContrast', 'brightness', 'color', 'contrast', 'equalize', 'identity', 'posterize',
  'rotate', 'sharpness', 'shearX', 'shearY', 'solarize', 'translateX', 'translateY',
] as const;
export type RandAugmentOp = (typeof RAND_AUGMENT_OPS)[number];

/** Each op's parameter range [at m = 0, at m = 1], from the authors' augment_list. */
export const RAND_AUGMENT_RANGES: Readonly<Record<RandAugmentOp, readonly [number, number]>> = {
  autoContrast: [0, 1], brightness: [0.05, 0.95], color: [0.05, 0.95], contrast: [0.05, 0.95],
  equalize: [0, 1], identity: [0, 1], posterize: [4, 8], rotate: [-30, 30], sharpness: [0.05, 0.95],
  shearX: [-0.3, 0.3], shearY: [-0.3, 0.3], solarize: [0, 256], translateX: [-0.3, 0.3], translateY: [-0.3, 0.3],
};

const GEOMETRIC: ReadonlySet<RandAugmentOp> = new Set(['rotate', 'shearX', 'shearY', 'translateX', 'translateY']);

/** One drawn operation. */
export interface RandAugmentStep { op: RandAugmentOp; magnitude: number }
/** Per image, its operations in order. */
export type RandAugmentPlan = RandAugmentStep[][];

export interface RandAugmentOptions {
  /** Operations per image (default 3). */
  numOps?: number;
  /** The pool to draw from (default all 14). */
  ops?: readonly RandAugmentOp[];
  /** Resampling of the geometric ops (default nearest, as PIL). */
  interpolation?: Interpolation;
}

/** The op's parameter at magnitude m ∈ [0, 1], in PIL's units (see the table above). */
export function opValue(op: RandAugmentOp, magnitude: number): number {
  const [lo, hi] = RAND_AUGMENT_RANGES[op];
  return lo + (hi - lo) * magnitude;
}

export function checkRandAugmentOptions(o: RandAugmentOptions): { numOps: number; ops: readonly RandAugmentOp[]; interpolation: Interpolation } {
  const numOps = o.numOps ?? 3;
  const ops = o.ops ?? RAND_AUGMENT_OPS;
  if (!Number.isInteger(numOps) || numOps < 0) throw new RangeError(`RandAugment: numOps must be a non-negative integer, got ${numOps}`);
  if (ops.length === 0) throw new RangeError('RandAugment: the op pool is empty');
  for (const op of ops) if (!(op in RAND_AUGMENT_RANGES)) throw new RangeError(`RandAugment: unknown op '${op}'; known: ${RAND_AUGMENT_OPS.join(', ')}`);
  const interpolation = o.interpolation ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') throw new RangeError(`RandAugment: interpolation must be nearest or bilinear, got '${interpolation}'`);
  return { numOps, ops, interpolation };
}

/** Draws every image's ops and magnitudes. */
export function sampleRandAugment(rng: Rng, n: number, opts: RandAugmentOptions = {}): RandAugmentPlan {
  const { numOps, ops } = checkRandAugmentOptions(opts);
  return Array.from({ length: n }, () =>
    Array.from({ length: numOps }, () => {
      const op = ops[rng.int(ops.length)]!;
      return { op, magnitude: rng.next() };
    }),
  );
}

/** A geometric step's output → input map. */
function geometricMap(step: RandAugmentStep, width: number, height: number): Affine {
  const v = opValue(step.op, step.magnitude);
  switch (step.op) {
    case 'rotate': return rotationMap(v, width, height);
    case 'shearX': return shearXMap(v);
    case 'shearY': return shearYMap(v);
    // PIL's transform (1, 0, v·W, 0, 1, 0) samples x + v·W: the content moves by −v·W.
    case 'translateX': return translationMap(-v * width, 0);
    case 'translateY': return translationMap(0, -v * height);
    default: throw new Error(`not a geometric op: ${step.op}`);
  }
}

/** A colour op on a group of images, each with its own value (PIL units). */
function colourOp(op: RandAugmentOp, x: Tensor, values: number[]): Tensor {
  switch (op) {
    case 'autoContrast': return autoContrast(x);
    case 'equalize': return equalize(x);
    case 'brightness': return brightness(x, values);
    case 'color': return color(x, values);
    case 'contrast': return contrast(x, values);
    case 'sharpness': return sharpness(x, values);
    case 'posterize': return posterize(x, values.map((v) => Math.min(8, Math.max(1, Math.trunc(v)))));
    // Levels ≥ threshold are inverted; on the [0, 1] scale the threshold is v / 255.
    case 'solarize': return solarize(x, values.map((v) => v / 255));
    default: throw new Error(`not a colour op: ${op}`);
  }
}

/** Replaces the images at `positions` of `target` (in place) with `fn` of them. */
function updateGroup(target: Tensor, positions: number[], fn: (sub: Tensor) => Tensor): void {
  torch.tidy(() => {
    if (positions.length === target.shape[0]) {
      target.copy_(fn(target));
      return;
    }
    const idx = indexTensor(positions, target.device);
    target.indexPut_([idx], fn(target.indexSelect(0, idx)));
  });
}

/** Applies a given plan (one list of steps per image; lists may differ in length). */
export function applyRandAugment(x: Tensor, plan: RandAugmentPlan, interpolation: Interpolation = 'nearest'): Tensor {
  checkImages(x, 'RandAugment');
  const [n, , h, w] = x.shape as [number, number, number, number];
  if (plan.length !== n) throw new RangeError(`RandAugment: expected a plan for ${n} images, got ${plan.length}`);
  const rounds = Math.max(0, ...plan.map((p) => p.length));
  return torch.tidy(() => {
    const f = asFloat01(x);
    const out = f === x ? x.clone() : f; // our own copy, updated in place group by group
    for (let r = 0; r < rounds; r++) {
      const geo: number[] = [];
      const maps: Affine[] = [];
      const groups = new Map<RandAugmentOp, { positions: number[]; values: number[] }>();
      for (let i = 0; i < n; i++) {
        const step = plan[i]![r];
        if (!step || step.op === 'identity') continue;
        if (!(step.op in RAND_AUGMENT_RANGES)) throw new RangeError(`RandAugment: unknown op '${step.op}'`);
        if (GEOMETRIC.has(step.op)) {
          geo.push(i);
          maps.push(geometricMap(step, w, h));
          continue;
        }
        let g = groups.get(step.op);
        if (!g) groups.set(step.op, (g = { positions: [], values: [] }));
        g.positions.push(i);
        g.values.push(opValue(step.op, step.magnitude));
      }
      if (geo.length) updateGroup(out, geo, (sub) => warpAffine(sub, maps, interpolation));
      for (const [op, g] of groups) updateGroup(out, g.positions, (sub) => colourOp(op, sub, g.values));
    }
    return out;
  });
}

/** Random RandAugment of every image. */
export function randAugment(x: Tensor, rng: Rng, opts: RandAugmentOptions = {}): Tensor {
  checkImages(x, 'RandAugment');
  const o = checkRandAugmentOptions(opts);
  return applyRandAugment(x, sampleRandAugment(rng, x.shape[0]!, o), o.interpolation);
}
