import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionUnitTargets, evaluateActionUnits } from '../../src/eval/actionUnits.js';

test('per-AU F1 matches a hand computation', () => {
  // 5 images × 3 AUs (AU1, AU6, AU12); sigmoid outputs and targets.
  const aus = [1, 6, 12];
  const scores = [
    0.9, 0.2, 0.7,
    0.6, 0.8, 0.1,
    0.1, 0.5, 0.9,
    0.4, 0.3, 0.2,
    0.7, 0.1, 0.6,
  ];
  const targets = [
    1, 0, 1,
    0, 1, 0,
    1, 1, 1,
    0, 0, 1,
    1, 0, 0,
  ];
  const r = evaluateActionUnits(scores, targets, aus);
  assert.equal(r.numSamples, 5);
  // AU1: predicted on rows 0, 1, 4 (≥ 0.5); present on 0, 2, 4 → tp 2, fp 1, fn 1 → P 2/3, R 2/3, F1 2/3.
  const [a1, a6, a12] = r.perAu;
  assert.ok(Math.abs(a1!.precision - 2 / 3) < 1e-12 && Math.abs(a1!.recall - 2 / 3) < 1e-12 && Math.abs(a1!.f1 - 2 / 3) < 1e-12);
  assert.equal(a1!.support, 3);
  // AU6: predicted on rows 1, 2 (0.5 counts); present on 1, 2 → P 1, R 1, F1 1.
  assert.equal(a6!.f1, 1);
  // AU12: predicted on rows 0, 2, 4; present on 0, 2, 3 → tp 2, fp 1, fn 1 → F1 2/3.
  assert.ok(Math.abs(a12!.f1 - 2 / 3) < 1e-12);
  assert.equal(a12!.predicted, 3);
  assert.ok(Math.abs(r.meanF1 - (2 / 3 + 1 + 2 / 3) / 3) < 1e-12);
});

test('an AU never present nor predicted leaves the mean; bad shapes and targets are refused', () => {
  const r = evaluateActionUnits([0.9, 0.1, 0.2, 0.1], [1, 0, 0, 0], [4, 9]);
  assert.equal(r.perAu[1]!.f1, 0);
  // AU4 right on its one image (F1 1); AU9 never present nor predicted: not averaged in (else the mean would be 0.5).
  assert.equal(r.perAu[0]!.f1, 1);
  assert.equal(r.meanF1, 1);
});

test('targets from coded samples: 1 where the AU is listed, whatever its intensity', () => {
  const t = actionUnitTargets([{ actionUnits: { 1: 0, 12: 4 } }, {}, { actionUnits: { 6: 2 } }], [1, 6, 12]);
  assert.deepEqual([...t], [1, 0, 1, 0, 0, 0, 0, 1, 0]);
  assert.throws(() => evaluateActionUnits([0.5, 0.5], [1, 2], [1, 2]), /AU targets are 0 or 1/);
  assert.throws(() => evaluateActionUnits([0.5, 0.5, 0.5], [1, 0, 1], [1, 2]), /N × 2 values/);
});
