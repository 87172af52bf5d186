/**
 * SCN's augmentation (Wang et al., CVPR 2020, authors' code): with probability
 * ½ an image gets one basic augmentation, a horizontal flip or additive
 * Gaussian noise (one of the two, equally likely); then torchvision's
 * RandomErasing.
 *
 * Noise: x + N(0, σ²) per pixel and channel, clipped to [0, 1]; σ = 0.05 by
 * default (the authors' add_gaussian_noise uses var 30 on 0–255, σ ≈ 0.021).
 *
 * RandomErasing (torchvision's defaults): with probability p = 0.5, up to 10
 * tries of an area fraction in scale = (0.02, 0.33) and a log-uniform aspect
 * ratio in (0.3, 3.3); h = round(√(area·r)), w = round(√(area/r)); the first
 * that fits strictly inside the image is placed uniformly and filled; if none
 * fits the image is left alone. SCN erases AFTER Normalize with value 0; here
 * erasing happens before normalisation, so the default fill is the ImageNet
 * mean, which normalises to exactly that 0.
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import type { Rng } from '../random.js';
import { fillRects, NO_RECT, type Rect } from './cutout.js';
import { hflip } from './geometricOps.js';
import { asFloat01, checkImages } from './images.js';
import { IMAGENET_MEAN } from './normalize.js';
import { indexTensor, normals, onDevice, uniform } from './params.js';

export interface RandomErasingOptions {
  /** Probability of erasing an image (default 0.5). */
  p?: number;
  /** Erased area as a fraction of the image (default [0.02, 0.33]). */
  scale?: readonly [number, number];
  /** Aspect ratio h/w range, drawn log-uniformly (default [0.3, 3.3]). */
  ratio?: readonly [number, number];
  /** Fill in [0, 1]: a number or one per channel (default the ImageNet mean; see the file comment). */
  value?: number | readonly number[];
}

export interface ScnOptions {
  /** Probability that an image gets flip-or-noise (default 0.5). */
  basicProb?: number;
  /** Gaussian noise σ on the [0, 1] scale (default 0.05). */
  noiseStd?: number;
  /** RandomErasing options; `false` turns erasing off. */
  erasing?: RandomErasingOptions | false;
}

function checkProb(name: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${p}`);
  return p;
}

function checkRange(name: string, r: readonly [number, number], positive: boolean): readonly [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !(r[0] <= r[1]) || (positive && !(r[0] > 0))) {
    throw new RangeError(`${name} must be [lo, hi] with lo ≤ hi${positive ? ' and lo > 0' : ''}, got ${JSON.stringify(r)}`);
  }
  return r;
}

export function checkErasingOptions(o: RandomErasingOptions): Required<RandomErasingOptions> {
  return {
    p: checkProb('random erasing: p', o.p ?? 0.5),
    scale: checkRange('random erasing: scale', o.scale ?? [0.02, 0.33], true),
    ratio: checkRange('random erasing: ratio', o.ratio ?? [0.3, 3.3], true),
    value: o.value ?? IMAGENET_MEAN,
  };
}

export function checkScnOptions(o: ScnOptions): { basicProb: number; noiseStd: number; erasing: Required<RandomErasingOptions> | false } {
  const noiseStd = o.noiseStd ?? 0.05;
  if (!(noiseStd >= 0 && Number.isFinite(noiseStd))) throw new RangeError(`SCN augmentation: noiseStd must be a finite number ≥ 0, got ${noiseStd}`);
  return {
    basicProb: checkProb('SCN augmentation: basicProb', o.basicProb ?? 0.5),
    noiseStd,
    erasing: o.erasing === false ? false : checkErasingOptions(o.erasing ?? {}),
  };
}

/** Adds N(0, std²) noise to the images whose flag is set (all when no flags), clipped to [0, 1]. */
export function gaussianNoise(x: Tensor, rng: Rng, std: number, flags?: ArrayLike<number | boolean>): Tensor {
  checkImages(x, 'gaussianNoise');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const positions: number[] = [];
  for (let i = 0; i < n; i++) if (!flags || flags[i]) positions.push(i);
  return torch.tidy(() => {
    const f = asFloat01(x);
    if (positions.length === 0 || std === 0) return f === x ? x.clone() : f;
    const noise = onDevice(torch.tensor(normals(rng, positions.length * c * h * w, std), { shape: [positions.length, c, h, w] }), x.device);
    if (positions.length === n) return f.add(noise).clamp(0, 1);
    const idx = indexTensor(positions, x.device);
    const out = f === x ? x.clone() : f;
    return out.indexPut_([idx], out.indexSelect(0, idx).add(noise).clamp(0, 1));
  });
}

/** torchvision RandomErasing.get_params for one H×W image (NO_RECT when it does not erase). */
export function sampleErasingRect(rng: Rng, width: number, height: number, o: Required<RandomErasingOptions>): Rect {
  if (rng.next() >= o.p) return NO_RECT;
  const area = width * height;
  const logLo = Math.log(o.ratio[0]);
  const logHi = Math.log(o.ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const eraseArea = area * uniform(rng, o.scale[0], o.scale[1]);
    const aspect = Math.exp(uniform(rng, logLo, logHi));
    const h = Math.round(Math.sqrt(eraseArea * aspect));
    const w = Math.round(Math.sqrt(eraseArea / aspect));
    if (!(h < height && w < width)) continue;
    const y0 = rng.int(height - h + 1);
    const x0 = rng.int(width - w + 1);
    return { x0, y0, x1: x0 + w, y1: y0 + h };
  }
  return NO_RECT;
}

/** Random erasing of every image (each with probability p). */
export function randomErasing(x: Tensor, rng: Rng, opts: RandomErasingOptions = {}): Tensor {
  checkImages(x, 'randomErasing');
  const o = checkErasingOptions(opts);
  const [n, , h, w] = x.shape as [number, number, number, number];
  const rects = Array.from({ length: n }, () => sampleErasingRect(rng, w, h, o));
  return torch.tidy(() => fillRects(asFloat01(x), rects, o.value));
}

/** The SCN augmentation of every image (see the file comment). */
export function scnAugment(x: Tensor, rng: Rng, opts: ScnOptions = {}): Tensor {
  checkImages(x, 'SCN augmentation');
  const o = checkScnOptions(opts);
  const n = x.shape[0]!;
  const flip = new Uint8Array(n);
  const noise = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (rng.next() >= o.basicProb) continue;
    if (rng.int(2) === 0) flip[i] = 1;
    else noise[i] = 1;
  }
  return torch.tidy(() => {
    let y = hflip(asFloat01(x), flip);
    y = gaussianNoise(y, rng, o.noiseStd, noise);
    return o.erasing ? randomErasing(y, rng, o.erasing) : y;
  });
}
