/**
 * SCN's δ1 default follows the labelled batch size: the authors' 0.15 at batch
 * 1024, their README's 0.07 at batch 64, a power law between (so at batch 256,
 * the geometric mean of the two batches, δ1 is the geometric mean √(0.15·0.07)),
 * 0.15 above 1024; `--hyper delta1=` still sets it exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scnDelta1ForBatch } from '../../src/methods/losses/scnRank.js';
import { createMethod, type Scn } from '../../src/methods/index.js';
import type { ScnLoss } from '../../src/methods/labelledLoss.js';

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test("δ1 goes through the authors' two points and the geometric mean between them", () => {
  near(scnDelta1ForBatch(1024), 0.15, 'batch 1024');
  near(scnDelta1ForBatch(64), 0.07, 'batch 64');
  near(scnDelta1ForBatch(256), Math.sqrt(0.15 * 0.07), 'batch 256');
  // Hand-computed: k = ln(0.15/0.07)/ln 16 = 0.2748839…, 0.15·(1/64)^k = 0.0478191…
  near(scnDelta1ForBatch(16), 0.04781910357447813, 'batch 16');
  near(scnDelta1ForBatch(4096), 0.15, 'held at 0.15 above 1024');
  assert.ok(scnDelta1ForBatch(2) > 0, 'positive for the smallest batch');
  assert.throws(() => scnDelta1ForBatch(0), /batch size must be positive/);
});

test('the SCN loss of a run takes δ1 from its batch size unless delta1 is given', () => {
  const labels = new Int32Array([0, 1, 2]);
  const loss = (o: Parameters<typeof createMethod>[1]) => (createMethod('scn', o) as Scn).labelledLoss as ScnLoss;
  near(loss({ numClasses: 3, labels, batchSize: 16 }).delta1, 0.04781910357447813, 'scn at batch 16');
  near(loss({ numClasses: 3, labels, batchSize: 64, hyper: { delta1: 0.15 } }).delta1, 0.15, 'explicit delta1');
  near(loss({ numClasses: 3, labels }).delta1, 0.15, "no batch size: the authors' 1024");
  const fm = createMethod('fixmatch', { numClasses: 3, labels, noisyLabels: 'scn', batchSize: 64 }) as unknown as { labelledLoss: ScnLoss };
  near(fm.labelledLoss.delta1, 0.07, 'any method with --noisy-labels scn');
});
