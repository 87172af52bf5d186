/**
 * Alignment on drawn images whose eye and mouth positions are known: the crop
 * puts them at the template's positions, a rotated face comes out level, and
 * shrinking a large face averages its pixels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignFace, applySimilarity, fitSimilarity, invertSimilarity, FACE_TEMPLATE, type FacePoints } from '../../src/deploy/align.js';
import type { Point, RgbImage } from '../../src/deploy/detector.js';

const RED: [number, number, number] = [255, 0, 0];
const GREEN: [number, number, number] = [0, 255, 0];
const BLUE: [number, number, number] = [0, 0, 255];

/** A grey W×H image with a filled disc of radius r at each point. */
function dots(W: number, H: number, marks: Array<{ at: Point; colour: [number, number, number] }>, r: number): RgbImage {
  const rgb = new Uint8Array(W * H * 3).fill(128);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (const m of marks) {
        if (Math.hypot(x + 0.5 - m.at[0], y + 0.5 - m.at[1]) <= r) rgb.set(m.colour, (y * W + x) * 3);
      }
    }
  }
  return { rgb, width: W, height: H };
}

/** Intensity-weighted centre (continuous coordinates) of the pixels close to `colour`. */
function centreOf(crop: Uint8Array, size: number, colour: [number, number, number]): Point {
  let sx = 0, sy = 0, sw = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      // How far this pixel moved from grey towards the colour, 0–1.
      const w = Math.max(0, Math.min(1, [0, 1, 2].reduce((a, c) => a + (crop[o + c]! - 128) * (colour[c]! - 128), 0) / [0, 1, 2].reduce((a, c) => a + (colour[c]! - 128) ** 2, 0)));
      sx += w * (x + 0.5);
      sy += w * (y + 0.5);
      sw += w;
    }
  }
  assert.ok(sw > 0, `no ${colour} pixels in the crop`);
  return [sx / sw, sy / sw];
}

/** A face in template proportions: centre c, eye distance d, tilted by `deg`. */
function faceAt(c: Point, d: number, deg: number): FacePoints {
  const t = FACE_TEMPLATE, a = (deg * Math.PI) / 180;
  const k = d / (t.eyeRight[0] - t.eyeLeft[0]);
  const place = (p: readonly [number, number]): Point => {
    const x = (p[0] - 0.5) * k, y = (p[1] - 0.5) * k;
    return [c[0] + Math.cos(a) * x - Math.sin(a) * y, c[1] + Math.sin(a) * x + Math.cos(a) * y];
  };
  return { eyeLeft: place(t.eyeLeft), eyeRight: place(t.eyeRight), mouth: place(t.mouth) };
}

function check(face: FacePoints, W: number, H: number, size: number, tol: number): void {
  const r = Math.hypot(face.eyeRight[0] - face.eyeLeft[0], face.eyeRight[1] - face.eyeLeft[1]) * 0.08;
  const img = dots(W, H, [{ at: face.eyeLeft, colour: RED }, { at: face.eyeRight, colour: GREEN }, { at: face.mouth, colour: BLUE }], r);
  const crop = alignFace(img, face, size);
  const got = { eyeLeft: centreOf(crop, size, RED), eyeRight: centreOf(crop, size, GREEN), mouth: centreOf(crop, size, BLUE) };
  for (const k of ['eyeLeft', 'eyeRight', 'mouth'] as const) {
    const want = [FACE_TEMPLATE[k][0] * size, FACE_TEMPLATE[k][1] * size];
    assert.ok(Math.hypot(got[k][0] - want[0]!, got[k][1] - want[1]!) <= tol, `${k}: at ${got[k].map((v) => v.toFixed(2))}, template ${want.map((v) => v.toFixed(2))}`);
  }
  assert.ok(Math.abs(got.eyeLeft[1] - got.eyeRight[1]) <= Math.max(0.5, tol * 0.6), `eyes level: ${got.eyeLeft[1].toFixed(2)} vs ${got.eyeRight[1].toFixed(2)}`);
}

test('an upright face lands on the template (within a pixel)', () => {
  check(faceAt([160, 120], 60, 0), 320, 240, 100, 1);
});

test('a face rotated by 25° or −40° is levelled, at any size', () => {
  check(faceAt([200, 150], 90, 25), 400, 300, 100, 1);
  check(faceAt([120, 130], 40, -40), 260, 240, 64, 1);
  // Larger than the crop: supersampled; smaller: magnified.
  check(faceAt([500, 400], 300, 10), 1000, 800, 48, 1);
  check(faceAt([40, 40], 15, -15), 80, 80, 112, 1.5);
});

test('a face in the image corner: the crop is filled from the nearest edge, points still on the template', () => {
  check(faceAt([30, 35], 40, 5), 160, 120, 100, 1.5);
});

test('real proportions (mouth lower than the drawn faces): eyes level, least-squares fit', () => {
  const face: FacePoints = { eyeLeft: [100, 100], eyeRight: [160, 130], mouth: [110, 180] };
  const t = fitSimilarity(face, 100);
  const l = applySimilarity(t, face.eyeLeft), r = applySimilarity(t, face.eyeRight), m = applySimilarity(t, face.mouth);
  assert.ok(Math.abs(l[1] - r[1]) < 1e-9, 'rotation comes from the eyes');
  assert.ok(l[0] < r[0] && m[1] > l[1], 'left stays left, mouth below');
  // Centroid of the three points matches the template's.
  const mean = (a: Point, b: Point, c: Point): Point => [(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3];
  const want = mean(...([FACE_TEMPLATE.eyeLeft, FACE_TEMPLATE.eyeRight, FACE_TEMPLATE.mouth].map((p) => [p[0] * 100, p[1] * 100]) as [Point, Point, Point]));
  const got = mean(l, r, m);
  assert.ok(Math.hypot(got[0] - want[0], got[1] - want[1]) < 1e-9);
});

test('invertSimilarity undoes applySimilarity', () => {
  const t = fitSimilarity(faceAt([50, 60], 30, 33), 100);
  const inv = invertSimilarity(t);
  const p: Point = [12.5, -7];
  const q = applySimilarity(inv, applySimilarity(t, p));
  assert.ok(Math.hypot(q[0] - p[0], q[1] - p[1]) < 1e-9);
});

test('shrinking a large face averages pixels instead of aliasing', () => {
  // A 1-px checkerboard shrunk ~8×: bilinear point sampling would give near-black/white; averaging gives mid-grey.
  const W = 800, rgb = new Uint8Array(W * W * 3);
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) rgb.fill((x + y) % 2 ? 255 : 0, (y * W + x) * 3, (y * W + x) * 3 + 3);
  const crop = alignFace({ rgb, width: W, height: W }, faceAt([400, 400], 200, 7), 48);
  let lo = 255, hi = 0;
  for (const v of crop) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  assert.ok(lo > 90 && hi < 165, `grey expected, got ${lo}–${hi}`);
});

test('degenerate landmarks and bad sizes are refused with a clear message', () => {
  const img: RgbImage = { rgb: new Uint8Array(10 * 10 * 3), width: 10, height: 10 };
  assert.throws(() => alignFace(img, { eyeLeft: [5, 5], eyeRight: [5.2, 5], mouth: [5, 8] }, 32), /less than a pixel apart/);
  assert.throws(() => alignFace(img, { eyeLeft: [2, 5], eyeRight: [8, 5], mouth: [5, -30] }, 32), /do not form a face/);
  assert.throws(() => alignFace(img, faceAt([5, 5], 4, 0), 0), /size must be a positive integer/);
  assert.throws(() => alignFace({ ...img, width: 11 }, faceAt([5, 5], 4, 0), 32), /not a 11×10 RGB image/);
});
