/**
 * The LibTorch ports of face-api's SSD MobileNet v1 and 68-point landmark net
 * (detector `ssd`) against face-api's own TF.js path (`ssd-tfjs`) on the six
 * sample photos: the same faces, boxes and landmarks to well under a pixel,
 * scores to 1e-4. And the pieces with hand-computed answers: TF's resize, the
 * NMS, TF's SAME padding, and a manifest that lacks a weight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDetector } from '../../src/deploy/detector.js';
import { readPhoto } from '../../src/deploy/photo.js';
import { squareResizeTf } from '../../src/deploy/tfResize.js';
import { iou, nonMaxSuppression } from '../../src/deploy/nms.js';
import { samePadding } from '../../src/models/tfjs/samePadding.js';
import { SsdMobilenetV1 } from '../../src/models/faceapi/ssdMobilenetV1.js';
import { samplePhoto, SAMPLE_FACES } from './photos.js';

test('ssd on LibTorch finds the faces, boxes, scores and landmarks of face-api on TF.js in all six sample photos', { timeout: 180_000 }, async () => {
  const mine = await createDetector({ kind: 'ssd' });
  const ref = await createDetector({ kind: 'ssd-tfjs' });
  for (const i of Object.keys(SAMPLE_FACES).map(Number)) {
    const photo = await readPhoto(samplePhoto(i));
    const [a, b] = [await mine.detect(photo), await ref.detect(photo)];
    assert.equal(a.length, b.length, `sample${i}.jpg: ${a.length} faces on LibTorch, ${b.length} on TF.js`);
    assert.equal(a.length, SAMPLE_FACES[i]);
    for (const [k, f] of a.entries()) {
      const r = b[k]!;
      for (const key of ['x', 'y', 'width', 'height'] as const) {
        assert.ok(Math.abs(f.box[key] - r.box[key]) < 0.5, `sample${i} face ${k}: box ${key} ${f.box[key].toFixed(2)} vs ${r.box[key].toFixed(2)}`);
      }
      assert.ok(Math.abs(f.score - r.score) < 1e-4, `sample${i} face ${k}: score ${f.score} vs ${r.score}`);
      const worst = Math.max(...f.landmarks.map((p, j) => Math.hypot(p[0] - r.landmarks[j]![0], p[1] - r.landmarks[j]![1])));
      assert.ok(worst < 0.5, `sample${i} face ${k}: a landmark is ${worst.toFixed(2)} px from TF.js's`);
    }
  }
});

test("TF's bilinear resize after face-api's pad to square: pixel i reads source i·in/out, the last one repeats at the edge", () => {
  /** A grey image (R = G = B) from rows of values; returns channel 0 of the result. */
  const run = (rows: number[][], pad: 'after' | 'centred', size: number) => {
    const height = rows.length, width = rows[0]!.length;
    const rgb = Uint8Array.from(rows.flat().flatMap((v) => [v, v, v]));
    const out = new Float32Array(3 * size * size);
    squareResizeTf({ rgb, width, height }, { x: 0, y: 0, width, height }, pad, size, out);
    assert.deepEqual(out.subarray(size * size, 2 * size * size), out.subarray(0, size * size), 'channels alike');
    return [...out.subarray(0, size * size)];
  };
  // 4 × 1 padded below to 4 × 4, then 4 → 2: rows 0 and 2, columns 0 and 2 (no averaging, no half-pixel shift).
  assert.deepEqual(run([[0, 10, 20, 30]], 'after', 2), [0, 20, 0, 0]);
  // 2 → 4: sources 0, 0.5, 1, 1.5 (clamped to the last pixel).
  assert.deepEqual(run([[0, 8], [16, 24]], 'after', 4), [0, 4, 8, 8, 8, 12, 16, 16, 16, 20, 24, 24, 16, 20, 24, 24]);
  // 1 × 3 centred in a 3 × 3 square (one column of padding each side), no resize.
  assert.deepEqual(run([[5], [6], [7]], 'centred', 3), [0, 5, 0, 0, 6, 0, 0, 7, 0]);
  // 1 × 2 → padding 1 row: round(1/2) = 1 after, 0 before.
  assert.deepEqual(run([[5, 9]], 'centred', 2), [5, 9, 0, 0]);
});

test('NMS keeps the best of overlapping boxes (IoU > 0.5), drops low scores, caps the count', () => {
  const box = (y0: number, x0: number, y1: number, x1: number) => [y0, x0, y1, x1] as const;
  assert.equal(iou(box(0, 0, 2, 2), box(0, 1, 2, 3)), 2 / 6);
  const boxes = [
    { box: box(0, 0, 10, 10), score: 0.8 },
    { box: box(0, 1, 10, 11), score: 0.9 }, // IoU with the first 90/110 > 0.5: suppresses it
    { box: box(0, 5, 10, 15), score: 0.7 }, // IoU with the second 60/140 ≤ 0.5: kept
    { box: box(20, 20, 30, 30), score: 0.4 }, // below the threshold
  ];
  assert.deepEqual(nonMaxSuppression(boxes, { scoreThreshold: 0.5, iouThreshold: 0.5, maxResults: 10 }), [1, 2]);
  assert.deepEqual(nonMaxSuppression(boxes, { scoreThreshold: 0.5, iouThreshold: 0.5, maxResults: 1 }), [1]);
});

test("TF's SAME padding: odd totals put the extra pixel after", () => {
  assert.deepEqual(samePadding([512, 512], [3, 3], [2, 2]), { kind: 'explicit', pads: [0, 1, 0, 1] });
  assert.deepEqual(samePadding([256, 256], [3, 3], [1, 1]), { kind: 'symmetric', padding: [1, 1] });
  assert.deepEqual(samePadding([7, 8], [3, 3], [2, 2]), { kind: 'explicit', pads: [0, 1, 1, 1] });
});

test('a weights manifest without one of the weights names the file and the weight', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-ssd-'));
  try {
    const manifest = join(dir, 'ssd-weights_manifest.json');
    writeFileSync(join(dir, 'w.bin'), Buffer.alloc(4 * 27 * 32));
    writeFileSync(manifest, JSON.stringify([{ paths: ['w.bin'], weights: [{ name: 'MobilenetV1/Conv2d_0_pointwise/weights', shape: [3, 3, 3, 32], dtype: 'float32' }] }]));
    assert.throws(() => SsdMobilenetV1.fromManifest(manifest), (e: Error) => e.message.includes(manifest) && e.message.includes("'MobilenetV1/Conv2d_0_pointwise/convolution_bn_offset'"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
