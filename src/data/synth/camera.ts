/**
 * Camera and light effects applied to the rendered pixels in JS: a directional
 * lighting gradient, Gaussian blur, contrast/brightness/colour cast and sensor
 * noise. Doing these on the raw bytes (instead of SVG gradients and sharp's
 * blur) is several times cheaper at 48–112 px — librsvg's full-image gradient
 * and a separate vips blur stage each cost about as much as drawing the face —
 * and keeps the noise on our own seeded generator.
 */
import { Rng } from './random.js';
import type { Scene } from './scene.js';

/** Applies the scene's camera effects to interleaved RGB bytes of a size×size image, in place. */
export function applyCamera(px: Uint8Array, size: number, scene: Scene): void {
  const n = size * size;
  const f = new Float32Array(n * 3);
  // Lighting: towards white on the lit side, towards black on the other.
  const a = (scene.lightAngle * Math.PI) / 180;
  const cos = Math.cos(a), sin = Math.sin(a), s = scene.lightStrength, half = size / 2;
  for (let y = 0, i = 0; y < size; y++) {
    const ty = (y + 0.5 - half) * sin;
    for (let x = 0; x < size; x++, i += 3) {
      const t = ((x + 0.5 - half) * cos + ty) / half; // about -1.4..1.4, + = shadow side
      let k = t < 0 ? -t * s : t * s * 1.2;
      if (k > 0.9) k = 0.9;
      const add = t < 0 ? 255 * k : 0;
      const keep = 1 - k;
      f[i] = px[i] * keep + add;
      f[i + 1] = px[i + 1] * keep + add;
      f[i + 2] = px[i + 2] * keep + add;
    }
  }
  const sigma = (scene.blur * size) / 100;
  if (sigma >= 0.25) gaussianBlur(f, size, sigma);
  const rng = new Rng(scene.noiseSeed);
  const [c0, c1, c2] = scene.contrast;
  const b = 128 + scene.brightness;
  // Noise: the sum of a 32-bit draw's four bytes is near-Gaussian (Irwin–Hall,
  // mean 510, sd ≈ 147.8) at a fraction of Box–Muller's cost.
  const ns = scene.noise / 147.8;
  const noisy = scene.noise > 0;
  for (let i = 0; i < n * 3; i++) {
    const c = i % 3;
    let v = (c === 0 ? c0 : c === 1 ? c1 : c2) * (f[i] - 128) + b;
    if (noisy) {
      const u = rng.nextUint32();
      v += ((u & 255) + ((u >>> 8) & 255) + ((u >>> 16) & 255) + (u >>> 24) - 510) * ns;
    }
    px[i] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
  }
}

/** Separable Gaussian blur of an interleaved RGB float image, edges clamped. */
function gaussianBlur(f: Float32Array, size: number, sigma: number): void {
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const tmp = new Float32Array(f.length);
  const last = size - 1;
  // Horizontal pass f → tmp, vertical pass tmp → f.
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) {
      let r0 = 0, g0 = 0, b0 = 0;
      for (let j = -r; j <= r; j++) {
        const xx = x + j < 0 ? 0 : x + j > last ? last : x + j;
        const w = k[j + r], p = 3 * (row + xx);
        r0 += w * f[p]; g0 += w * f[p + 1]; b0 += w * f[p + 2];
      }
      const o = 3 * (row + x);
      tmp[o] = r0; tmp[o + 1] = g0; tmp[o + 2] = b0;
    }
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r0 = 0, g0 = 0, b0 = 0;
      for (let j = -r; j <= r; j++) {
        const yy = y + j < 0 ? 0 : y + j > last ? last : y + j;
        const w = k[j + r], p = 3 * (yy * size + x);
        r0 += w * tmp[p]; g0 += w * tmp[p + 1]; b0 += w * tmp[p + 2];
      }
      const o = 3 * (y * size + x);
      f[o] = r0; f[o + 1] = g0; f[o + 2] = b0;
    }
  }
}
