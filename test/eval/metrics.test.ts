import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  argmaxRows, calibrationBins, confusionMatrix, evaluatePredictions, evaluateProbs,
  expectedCalibrationError, formatMetricsTable, negativeLogLikelihood,
} from '../../src/eval/metrics.js';

function close(actual: number | null, expected: number, tol = 1e-6): void {
  assert.ok(actual !== null, 'value is null');
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
}

// 3 classes; class 2 is never predicted.
//   true:  0 0 0 1 1 2
//   pred:  0 0 1 1 0 0
const labels = Int32Array.from([0, 0, 0, 1, 1, 2]);
const preds = Int32Array.from([0, 0, 1, 1, 0, 0]);

test('confusion matrix: rows are true classes, columns predictions', () => {
  assert.deepEqual(confusionMatrix(preds, labels, 3), [
    [2, 1, 0],
    [1, 1, 0],
    [1, 0, 0],
  ]);
});

test('accuracy, mean class accuracy, per-class and macro-F1 with a never-predicted class', () => {
  const r = evaluatePredictions(preds, labels, 3);
  close(r.accuracy, 3 / 6);
  // recall: 2/3, 1/2, 0 → mean over the three classes present in labels
  close(r.meanClassAccuracy, (2 / 3 + 1 / 2 + 0) / 3);
  // precision: class 0 predicted 4 times (2 right), class 1 twice (1 right), class 2 never → 0
  assert.deepEqual(r.perClass.precision.map((x) => +x.toFixed(6)), [0.5, 0.5, 0]);
  assert.deepEqual(r.perClass.support, [3, 2, 1]);
  assert.deepEqual(r.perClass.predicted, [4, 2, 0]);
  const f1Class0 = (2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3); // = 4/7
  close(r.perClass.f1[0]!, 4 / 7);
  close(f1Class0, 4 / 7);
  close(r.perClass.f1[1]!, 0.5);
  assert.equal(r.perClass.f1[2], 0);
  close(r.macroF1, (4 / 7 + 0.5 + 0) / 3); // = 5/14
  assert.deepEqual(r.confusionNormalized[1], [0.5, 0.5, 0]);
  assert.equal(r.ece, null);
  assert.equal(r.nll, null);
});

test('classes absent from labels and predictions do not count; predicted-only classes count for F1 only', () => {
  // Same data with a 4th class nobody uses: nothing changes.
  const r4 = evaluatePredictions(preds, labels, 4);
  close(r4.macroF1, 5 / 14);
  close(r4.meanClassAccuracy, 7 / 18);
  assert.deepEqual(r4.confusionNormalized[3], [0, 0, 0, 0]);
  // A prediction of class 3 that never occurs in labels: F1 for class 3 is 0 and
  // averages in; mean class accuracy still averages the 3 present classes.
  const p2 = Int32Array.from([0, 0, 1, 1, 0, 3]);
  const r = evaluatePredictions(p2, labels, 4);
  // class 0: tp 2, predicted 3 → P 2/3, R 2/3, F1 2/3; class 1: P 1/2 R 1/2; class 2: 0; class 3: 0
  close(r.macroF1, (2 / 3 + 0.5 + 0 + 0) / 4);
  close(r.meanClassAccuracy, (2 / 3 + 0.5 + 0) / 3);
});

// Five two-class samples, confidences away from bin edges (width 1/15 ≈ 0.0667).
//   conf 0.90 correct  → bin 13 (0.8667, 0.9333]
//   conf 0.92 wrong    → bin 13
//   conf 0.70 correct  → bin 10 (0.6667, 0.7333]
//   conf 0.62 wrong    → bin 9  (0.6, 0.6667]
//   conf 0.55 correct  → bin 8  (0.5333, 0.6]
const probs = Float32Array.from([
  0.9, 0.1,
  0.08, 0.92,
  0.3, 0.7,
  0.62, 0.38,
  0.45, 0.55,
]);
const y = Int32Array.from([0, 0, 1, 1, 1]);
const f = Math.fround;

test('expected calibration error, worked by hand', () => {
  const bin13 = (2 / 5) * Math.abs(0.5 - (f(0.9) + f(0.92)) / 2);
  const bin10 = (1 / 5) * Math.abs(1 - f(0.7));
  const bin9 = (1 / 5) * Math.abs(0 - f(0.62));
  const bin8 = (1 / 5) * Math.abs(1 - f(0.55));
  const expected = bin13 + bin10 + bin9 + bin8;
  close(expected, 0.164 + 0.06 + 0.124 + 0.09, 1e-6); // = 0.438
  close(expectedCalibrationError(probs, y, 2), expected, 1e-9);
  const bins = calibrationBins(probs, y, 2);
  assert.equal(bins.length, 15);
  assert.deepEqual(bins.map((b) => b.count), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 2, 0]);
  close(bins[13]!.accuracy, 0.5);
});

test('calibration bins are (lower, upper]: a confidence on an edge goes to the bin below, 1.0 to the last', () => {
  // 0.2 = 3/15 sits on the edge between bins 2 and 3; a 5-class uniform-ish row.
  const p = Float32Array.from([0.2, 0.2, 0.2, 0.2, 0.2, 1, 0, 0, 0, 0]);
  const bins = calibrationBins(p, Int32Array.from([0, 0]), 5);
  // float32(0.2) is a hair above 0.2, so compare against what the float says
  const edgeBin = f(0.2) <= 3 / 15 ? 2 : 3;
  assert.equal(bins[edgeBin]!.count, 1);
  assert.equal(bins[14]!.count, 1);
  const exact = calibrationBins([0.2, 0.8], [0], 2);
  assert.equal(exact[11]!.count, 1, '0.8 = 12/15 belongs to (11/15, 12/15]');
  const edge = calibrationBins([3 / 15, 1 - 3 / 15, 0], [0], 3);
  assert.equal(edge[11]!.count, 1);
});

test('NLL and the full evaluation from probabilities', () => {
  const nll = -(Math.log(f(0.9)) + Math.log(f(0.08)) + Math.log(f(0.7)) + Math.log(f(0.38)) + Math.log(f(0.55))) / 5;
  close(negativeLogLikelihood(probs, y, 2), nll, 1e-9);
  const r = evaluateProbs(probs, y, 2);
  assert.deepEqual(Array.from(argmaxRows(probs, 2)), [0, 1, 1, 0, 1]);
  close(r.accuracy, 3 / 5);
  close(r.nll, nll, 1e-9);
  close(r.ece, 0.438, 1e-6);
  // NLL of a zero probability is finite (clamped), not Infinity
  assert.ok(Number.isFinite(negativeLogLikelihood([1, 0], [1], 2)));
  // JSON round trip: plain arrays and numbers only
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});

test('argmax ties go to the lower index and NaN never wins', () => {
  assert.deepEqual(Array.from(argmaxRows([0.5, 0.5, NaN, 0.2, NaN, 0.3], 3)), [0, 2]);
});

test('bad input fails with a message that says what is wrong', () => {
  assert.throws(() => evaluatePredictions([0, 3], [0, 1], 3), /preds\[1\] = 3 is outside 0..2/);
  assert.throws(() => evaluatePredictions([0, 1], [0, -1], 3), /labels\[1\] = -1/);
  assert.throws(() => evaluateProbs(new Float32Array(5), Int32Array.from([0, 1]), 3), /expected 2 samples × 3 classes/);
  assert.throws(() => confusionMatrix([0], [0, 1], 2), /differ in length/);
});

test('empty input gives zeros, not NaN', () => {
  const r = evaluateProbs(new Float32Array(0), new Int32Array(0), 3);
  assert.equal(r.accuracy, 0);
  assert.equal(r.ece, 0);
  assert.equal(r.macroF1, 0);
});

test('terminal table lists every class and the summary', () => {
  const r = evaluateProbs(probs, y, 2);
  const table = formatMetricsTable(r, ['neutral', 'happy']);
  const lines = table.split('\n');
  assert.match(lines[0]!, /^class\s+prec %\s+recall %\s+F1 %\s+support$/);
  assert.match(table, /^neutral\s+50\.00\s+50\.00\s+50\.00\s+2$/m);
  assert.match(table, /^happy\s+66\.67\s+66\.67\s+66\.67\s+3$/m);
  assert.match(table, /^accuracy\s+60\.00 %/m);
  assert.match(table, /^ECE \(15 bins\)\s+43\.80 %/m);
  // all rows of the per-class block have the same width
  const widths = new Set(lines.slice(0, 5).map((l) => l.length));
  assert.equal(widths.size, 1);
  // a missing name falls back to the index
  assert.match(formatMetricsTable(r, ['neutral']), /^class 1 /m);
});
