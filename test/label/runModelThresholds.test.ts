/**
 * `semifer label` reads a run's confidence thresholds from its last
 * checkpoint's method state through the method's own hook
 * (Method.confidenceThresholds), so no method name is spelled there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thresholdsFrom } from '../../src/label/runModel.js';
import type { CheckpointMeta } from '../../src/train/checkpoint.js';

const meta = (config: Record<string, unknown>, method: Record<string, unknown>, epoch = 3) => ({ config, method, epoch }) as unknown as CheckpointMeta;

test("Ada-CM's learnt margins, DTA's thresholds and FixMatch's threshold come back from the checkpoint; other methods have none", async () => {
  assert.deepEqual(await thresholdsFrom(meta({ method: 'adacm', hyper: {} }, { thresholds: [0.9, 0.85, 0.8], labelledLoss: {} }), 3),
    { thresholds: [0.9, 0.85, 0.8], source: "Ada-CM's learnt margins (epoch 3)" });
  assert.deepEqual(await thresholdsFrom(meta({ method: 'fixmatch', hyper: { threshold: 0.9 } }, { labelledLoss: {} }), 2),
    { thresholds: [0.9, 0.9], source: "FixMatch's threshold 0.9" });
  // τ̂ = 0.8 (bias-corrected after 1 update at m = 0.5: 0.4 / 0.5), ρ̂ = [0.6, 0.2] → T = clamp(0.8·ρ_c/0.6, 0.5, 0.95) = [0.8, 0.5].
  const dta = await thresholdsFrom(meta({ method: 'dta-snl', hyper: { thresholdMomentum: 0.5 } }, { dynamic: { tau: 0.4, rho: [0.3, 0.1], updates: 1 }, labelledLoss: {} }), 2);
  assert.ok(dta && Math.abs(dta.thresholds[0]! - 0.8) < 1e-12 && Math.abs(dta.thresholds[1]! - 0.5) < 1e-12, JSON.stringify(dta));
  assert.equal(dta.source, "DTA's dynamic thresholds (τ = 0.800)");
  assert.equal(await thresholdsFrom(meta({ method: 'supervised', hyper: {} }, { labelledLoss: {} }), 3), undefined);
  assert.equal(await thresholdsFrom(meta({ method: 'no-such-method' }, {}), 3), undefined);
  // A noisy-label run's SCN knobs are accepted (its hyper holds them).
  assert.deepEqual((await thresholdsFrom(meta({ method: 'fixmatch', noisyLabels: 'scn', hyper: { relabelEpoch: 5 } }, { labelledLoss: { labels: [0, 1], relabelledTotal: 0, relabelledByClass: [0, 0] } }), 2))?.thresholds, [0.95, 0.95]);
});
