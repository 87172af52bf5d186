/**
 * Aligning a detected face "the way the training data was": a square crop in
 * which the eyes are level and the face fills most of the image, like RAF-DB's
 * aligned set (100×100, similarity-aligned on facial landmarks, docs/methods.md)
 * and like semifer's synthetic faces (src/data/synth), which are drawn in the
 * same framing.
 *
 * The template (fractions of the crop's side, x to the right, y down):
 *
 *     eye on the image's left   (0.33, 0.415)
 *     eye on the image's right  (0.67, 0.415)
 *     mouth centre              (0.50, 0.69)
 *
 * These are the synthetic generator's average face (identity.ts/layout.ts:
 * eyes at y = 38.5–44.5 and 15–19 either side of the centre, mouth ≈ 27 below
 * the eyes, in a 100-unit square). Real faces are longer than the drawn ones —
 * eye-to-mouth ≈ 1.15 × the eye distance, against 0.8 here — so no similarity
 * maps all three points exactly. The transform is therefore:
 *
 *   - rotation: from the eye line alone, so the eyes always come out level;
 *   - scale and shift: least squares over the three points (given that
 *     rotation), which for a real face puts the eyes ≈ 0.28 of the side apart
 *     at y ≈ 0.40 and the mouth at y ≈ 0.72 — forehead and chin inside the
 *     crop, the way RAF-DB's aligned images look.
 *
 * Pixels are resampled in JS: bilinear, with k × k supersampling when the face
 * is larger than the crop (k = ⌈source px per output px⌉, at most 16) so that
 * shrinking a big face averages its pixels instead of aliasing. Points outside
 * the photo take the nearest edge pixel (a face at the border is stretched,
 * not cut by a black band the model never saw in training).
 *
 * Coordinates are continuous pixel coordinates: pixel (i, j) covers
 * [i, i+1) × [j, j+1), its centre is (i + 0.5, j + 0.5) — face-api's convention.
 *
 * `semifer serve` sends this file's compiled JS to the browser as it is (the
 * page crops faces with the same code), so it must stay free of Node imports:
 * type-only imports, no `node:` modules, no sharp.
 */
import type { Point, RgbImage } from './detector.js';

export interface FacePoints {
  eyeLeft: Point;
  eyeRight: Point;
  mouth: Point;
}

/**
 * The alignment points of a 68-point markup in iBUG 300-W / Multi-PIE order
 * (face-api's landmarks, CK+'s AAM landmarks): the eye centres are the means of
 * points 36–41 and 42–47, the mouth centre the mean of the outer lip, 48–59.
 */
export function facePointsFrom68(landmarks: readonly Point[]): FacePoints {
  if (landmarks.length !== 68) throw new RangeError(`alignment: expected 68 landmarks, got ${landmarks.length}`);
  return { eyeLeft: meanPoint(landmarks.slice(36, 42)), eyeRight: meanPoint(landmarks.slice(42, 48)), mouth: meanPoint(landmarks.slice(48, 60)) };
}

function meanPoint(points: readonly Point[]): Point {
  let x = 0, y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

/** Template positions as fractions of the crop's side. */
export const FACE_TEMPLATE: Readonly<FacePoints> = {
  eyeLeft: [0.33, 0.415],
  eyeRight: [0.67, 0.415],
  mouth: [0.5, 0.69],
};

/** out = [a −b; b a] · p + t: rotation by atan2(b, a), scale √(a² + b²). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return [t.a * p[0] - t.b * p[1] + t.tx, t.b * p[0] + t.a * p[1] + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  const a = t.a / d, b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** The transform from photo coordinates to a size × size crop (see the file comment). */
export function fitSimilarity(face: FacePoints, size: number, template: Readonly<FacePoints> = FACE_TEMPLATE): Similarity {
  const src = [face.eyeLeft, face.eyeRight, face.mouth];
  const dst = [template.eyeLeft, template.eyeRight, template.mouth].map((p): Point => [p[0] * size, p[1] * size]);
  if (!src.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) throw new RangeError('alignment: landmark coordinates must be finite numbers');
  const ex = face.eyeRight[0] - face.eyeLeft[0], ey = face.eyeRight[1] - face.eyeLeft[1];
  if (Math.hypot(ex, ey) < 1) throw new RangeError('alignment: the eyes are less than a pixel apart');
  const tex = dst[1]![0] - dst[0]![0], tey = dst[1]![1] - dst[0]![1];
  const angle = Math.atan2(tey, tex) - Math.atan2(ey, ex);
  const c = Math.cos(angle), s = Math.sin(angle);
  const q = src.map((p): Point => [c * p[0] - s * p[1], s * p[0] + c * p[1]]);
  const qm = centroid(q), dm = centroid(dst);
  let num = 0, den = 0;
  for (let i = 0; i < 3; i++) {
    const qx = q[i]![0] - qm[0], qy = q[i]![1] - qm[1];
    num += qx * (dst[i]![0] - dm[0]) + qy * (dst[i]![1] - dm[1]);
    den += qx * qx + qy * qy;
  }
  const scale = num / den;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('alignment: the landmarks do not form a face (mouth on the wrong side of the eyes?)');
  return { a: scale * c, b: scale * s, tx: dm[0] - scale * qm[0], ty: dm[1] - scale * qm[1] };
}

/** The aligned size × size × 3 RGB crop of one face. */
export function alignFace(image: RgbImage, face: FacePoints, size: number, template: Readonly<FacePoints> = FACE_TEMPLATE): Uint8Array {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`alignment: size must be a positive integer, got ${size}`);
  if (image.rgb.length !== image.width * image.height * 3) throw new RangeError(`alignment: ${image.rgb.length} bytes are not a ${image.width}×${image.height} RGB image`);
  return warpSimilarity(image, fitSimilarity(face, size, template), size);
}

/** Samples image at inverse(t) of every output pixel (bilinear, supersampled when shrinking). */
export function warpSimilarity(image: RgbImage, t: Similarity, size: number): Uint8Array {
  const inv = invertSimilarity(t);
  const outPerSrc = Math.hypot(t.a, t.b);
  const k = Math.min(16, Math.max(1, Math.ceil(1 / outPerSrc - 1e-6)));
  const out = new Uint8Array(size * size * 3);
  const { rgb, width: W, height: H } = image;
  const acc = [0, 0, 0];
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let v = 0; v < k; v++) {
        const oy = j + (v + 0.5) / k;
        for (let u = 0; u < k; u++) {
          const ox = i + (u + 0.5) / k;
          // Source point, then to pixel-index space (centres at integers).
          const sx = inv.a * ox - inv.b * oy + inv.tx - 0.5;
          const sy = inv.b * ox + inv.a * oy + inv.ty - 0.5;
          bilinear(rgb, W, H, sx, sy, acc);
        }
      }
      const o = (j * size + i) * 3, n = k * k;
      out[o] = acc[0]! / n + 0.5;
      out[o + 1] = acc[1]! / n + 0.5;
      out[o + 2] = acc[2]! / n + 0.5;
    }
  }
  return out;
}

/** Adds the bilinear sample at (x, y) (pixel-index space, clamped to the edge) to acc. */
function bilinear(rgb: Uint8Array, W: number, H: number, x: number, y: number, acc: number[]): void {
  if (x < 0) x = 0;
  else if (x > W - 1) x = W - 1;
  if (y < 0) y = 0;
  else if (y > H - 1) y = H - 1;
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const x1 = x0 + 1 < W ? x0 + 1 : x0, y1 = y0 + 1 < H ? y0 + 1 : y0;
  const fx = x - x0, fy = y - y0;
  const p00 = (y0 * W + x0) * 3, p10 = (y0 * W + x1) * 3, p01 = (y1 * W + x0) * 3, p11 = (y1 * W + x1) * 3;
  const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
  for (let c = 0; c < 3; c++) acc[c]! += rgb[p00 + c]! * w00 + rgb[p10 + c]! * w10 + rgb[p01 + c]! * w01 + rgb[p11 + c]! * w11;
}

function centroid(ps: Point[]): Point {
  return [(ps[0]![0] + ps[1]![0] + ps[2]![0]) / 3, (ps[0]![1] + ps[1]![1] + ps[2]![1]) / 3];
}
