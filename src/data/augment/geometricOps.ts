/**
 * Geometric operations as per-image affine maps, applied to a whole batch with
 * one affineGrid + gridSample.
 *
 * A map is given in pixel coordinates as PIL's Image.transform(AFFINE) takes
 * it: for each OUTPUT point (x, y) the INPUT point it samples,
 *   x_in = a·x + b·y + c,  y_in = d·x + e·y + f,
 * with the origin at the image's top-left corner and pixel centres at
 * (j + ½, i + ½). Points that fall outside the image read 0 (black), PIL's
 * default fill. Resampling is nearest-neighbour by default, PIL's default for
 * rotate and transform (and exact for whole-pixel shifts and quarter turns).
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { checkImages } from './images.js';
import { type PerImage, onDevice, valueAt } from './params.js';

/** [a, b, c, d, e, f]: output point → input point, pixel coordinates. */
export type Affine = [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

export type Interpolation = 'nearest' | 'bilinear';

/** Rotation by `degrees` counter-clockwise (as seen on screen, y down) about the image centre — PIL's Image.rotate. */
export function rotationMap(degrees: number, width: number, height: number): Affine {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = width / 2;
  const cy = height / 2;
  // Sample the input at the output point rotated back (clockwise) about the centre.
  return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy];
}

/** PIL's ShearX as the authors' RandAugment calls it, transform (1, s, 0, 0, 1, 0): about the top-left corner. */
export function shearXMap(s: number): Affine {
  return [1, s, 0, 0, 1, 0];
}

/** PIL's ShearY, transform (1, 0, 0, s, 1, 0). */
export function shearYMap(s: number): Affine {
  return [1, 0, 0, s, 1, 0];
}

/** Moves the content by (+dx, +dy) pixels (right and down). */
export function translationMap(dx: number, dy: number): Affine {
  return [1, 0, -dx, 0, 1, -dy];
}

/** Mirror left–right. */
export function hflipMap(width: number): Affine {
  return [-1, 0, width, 0, 1, 0];
}

/** The map that applies `first`, then `second` to the result (output → input maps compose in reverse). */
export function thenMap(first: Affine, second: Affine): Affine {
  // out(p) = mid(second(p)), mid(q) = in(first(q)) → in(first(second(p))).
  const [a1, b1, c1, d1, e1, f1] = first;
  const [a2, b2, c2, d2, e2, f2] = second;
  return [
    a1 * a2 + b1 * d2, a1 * b2 + b1 * e2, a1 * c2 + b1 * f2 + c1,
    d1 * a2 + e1 * d2, d1 * b2 + e1 * e2, d1 * c2 + e1 * f2 + f1,
  ];
}

/**
 * Pixel-coordinate map → affineGrid's theta (normalised coordinates in
 * [−1, 1], align_corners = false: x = (x_n + 1)·W/2).
 */
export function toTheta(m: Affine, width: number, height: number): number[] {
  const [a, b, c, d, e, f] = m;
  const hw = height / width;
  const wh = width / height;
  return [
    a, b * hw, a + b * hw + (2 * c) / width - 1,
    d * wh, e, d * wh + e + (2 * f) / height - 1,
  ];
}

/** Warps every image by its own map (one per image) with one gridSample; outside reads 0. */
export function warpAffine(x: Tensor, maps: readonly Affine[], interpolation: Interpolation = 'nearest'): Tensor {
  checkImages(x, 'warpAffine');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (maps.length !== n) throw new RangeError(`warpAffine: expected ${n} maps, got ${maps.length}`);
  const theta = new Float32Array(n * 6);
  maps.forEach((m, i) => theta.set(toTheta(m, w, h), i * 6));
  return torch.tidy(() => {
    const t = onDevice(torch.tensor(theta, { shape: [n, 2, 3] }), x.device);
    const grid = torch.F.affineGrid(t, [n, c, h, w], false);
    return torch.F.gridSample(x, grid, { mode: interpolation, paddingMode: 'zeros', alignCorners: false });
  });
}

function perImageMaps(x: Tensor, make: (i: number, w: number, h: number) => Affine): Affine[] {
  const [n, , h, w] = x.shape as [number, number, number, number];
  return Array.from({ length: n }, (_, i) => make(i, w, h));
}

/** Rotate each image by its angle in degrees, counter-clockwise. */
export function rotate(x: Tensor, degrees: PerImage, interpolation: Interpolation = 'nearest'): Tensor {
  checkImages(x, 'rotate');
  return warpAffine(x, perImageMaps(x, (i, w, h) => rotationMap(valueAt(degrees, i), w, h)), interpolation);
}

/** ShearX by factor s (x_in = x + s·y). */
export function shearX(x: Tensor, s: PerImage, interpolation: Interpolation = 'nearest'): Tensor {
  checkImages(x, 'shearX');
  return warpAffine(x, perImageMaps(x, (i) => shearXMap(valueAt(s, i))), interpolation);
}

/** ShearY by factor s (y_in = s·x + y). */
export function shearY(x: Tensor, s: PerImage, interpolation: Interpolation = 'nearest'): Tensor {
  checkImages(x, 'shearY');
  return warpAffine(x, perImageMaps(x, (i) => shearYMap(valueAt(s, i))), interpolation);
}

/** Shift the content by (dx, dy) pixels; uncovered pixels become 0. */
export function translate(x: Tensor, dx: PerImage, dy: PerImage, interpolation: Interpolation = 'nearest'): Tensor {
  checkImages(x, 'translate');
  return warpAffine(x, perImageMaps(x, (i) => translationMap(valueAt(dx, i), valueAt(dy, i))), interpolation);
}

/** Mirror left–right the images whose flag is non-zero (a plain flip; no resampling). */
export function hflip(x: Tensor, flags?: ArrayLike<number | boolean>): Tensor {
  checkImages(x, 'hflip');
  return torch.tidy(() => {
    const flipped = x.flip(3);
    if (!flags) return flipped;
    const n = x.shape[0]!;
    if (flags.length !== n) throw new RangeError(`hflip: expected ${n} flags, got ${flags.length}`);
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = flags[i] ? 1 : 0;
    const m = onDevice(torch.tensor(mask, { shape: [n, 1, 1, 1] }), x.device).to('bool');
    return torch.where(m, flipped, x);
  });
}
