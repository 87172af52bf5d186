// k-center greedy and the suggestion criteria on small cases worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kCenterGreedy } from '../../src/label/kCenter.js';
import { rank, thresholdUncertainty, pixelEmbedding } from '../../src/label/ranking.js';

/** Points on a line: x = 0, 1, 2, 10, 11, 20. */
const LINE = { data: Float32Array.from([0, 1, 2, 10, 11, 20]), dim: 1 };

test('k-center greedy: farthest point first, labelled points are centres', () => {
  // From centre 0: distances 1, 2, 10, 11, 20 → 20 (index 5); then min over {0, 20}: 1, 2, 10 (to 0 or 20: 10), 11 (9) → index 3 (x=10);
  // then 1, 2 (to 0), 1 (11 to 10) → index 2 (x=2).
  assert.deepEqual(kCenterGreedy(LINE, 3, { centres: [0] }), [5, 3, 2]);
  // Excluded points are never picked but do not cover anything.
  assert.deepEqual(kCenterGreedy(LINE, 2, { centres: [0], exclude: new Set([5]) }), [4, 2]);
  // No centre: `first` starts it, then the farthest from it.
  assert.deepEqual(kCenterGreedy(LINE, 2, { first: 3 }), [3, 0]);
  // k larger than what is left: all of it, no repeats.
  assert.deepEqual(kCenterGreedy(LINE, 10, { centres: [0, 1, 2] }).sort(), [3, 4, 5]);
});

test('k-center greedy: weights scale distances', () => {
  // From centre 0, x=20 is at 20 and x=11 at 11; weighting x=20 by 0.5 makes it 10 < 11, so x=11 wins.
  const picked = kCenterGreedy(LINE, 1, { centres: [0], weight: (i) => (i === 5 ? 0.5 : 1) });
  assert.deepEqual(picked, [4]);
});

test('uncertainty against per-class thresholds', () => {
  // Two faces, two classes; face 0 guesses class 0 at 0.9, face 1 class 1 at 0.6.
  const probs = Float32Array.from([0.9, 0.1, 0.4, 0.6]);
  const plain = thresholdUncertainty(probs, 2);
  assert.deepEqual([...plain.guess], [0, 1]);
  assert.ok(Math.abs(plain.u[0]! - 0.1) < 1e-6 && Math.abs(plain.u[1]! - 0.4) < 1e-6);
  // Thresholds 0.95 for class 0 and 0.5 for class 1: face 0 is below its class's bar (U = 1 − 0.9/0.95 ≈ 0.0526), face 1 above (1 − 0.6/0.5 = −0.2).
  const t = thresholdUncertainty(probs, 2, [0.95, 0.5]);
  assert.ok(Math.abs(t.u[0]! - (1 - 0.9 / 0.95)) < 1e-6 && Math.abs(t.u[1]! + 0.2) < 1e-6);
  assert.deepEqual(rank({ probs, numClasses: 2, thresholds: [0.95, 0.5] }, 'uncertainty', 2).map((s) => s.index), [0, 1]);
  assert.deepEqual(rank({ probs, numClasses: 2 }, 'uncertainty', 2).map((s) => s.index), [1, 0]);
});

test('balance: the class with the fewest labels first, uncertain first within it', () => {
  // Guesses: 0, 0, 1, 1 with confidences 0.9, 0.6, 0.8, 0.7; class 0 has 3 labels, class 1 has 0.
  const probs = Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.2, 0.8, 0.3, 0.7]);
  const order = rank({ probs, numClasses: 2, labelledCounts: [3, 0] }, 'balance', 4).map((s) => s.index);
  // Class 1 (0 labels) first: face 3 (0.7, more uncertain) then face 2 (0.8); no class-1 face is left, so class 0: face 1 (0.6) then face 0.
  assert.deepEqual(order, [3, 2, 1, 0]);
});

test('combined: distance × (ε + uncertainty) × class balance', () => {
  // Four unit vectors; face 0 is labelled (class 0: 1 label, class 1: none).
  const pts = { data: Float32Array.from([1, 0, 0.8, 0.6, 0, 1, -0.6, 0.8]), dim: 2 };
  // Guesses: face 1 class 0 at 0.55, face 2 class 1 at 0.99, face 3 class 1 at 0.6.
  const probs = Float32Array.from([0.9, 0.1, 0.55, 0.45, 0.01, 0.99, 0.4, 0.6]);
  // Distances to face 0 (1,0): face 1 √0.8 ≈ 0.894, face 2 √2 ≈ 1.414, face 3 √3.2 ≈ 1.789.
  // Weights (T = 1, counts [1, 0]): face 1: (0.1 + 0.45) × (1+0)/(1+1) = 0.275 → 0.246;
  // face 2: (0.1 + 0.01) × 1 = 0.11 → 0.156; face 3: (0.1 + 0.4) × 1 = 0.5 → 0.894. Face 3 first.
  // Then counts [1, 1]; distances to {0, 3}: face 1: min(0.894, |(0.8,0.6)−(−0.6,0.8)| = √2.0 ≈ 1.414) = 0.894, weight 0.55 × 1 → 0.492;
  // face 2: min(1.414, |(0,1)−(−0.6,0.8)| = √0.4 ≈ 0.632) × 0.11 × 1 = 0.070. Face 1, then face 2.
  const order = rank({ probs, numClasses: 2, features: pts, labelled: [0], labelledCounts: [1, 0] }, 'combined', 3).map((s) => s.index);
  assert.deepEqual(order, [3, 1, 2]);
  // Diversity alone takes the farthest first: face 3 (1.789), then from {0, 3}: face 1 0.894 vs face 2 0.632 → face 1.
  assert.deepEqual(rank({ features: pts, labelled: [0] }, 'diversity', 2).map((s) => s.index), [3, 1]);
});

test('random is a seeded permutation of the unanswered faces; criteria needing a model say so', () => {
  const a = rank({ features: LINE, exclude: new Set([2]), seed: 1 }, 'random', 5).map((s) => s.index);
  assert.deepEqual([...a].sort(), [0, 1, 3, 4, 5]);
  assert.deepEqual(rank({ features: LINE, exclude: new Set([2]), seed: 1 }, 'random', 5).map((s) => s.index), a);
  assert.throws(() => rank({ features: LINE }, 'uncertainty', 2), /needs a model's predictions \(give --run\)/);
});

test('cold-start pixel embedding: 16×16 grey, mean 0, unit length', () => {
  const size = 32, img = new Uint8Array(size * size * 3);
  // Left half black, right half white: every left cell −a, every right cell +a with a = 1/16 (256 cells of ±a, unit length).
  for (let y = 0; y < size; y++) for (let x = size / 2; x < size; x++) img.fill(255, (y * size + x) * 3, (y * size + x) * 3 + 3);
  const e = pixelEmbedding(img, size);
  assert.equal(e.dim, 256);
  assert.ok(Math.abs(e.data[0]! + 1 / 16) < 1e-6 && Math.abs(e.data[15]! - 1 / 16) < 1e-6, `${e.data[0]} ${e.data[15]}`);
});
