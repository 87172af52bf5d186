/**
 * Neural-network functions (torch.nn.functional), each a thin call into ATen.
 * Shapes follow PyTorch: images are N×C×H×W.
 */
import { native, type Handle } from './native.js';
import { Tensor } from './tensor.js';

const N = () => native();
const w = (h: Handle) => new Tensor(h);
const pair = (v: number | number[]): number[] => (typeof v === 'number' ? [v, v] : v);
const opt = (t: Tensor | null | undefined) => (t ? t.handle : null);

export type Reduction = 'none' | 'mean' | 'sum';
const REDUCTION: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };
function reduction(r: Reduction | undefined): number {
  const code = REDUCTION[r ?? 'mean'];
  if (code === undefined) throw new TypeError(`reduction must be 'none', 'mean' or 'sum', got '${r}'`);
  return code;
}

export interface Conv2dOptions { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; groups?: number }
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, o: Conv2dOptions = {}): Tensor {
  return w(N().conv2d(x.handle, weight.handle, opt(bias), pair(o.stride ?? 1), pair(o.padding ?? 0), pair(o.dilation ?? 1), o.groups ?? 1));
}

export interface BatchNormOptions { training?: boolean; momentum?: number; eps?: number }
/** Batch normalisation; in training mode the running statistics are updated in place. */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight?: Tensor | null, bias?: Tensor | null, o: BatchNormOptions = {}): Tensor {
  return w(N().batchNorm(x.handle, opt(weight), opt(bias), opt(runningMean), opt(runningVar), o.training ?? false, o.momentum ?? 0.1, o.eps ?? 1e-5));
}

export function layerNorm(x: Tensor, normalizedShape: number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  return w(N().layerNorm(x.handle, normalizedShape, opt(weight), opt(bias), eps));
}

export interface PoolOptions { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; ceilMode?: boolean }
export function maxPool2d(x: Tensor, kernelSize: number | number[], o: PoolOptions = {}): Tensor {
  return w(N().maxPool2d(x.handle, pair(kernelSize), pair(o.stride ?? kernelSize), pair(o.padding ?? 0), pair(o.dilation ?? 1), o.ceilMode ?? false));
}
export function avgPool2d(x: Tensor, kernelSize: number | number[], o: PoolOptions & { countIncludePad?: boolean } = {}): Tensor {
  return w(N().avgPool2d(x.handle, pair(kernelSize), pair(o.stride ?? kernelSize), pair(o.padding ?? 0), o.ceilMode ?? false, o.countIncludePad ?? true));
}
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | number[]): Tensor {
  return w(N().adaptiveAvgPool2d(x.handle, pair(outputSize)));
}

export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return w(N().linear(x.handle, weight.handle, opt(bias)));
}

export function relu(x: Tensor): Tensor { return x.relu(); }
export function sigmoid(x: Tensor): Tensor { return x.sigmoid(); }
export function leakyRelu(x: Tensor, slope = 0.01): Tensor { return w(N().leakyRelu(x.handle, slope)); }
/** max(x, 0) + weight·min(x, 0), weight one slope per channel (dim 1) or a single one; one op forward and backward. */
export function prelu(x: Tensor, weight: Tensor): Tensor { return w(N().prelu(x.handle, weight.handle)); }
export function gelu(x: Tensor): Tensor { return w(N().gelu(x.handle)); }
export function silu(x: Tensor): Tensor { return w(N().silu(x.handle)); }
export function softmax(x: Tensor, dim: number): Tensor { return x.softmax(dim); }
export function logSoftmax(x: Tensor, dim: number): Tensor { return x.logSoftmax(dim); }

/** Elementwise dropout with rescaling by 1/(1−p); identity when not training. */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  if (p < 0 || p > 1) throw new RangeError(`dropout: p must be in [0, 1], got ${p}`);
  return w(N().dropout(x.handle, p, training));
}
/** Zeroes whole channels (N×C×H×W) with probability p (Dropout2d). */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  if (p < 0 || p > 1) throw new RangeError(`dropout2d: p must be in [0, 1], got ${p}`);
  return w(N().featureDropout(x.handle, p, training));
}

export interface CrossEntropyOptions { weight?: Tensor | null; reduction?: Reduction; ignoreIndex?: number; labelSmoothing?: number }
/**
 * Cross-entropy on logits. `target` holds class indices (int64, N) or class
 * probabilities (float, N×C: soft targets such as FERPlus votes).
 */
export function crossEntropy(logits: Tensor, target: Tensor, o: CrossEntropyOptions = {}): Tensor {
  const ls = o.labelSmoothing ?? 0;
  if (ls < 0 || ls > 1) throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1], got ${ls}`);
  return w(N().crossEntropy(logits.handle, target.handle, opt(o.weight), reduction(o.reduction), o.ignoreIndex ?? -100, ls));
}
export function nllLoss(logProbs: Tensor, target: Tensor, o: { weight?: Tensor | null; reduction?: Reduction; ignoreIndex?: number } = {}): Tensor {
  return w(N().nllLoss(logProbs.handle, target.handle, opt(o.weight), reduction(o.reduction), o.ignoreIndex ?? -100));
}
export function mseLoss(input: Tensor, target: Tensor, o: { reduction?: Reduction } = {}): Tensor {
  return w(N().mseLoss(input.handle, target.handle, reduction(o.reduction)));
}
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, o: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  return w(N().bceWithLogits(logits.handle, target.handle, opt(o.weight), opt(o.posWeight), reduction(o.reduction)));
}

/** x / max(‖x‖_p, eps) along `dim` (torch.nn.functional.normalize). */
export function normalize(x: Tensor, o: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  const n = x.norm(o.p ?? 2, o.dim ?? 1, true);
  const d = n.clampMin(o.eps ?? 1e-12);
  n.dispose();
  const out = x.div(d);
  d.dispose();
  return out;
}

export function oneHot(labels: Tensor, numClasses: number): Tensor {
  return w(N().oneHot(labels.handle, numClasses));
}

/** Sampling grid for 2-D affine warps: theta N×2×3 → grid N×H×W×2 in [-1, 1]. */
export function affineGrid(theta: Tensor, size: number[], alignCorners = false): Tensor {
  return w(N().affineGrid(theta.handle, size, alignCorners));
}

const GRID_MODE: Record<string, number> = { bilinear: 0, nearest: 1, bicubic: 2 };
const GRID_PAD: Record<string, number> = { zeros: 0, border: 1, reflection: 2 };
export interface GridSampleOptions { mode?: 'bilinear' | 'nearest' | 'bicubic'; paddingMode?: 'zeros' | 'border' | 'reflection'; alignCorners?: boolean }
export function gridSample(x: Tensor, grid: Tensor, o: GridSampleOptions = {}): Tensor {
  const mode = GRID_MODE[o.mode ?? 'bilinear'];
  const pad = GRID_PAD[o.paddingMode ?? 'zeros'];
  if (mode === undefined) throw new TypeError(`gridSample: mode must be bilinear, nearest or bicubic, got '${o.mode}'`);
  if (pad === undefined) throw new TypeError(`gridSample: paddingMode must be zeros, border or reflection, got '${o.paddingMode}'`);
  return w(N().gridSample(x.handle, grid.handle, mode, pad, o.alignCorners ?? false));
}

export interface InterpolateOptions { size?: number | number[]; scaleFactor?: number; mode?: 'nearest' | 'bilinear' | 'bicubic'; alignCorners?: boolean }
/** Resizes N×C×H×W images to `size`, or by `scaleFactor`. */
export function interpolate(x: Tensor, o: InterpolateOptions): Tensor {
  const shape = x.shape;
  if (shape.length !== 4) throw new TypeError(`interpolate: expected N×C×H×W, got shape [${shape.join(',')}]`);
  let size: number[];
  if (o.size !== undefined) size = pair(o.size);
  else if (o.scaleFactor !== undefined) size = [Math.floor(shape[2] * o.scaleFactor), Math.floor(shape[3] * o.scaleFactor)];
  else throw new TypeError('interpolate: give size or scaleFactor');
  const mode = o.mode ?? 'nearest';
  if (mode === 'nearest') return w(N().upsampleNearest2d(x.handle, size));
  if (mode === 'bilinear') return w(N().upsampleBilinear2d(x.handle, size, o.alignCorners ?? false));
  if (mode === 'bicubic') return w(N().upsampleBicubic2d(x.handle, size, o.alignCorners ?? false));
  throw new TypeError(`interpolate: mode must be nearest, bilinear or bicubic, got '${mode}'`);
}

/** Pads the last dims: `pads` = [left, right, top, bottom, …] as in PyTorch. */
export function pad(x: Tensor, pads: number[], o: { mode?: 'constant' | 'reflect' | 'replicate'; value?: number } = {}): Tensor {
  const mode = o.mode ?? 'constant';
  if (mode === 'constant') return w(N().constantPad(x.handle, pads, o.value ?? 0));
  if (mode === 'reflect') return w(N().reflectionPad2d(x.handle, pads));
  if (mode === 'replicate') return w(N().replicationPad2d(x.handle, pads));
  throw new TypeError(`pad: mode must be constant, reflect or replicate, got '${mode}'`);
}

/** Histogram of values into `bins` equal bins over [min, max] (float tensors). */
export function histc(x: Tensor, bins: number, min = 0, max = 0): Tensor {
  return w(N().histc(x.handle, bins, min, max));
}

/** Counts of each non-negative integer value (int64 tensors), optionally weighted. */
export function bincount(x: Tensor, o: { weights?: Tensor | null; minlength?: number } = {}): Tensor {
  return w(N().bincount(x.handle, opt(o.weights), o.minlength ?? 0));
}
