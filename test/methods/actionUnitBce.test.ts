// The action-unit loss against values computed by hand from its formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { actionUnitBce, balancedPosWeights } from '../../src/methods/losses/actionUnitBce.js';

const near = (a: number, b: number, tol = 1e-6, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

// 2 images × 3 AUs.
const logits = [2, -1, 0.5, -3, 0, 1.5];
const targets = [1, 0, 1, 0, 1, 0];

test('AU loss: mean binary cross-entropy over AUs and images, by hand', () => {
  // −[y log σ(z) + (1−y) log(1−σ(z))]: log σ(z) = −log(1+e^−z), log(1−σ(z)) = −log(1+e^z).
  const terms = [Math.log(1 + Math.exp(-2)), Math.log(1 + Math.exp(-1)), Math.log(1 + Math.exp(-0.5)),
    Math.log(1 + Math.exp(-3)), Math.log(2), Math.log(1 + Math.exp(1.5))];
  const hand = terms.reduce((s, v) => s + v, 0) / 6;
  near(hand, (0.12693 + 0.31326 + 0.47408 + 0.04859 + 0.69315 + 1.70141) / 6, 1e-5, 'the hand value itself');
  const got = torch.tidy(() => actionUnitBce(torch.tensor(new Float32Array(logits), { shape: [2, 3] }), torch.tensor(new Float32Array(targets), { shape: [2, 3] })).item());
  near(got, hand, 1e-6, 'plain BCE');
});

test('AU loss with per-AU positive weights: each positive term is scaled by its AU\'s weight', () => {
  const w = [3, 0.5, 2];
  const pos = (z: number) => Math.log(1 + Math.exp(-z));
  const neg = (z: number) => Math.log(1 + Math.exp(z));
  // Image 1: AU a (w 3) and c (w 2) present; image 2: AU b (w 0.5) present.
  const hand = (3 * pos(2) + neg(-1) + 2 * pos(0.5) + neg(-3) + 0.5 * pos(0) + neg(1.5)) / 6;
  const got = torch.tidy(() => actionUnitBce(
    torch.tensor(new Float32Array(logits), { shape: [2, 3] }), torch.tensor(new Float32Array(targets), { shape: [2, 3] }), torch.tensor(new Float32Array(w)),
  ).item());
  near(got, hand, 1e-6, 'weighted BCE');
});

test('balanced positive weights: negatives / positives per AU; an AU never present gets 1', () => {
  // 4 images × 3 AUs: AU a present in 1 of 4 (3/1), b in 2 of 4 (2/2), c never.
  const t = new Float32Array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(balancedPosWeights(t, 3)), [3, 1, 1]);
});
