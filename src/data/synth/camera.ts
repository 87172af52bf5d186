/**
 * Camera and light effects applied to the rendered pixels in JS: a directional
 * lighting gradient, Gaussian blur, contrast/brightness/colour cast and sensor
 * noise. Doing these on the raw bytes (instead of SVG gradients and sharp's
 * blur) is several times cheaper at 48–112 px — librsvg's full-image gradient
 * and a separate vips blur stage each cost about as much as drawing the face —
 * and keeps the noise on our own seeded generator.
 *
 * Works on three float planes (R, G, B) so every inner loop walks contiguous
 * memory or a fixed stride without per-element channel arithmetic.
 */
import { Rng } from './random.js';
import type { Scene } from './scene.js';

/** Applies the scene's camera effects to interleaved RGB bytes of a size×size image, in place. */
export function applyCamera(px: Uint8Array, size: number, scene: Scene): void {
  const n = size * size;
  const planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const [R, G, B] = planes;
  // Lighting: towards white on the lit side, towards black on the other.
  const a = (scene.lightAngle * Math.PI) / 180;
  const cos = Math.cos(a), sin = Math.sin(a), s = scene.lightStrength, half = size / 2;
  for (let y = 0, i = 0; y < size; y++) {
    const ty = (y + 0.5 - half) * sin;
    for (let x = 0; x < size; x++, i++) {
      const t = ((x + 0.5 - half) * cos + ty) / half; // about -1.4..1.4, + = shadow side
      let k = t < 0 ? -t * s : t * s * 1.2;
      if (k > 0.9) k = 0.9;
      const add = t < 0 ? 255 * k : 0;
      const keep = 1 - k;
      R[i] = px[3 * i] * keep + add;
      G[i] = px[3 * i + 1] * keep + add;
      B[i] = px[3 * i + 2] * keep + add;
    }
  }
  const sigma = (scene.blur * size) / 100;
  if (sigma >= 0.25) {
    const kernel = gaussianKernel(sigma, size);
    const tmp = new Float32Array(n);
    for (const p of planes) {
      blurRows(p, tmp, size, kernel);
      blurColumns(tmp, p, size, kernel);
    }
  }
  // Contrast about mid-grey, brightness and a per-channel cast, then noise.
  // Noise: the sum of a 32-bit draw's four bytes is near-Gaussian (Irwin–Hall,
  // mean 510, sd ≈ 147.8) at a fraction of Box–Muller's cost.
  const rng = new Rng(scene.noiseSeed);
  const b = 128 + scene.brightness;
  const ns = scene.noise / 147.8;
  for (let c = 0; c < 3; c++) {
    const plane = planes[c], gain = scene.contrast[c];
    for (let i = 0; i < n; i++) {
      let v = gain * (plane[i] - 128) + b;
      if (ns > 0) {
        const u = rng.nextUint32();
        v += ((u & 255) + ((u >>> 8) & 255) + ((u >>> 16) & 255) + (u >>> 24) - 510) * ns;
      }
      px[3 * i + c] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
    }
  }
}

function gaussianKernel(sigma: number, size: number): Float32Array {
  const r = Math.min(Math.max(1, Math.ceil(2.5 * sigma)), size - 1);
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Horizontal 1-D blur, edges clamped; the interior needs no index clamping. */
function blurRows(src: Float32Array, dst: Float32Array, size: number, k: Float32Array): void {
  const r = (k.length - 1) >> 1, last = size - 1;
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) {
      let acc = 0;
      if (x >= r && x <= last - r) {
        for (let j = 0, p = row + x - r; j < k.length; j++, p++) acc += k[j] * src[p];
      } else {
        for (let j = -r; j <= r; j++) acc += k[j + r] * src[row + Math.min(Math.max(x + j, 0), last)];
      }
      dst[row + x] = acc;
    }
  }
}

/** Vertical 1-D blur: accumulates whole rows at a time, so memory is read in order. */
function blurColumns(src: Float32Array, dst: Float32Array, size: number, k: Float32Array): void {
  const r = (k.length - 1) >> 1, last = size - 1;
  for (let y = 0; y < size; y++) {
    const out = y * size;
    dst.fill(0, out, out + size);
    for (let j = -r; j <= r; j++) {
      const w = k[j + r], row = Math.min(Math.max(y + j, 0), last) * size;
      for (let x = 0; x < size; x++) dst[out + x] += w * src[row + x];
    }
  }
}
