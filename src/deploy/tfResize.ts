/**
 * TensorFlow's `resizeBilinear` as face-api calls it (align corners off,
 * half-pixel centres off), fused with face-api's pad-to-square: output pixel
 * i reads source position i · in/out (in float32, as TF computes it), not
 * PyTorch's (i + ½) · in/out − ½, so F.interpolate would shift every pixel.
 * Matching it keeps the LibTorch ports' detections equal to face-api's own.
 *
 * Written as one pass over the RGB bytes rather than as tensor ops: it reads
 * only the 4 source pixels of each output pixel, where padding and resizing
 * with tensors would first copy the whole (padded) photo to floats.
 */
import type { RgbImage } from './detector.js';

/** A rectangle of whole pixels inside an image. */
export interface PixelRect { x: number; y: number; width: number; height: number }

/** Source index and weight of the next one, per output pixel, for `from` → `to` pixels. */
function taps(from: number, to: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const scale = Math.fround(from / to);
  const lo = new Int32Array(to), hi = new Int32Array(to), frac = new Float32Array(to);
  for (let i = 0; i < to; i++) {
    const src = Math.fround(i * scale);
    lo[i] = Math.floor(src);
    hi[i] = Math.min(lo[i]! + 1, from - 1);
    frac[i] = src - lo[i]!;
  }
  return { lo, hi, frac };
}

/**
 * `region` of `image`, padded with black to a square — all of the padding
 * after (right/bottom: `'after'`, face-api's detector input) or split with
 * round(d/2) after and the rest before (`'centred'`, its landmark input) —
 * and resized to `size`²: a 3 × size × size Float32Array (channel-major, 0–255),
 * written at `out[offset…]`.
 */
export function squareResizeTf(image: RgbImage, region: PixelRect, pad: 'after' | 'centred', size: number, out: Float32Array, offset = 0): void {
  const { x: rx, y: ry, width: w, height: h } = region;
  const side = Math.max(w, h);
  const diffX = side - w, diffY = side - h;
  // Where the region starts inside the padded square.
  const ox = pad === 'after' ? 0 : diffX - Math.round(diffX / 2);
  const oy = pad === 'after' ? 0 : diffY - Math.round(diffY / 2);
  const t = taps(side, size);
  const rgb = image.rgb, stride = image.width * 3, plane = size * size;
  /** Byte offset of square pixel (sx, sy)'s red value, or −1 in the padding. */
  const at = (sx: number, sy: number): number => {
    const ix = sx - ox, iy = sy - oy;
    return ix < 0 || iy < 0 || ix >= w || iy >= h ? -1 : (ry + iy) * stride + (rx + ix) * 3;
  };
  for (let i = 0; i < size; i++) {
    const y0 = t.lo[i]!, y1 = t.hi[i]!, fy = t.frac[i]!;
    for (let j = 0; j < size; j++) {
      const x0 = t.lo[j]!, x1 = t.hi[j]!, fx = t.frac[j]!;
      const a = at(x0, y0), b = at(x1, y0), c = at(x0, y1), d = at(x1, y1);
      for (let ch = 0; ch < 3; ch++) {
        const tl = a < 0 ? 0 : rgb[a + ch]!, tr = b < 0 ? 0 : rgb[b + ch]!;
        const bl = c < 0 ? 0 : rgb[c + ch]!, br = d < 0 ? 0 : rgb[d + ch]!;
        const top = tl + (tr - tl) * fx, bottom = bl + (br - bl) * fx;
        out[offset + ch * plane + i * size + j] = top + (bottom - top) * fy;
      }
    }
  }
}
