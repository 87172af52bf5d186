/**
 * The face detector on real photographs (face-api's six sample photos, 1920 px
 * group shots): face counts against the true counts (photos.ts), landmarks
 * inside their boxes, and alignment that undoes an in-plane rotation of the
 * whole photo. `ssd` runs on LibTorch, `tiny` on TensorFlow.js (WASM, one thread).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { join } from 'node:path';
import { createDetector, type Detector } from '../../src/deploy/detector.js';
import { readPhoto } from '../../src/deploy/photo.js';
import { alignFace } from '../../src/deploy/align.js';
import { problemFiles, samplePhoto, SAMPLE_FACES } from './photos.js';

let ssd: Promise<Detector> | undefined;
const detector = () => (ssd ??= createDetector({ kind: 'ssd' }));

test('ssd finds every face in all six sample photos, landmarks inside the boxes', { timeout: 120_000 }, async () => {
  const d = await detector();
  for (const [i, count] of Object.entries(SAMPLE_FACES)) {
    const photo = await readPhoto(samplePhoto(Number(i)));
    const faces = await d.detect(photo);
    assert.equal(faces.length, count, `sample${i}.jpg: ${faces.length} faces found, ${count} in the photo`);
    for (const f of faces) {
      assert.ok(f.score >= 0.5 && f.score <= 1);
      assert.equal(f.landmarks.length, 68);
      const b = f.box, pad = 0.15 * b.width;
      for (const p of [f.eyeLeft, f.eyeRight, f.mouth]) {
        assert.ok(p[0] > b.x - pad && p[0] < b.x + b.width + pad && p[1] > b.y - pad && p[1] < b.y + b.height + pad, `sample${i}: landmark outside its face box`);
      }
      assert.ok(f.eyeLeft[0] < f.eyeRight[0] && f.mouth[1] > Math.min(f.eyeLeft[1], f.eyeRight[1]), `sample${i}: eyes/mouth out of order`);
    }
    for (let k = 1; k < faces.length; k++) assert.ok(faces[k]!.box.x + faces[k]!.box.width / 2 >= faces[k - 1]!.box.x + faces[k - 1]!.box.width / 2, 'left to right');
  }
});

test('tiny finds the right number of faces where it can (samples 1, 3, 5); it misses some in 2 and 4', { timeout: 60_000 }, async () => {
  const d = await createDetector({ kind: 'tiny' });
  for (const i of [1, 3, 5]) {
    const faces = await d.detect(await readPhoto(samplePhoto(i)));
    assert.equal(faces.length, SAMPLE_FACES[i], `sample${i}.jpg with tiny`);
  }
});

test('a photo rotated by 25°: each face aligns to nearly the same crop as in the upright photo', { timeout: 60_000 }, async () => {
  const d = await detector();
  const { dir } = await problemFiles();
  const rotated = join(dir, 'rotated.jpg');
  await sharp(samplePhoto(3)).rotate(-25, { background: '#808080' }).jpeg({ quality: 92 }).toFile(rotated);
  const a = await readPhoto(samplePhoto(3)), b = await readPhoto(rotated);
  const fa = await d.detect(a), fb = await d.detect(b);
  assert.equal(fb.length, fa.length);
  for (const f of fb) {
    const tilt = (Math.atan2(f.eyeRight[1] - f.eyeLeft[1], f.eyeRight[0] - f.eyeLeft[0]) * 180) / Math.PI;
    assert.ok(tilt < -10, `the eyes in the rotated photo are tilted (${tilt.toFixed(1)}°)`);
  }
  const S = 64;
  const ca = fa.map((f) => alignFace(a, f, S)), cb = fb.map((f) => alignFace(b, f, S));
  const mad = (x: Uint8Array, y: Uint8Array) => x.reduce((s, v, k) => s + Math.abs(v - y[k]!), 0) / x.length;
  const used = new Set<number>();
  for (const [i, c] of ca.entries()) {
    const d2 = cb.map((o) => mad(c, o));
    const j = d2.indexOf(Math.min(...d2));
    assert.ok(d2[j]! < 20, `face ${i}: closest rotated crop differs by ${d2[j]!.toFixed(1)} grey levels on average`);
    assert.ok(d2.every((v, k) => k === j || v > 2 * d2[j]!), `face ${i}: its crop is much closer to its own face than to the others`);
    used.add(j);
  }
  assert.equal(used.size, ca.length, 'one-to-one');
});

test('a gradient image has no face; a huge photo is shrunk for detection and its boxes mapped back', { timeout: 60_000 }, async () => {
  const d = await detector();
  const f = await problemFiles();
  assert.equal((await d.detect(await readPhoto(f.gradient))).length, 0);
  const huge = await readPhoto(f.huge);
  const big = await d.detect(huge);
  const ref = await d.detect(await readPhoto(samplePhoto(3)));
  assert.equal(big.length, ref.length);
  const k = huge.width / 1920;
  for (const [i, face] of big.entries()) {
    const r = ref[i]!;
    assert.ok(Math.abs(face.box.x - r.box.x * k) < 0.05 * r.box.width * k && Math.abs(face.box.width - r.box.width * k) < 0.1 * r.box.width * k,
      `face ${i}: box ${face.box.x.toFixed(0)},${face.box.width.toFixed(0)} vs ${(r.box.x * k).toFixed(0)},${(r.box.width * k).toFixed(0)} expected`);
  }
});
