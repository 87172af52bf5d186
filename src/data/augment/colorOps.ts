/**
 * RandAugment's colour operations on float images N×3×H×W in [0, 1], batched:
 * every parameter is one value for the batch or one per image (PerImage).
 *
 * Each follows PIL (ImageOps / ImageEnhance), which the authors' RandAugment
 * calls, as torchvision's tensor versions do: the formulas are in the comments.
 * One deliberate difference: PIL rounds to 8 bits after every op; here values
 * stay float between ops, and only the ops defined on 8-bit levels (posterize,
 * equalize) quantise their input to the 1/255 grid first.
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { checkImages } from './images.js';
import { type PerImage, perImageTensor, valueAt } from './params.js';

/** ITU-R 601-2 luma, PIL's "L" conversion: L = 0.299 R + 0.587 G + 0.114 B. */
export const LUMA: readonly [number, number, number] = [0.299, 0.587, 0.114];

/** N×1×H×W luma. */
export function grayscale(x: Tensor): Tensor {
  checkImages(x, 'grayscale');
  return torch.tidy(() =>
    x.narrow(1, 0, 1).mul(LUMA[0]).add_(x.narrow(1, 1, 1).mul(LUMA[1])).add_(x.narrow(1, 2, 1).mul(LUMA[2])),
  );
}

/**
 * PIL's Image.blend(degenerate, image, factor) = degenerate + factor · (image − degenerate),
 * clipped to [0, 1]: factor 0 gives the degenerate image, 1 the original, > 1 extrapolates.
 * `factor` is N×1×1×1; `degenerate` broadcasts to the image (N×1×H×W grey, N×1×1×1 flat, …).
 */
export function blend(degenerate: Tensor, image: Tensor, factor: Tensor): Tensor {
  // factor·image + (1 − factor)·degenerate: one full-size result, updated in place.
  return torch.tidy(() => image.mul(factor).add_(degenerate.mul(factor.rsub(1))).clamp_(0, 1));
}

/** ImageEnhance.Brightness: blend with black, i.e. x · factor. */
export function brightness(x: Tensor, factor: PerImage): Tensor {
  checkImages(x, 'brightness');
  return torch.tidy(() => x.mul(perImageTensor(factor, x.shape[0]!, x.device, 'brightness factor')).clamp_(0, 1));
}

/** ImageEnhance.Color (saturation): blend with the image's own grayscale. */
export function color(x: Tensor, factor: PerImage): Tensor {
  checkImages(x, 'color');
  return torch.tidy(() => blend(grayscale(x), x, perImageTensor(factor, x.shape[0]!, x.device, 'color factor')));
}

/** ImageEnhance.Contrast: blend with a flat image at the mean luma of each image. */
export function contrast(x: Tensor, factor: PerImage): Tensor {
  checkImages(x, 'contrast');
  return torch.tidy(() => {
    // The mean of the luma image is the luma of the channel means (both linear): no grey image needed.
    const m = x.mean([2, 3], true);
    const mean = m.narrow(1, 0, 1).mul(LUMA[0]).add_(m.narrow(1, 1, 1).mul(LUMA[1])).add_(m.narrow(1, 2, 1).mul(LUMA[2]));
    return blend(mean, x, perImageTensor(factor, x.shape[0]!, x.device, 'contrast factor'));
  });
}

/**
 * ImageEnhance.Sharpness: blend with PIL's SMOOTH filter — the 3×3 kernel
 * [[1,1,1],[1,5,1],[1,1,1]] / 13 — whose border pixels stay as in the original
 * (PIL does not filter the one-pixel border).
 */
export function sharpness(x: Tensor, factor: PerImage): Tensor {
  checkImages(x, 'sharpness');
  const [n, , h, w] = x.shape as [number, number, number, number];
  if (h < 3 || w < 3) return torch.tidy(() => x.clone());
  return torch.tidy(() => {
    const k = new Float32Array([1, 1, 1, 1, 5, 1, 1, 1, 1]).map((v) => v / 13);
    let weight = torch.tensor(k, { shape: [1, 1, 3, 3] }).repeat(3, 1, 1, 1);
    if (x.device !== 'cpu') weight = weight.to(x.device);
    const smooth = torch.F.conv2d(x, weight, null, { groups: 3 });
    // Only the interior differs from the original (blend(x, x, f) = x on the border).
    const out = x.clone();
    const inner = (t: Tensor) => t.narrow(2, 1, h - 2).narrow(3, 1, w - 2);
    inner(out).copy_(blend(smooth, inner(x), perImageTensor(factor, n, x.device, 'sharpness factor')));
    return out;
  });
}

/**
 * ImageOps.autocontrast (no cutoff): per image and channel, stretch [min, max]
 * to [0, 1]; a flat channel (max = min) is left as it is.
 */
export function autoContrast(x: Tensor): Tensor {
  checkImages(x, 'autoContrast');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return torch.tidy(() => {
    const flat = x.reshape(n, c, h * w);
    const lo = flat.min(2, true).values.unsqueeze(3);
    const hi = flat.max(2, true).values.unsqueeze(3);
    const range = hi.sub(lo);
    // A flat channel gets offset 0 and scale 1 (unchanged), as in torchvision.
    const flatChannel = range.le(0);
    const offset = lo.maskedFill(flatChannel, 0);
    const scale = range.maskedFill(flatChannel, 1).reciprocal();
    return x.sub(offset).mul_(scale).clamp_(0, 1);
  });
}

/** ImageOps.solarize: invert (1 − x) every value ≥ threshold; threshold > 1 changes nothing. */
export function solarize(x: Tensor, threshold: PerImage): Tensor {
  checkImages(x, 'solarize');
  return torch.tidy(() => {
    const t = perImageTensor(threshold, x.shape[0]!, x.device, 'solarize threshold');
    return torch.where(x.ge(t), x.rsub(1), x);
  });
}

/**
 * ImageOps.posterize: keep the top `bits` bits of each 8-bit level
 * (v & ~(2^(8−bits) − 1)), i.e. floor(v / 2^(8−bits)) · 2^(8−bits), v = round(255 x).
 */
export function posterize(x: Tensor, bits: PerImage): Tensor {
  checkImages(x, 'posterize');
  const n = x.shape[0]!;
  const step = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const b = valueAt(bits, i);
    if (!Number.isInteger(b) || b < 1 || b > 8) throw new RangeError(`posterize: bits must be an integer in 1..8, got ${b}`);
    step[i] = 2 ** (8 - b);
  }
  return torch.tidy(() => {
    const s = perImageTensor(step, n, x.device);
    return x.mul(255).round().div(s).floor().mul_(s).div(255); // ÷255 last: exactly level/255
  });
}

/**
 * ImageOps.equalize per image and channel, as torchvision's tensor version:
 * with h the 256-bin histogram of v = round(255 x) and `total` its sum,
 *   step = floor((total − h[last non-empty bin]) / 255)
 *   lut[i] = min(255, floor((Σ_{j<i} h[j] + floor(step / 2)) / step))
 * and a channel with step = 0 (one or almost one level) maps every level to
 * itself (PIL works on 8-bit levels, so the output is always on the 1/255 grid).
 * All histograms come from one bincount over (image, channel)-offset levels,
 * and all look-ups are one gather from the stacked tables.
 */
export function equalize(x: Tensor): Tensor {
  checkImages(x, 'equalize');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const rows = n * c;
  return torch.tidy(() => {
    // Level + 256·(image, channel) row, formed in float (exact below 2^24), then one cast.
    const offsets = torch.arange(rows, undefined, 1, { dtype: 'float32', device: x.device }).mul(256).reshape(n, c, 1, 1);
    const slots = x.mul(255).round().clamp_(0, 255).add_(offsets).to('int64').flatten();
    const hist = torch.F.bincount(slots, { minlength: rows * 256 }).reshape(rows, 256).to('float64');
    // Tables in float64: counts are exact, and division by zero cannot throw.
    const bins = torch.arange(256, undefined, 1, { device: x.device }).unsqueeze(0);
    const last = torch.where(hist.gt(0), bins, -1).max(1, true).values;
    const step = hist.gather(1, last).rsub(h * w).div(255).floor();
    const below = hist.cumsum(1).sub(hist);
    const mapped = below.add(step.div(2).floor()).div(step.clampMin(1)).floor().clamp(0, 255);
    const lut = torch.where(step.eq(0), bins.to('float64'), mapped).to('float32').div(255);
    return lut.flatten().gather(0, slots).reshape(n, c, h, w);
  });
}
