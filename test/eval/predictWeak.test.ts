/**
 * predictWeak: the labelled-set predictions Ada-CM's authors learn the margins
 * from (their labelled loader applies the weak augmentation). The same seed and
 * purpose must draw the same augmentation (a resumed run learns the same
 * margins), another purpose another one, and the identity transform must give
 * exactly what predict() gives (the normalisation is applied once).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { predict, predictWeak } from '../../src/eval/predict.js';

function setup() {
  torch.manualSeed(11);
  const model = createModel({ arch: 'small', numClasses: 4, head: 'linear', logitScale: 1 });
  const images = new Uint8Array(6 * 32 * 32 * 3);
  for (let i = 0; i < images.length; i++) images[i] = (i * 2654435761) >>> 24;
  return { model, images };
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('predict with an identity transform equals predict without one', () => {
  const { model, images } = setup();
  const plain = predict(model, images, 32, { batch: 4 }).probs;
  const identity = predict(model, images, 32, { batch: 4, transform: (x) => x }).probs;
  assert.ok(maxDiff(plain, identity) < 1e-6);
});

test('predictWeak: the same (seed, purpose) draws the same augmentation; another purpose and no augmentation differ', () => {
  const { model, images } = setup();
  const o = { batch: 4, seed: 3, purpose: 'labelled-weak-epoch-2' };
  const a = predictWeak(model, images, 32, o).probs;
  const b = predictWeak(model, images, 32, o).probs;
  assert.equal(maxDiff(a, b), 0, 'repeatable');
  const other = predictWeak(model, images, 32, { ...o, purpose: 'labelled-weak-epoch-3' }).probs;
  const plain = predict(model, images, 32, { batch: 4 }).probs;
  assert.ok(maxDiff(a, other) > 1e-4, 'another epoch, another draw');
  assert.ok(maxDiff(a, plain) > 1e-4, 'augmented, not plain');
});
