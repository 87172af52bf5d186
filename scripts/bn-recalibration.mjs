#!/usr/bin/env node
// A diagnostic for docs/results.md: the test accuracy of RUNDIR/model.safetensors as
// saved, and again after re-estimating its BatchNorm running statistics on the run's
// clean (unaugmented) unlabelled training images — the labelled ones when the run has
// none. Semi-supervised methods here put labelled, weak and strong views through one
// forward pass, so the saved statistics mix in strongly augmented images; the gap
// between the two numbers is what that mixing costs on clean test faces.
//   node scripts/bn-recalibration.mjs RUNDIR [RUNDIR …]
// Build first (npm run build). Nothing in RUNDIR is changed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const torch = await import('../dist/src/torch/index.js');
const { loadModelFile } = await import('../dist/src/models/index.js');
const { predict } = await import('../dist/src/eval/predict.js');
const { prepareData } = await import('../dist/src/train/prepareData.js');
const { evalBatches } = await import('../dist/src/data/loader.js');
const { evaluateProbs } = await import('../dist/src/eval/metrics.js');

const runs = process.argv.slice(2);
if (!runs.length) {
  console.error('usage: node scripts/bn-recalibration.mjs RUNDIR [RUNDIR …]');
  process.exit(2);
}

const accuracy = (model, images, labels, size) => evaluateProbs(predict(model, images, size).probs, labels, model.numClasses).accuracy;

for (const run of runs) {
  const cfg = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
  // prepareData writes split.json into cfg.out: point it at a scratch folder.
  cfg.out = mkdtempSync(join(tmpdir(), 'semifer-bn-'));
  try {
    const data = await prepareData(cfg);
    const { model } = loadModelFile(join(run, 'model.safetensors'));
    const test = await data.test.read();
    const before = accuracy(model, test.images, test.labels, cfg.size);
    const clean = data.unlabelled?.images ?? data.labelled.images;
    // Train-mode forward passes update the running statistics with momentum 0.1:
    // after 100 batches 0.9^100 ≈ 3e-5 of the old values is left.
    const batchesPerPass = Math.ceil(clean.length / (cfg.size * cfg.size * 3) / 64);
    model.train();
    for (let pass = 0; pass < Math.ceil(100 / batchesPerPass); pass++) {
      for (const { x } of evalBatches(clean, cfg.size, 64)) {
        torch.tidy(() => torch.noGrad(() => model.forward(x)));
        x.dispose();
      }
    }
    const after = accuracy(model, test.images, test.labels, cfg.size);
    console.log(`${run}: test accuracy ${(100 * before).toFixed(1)} % as saved, ${(100 * after).toFixed(1)} % with BatchNorm statistics re-estimated on ${clean === data.labelled.images ? 'the labelled' : 'the unlabelled'} images`);
  } finally {
    rmSync(cfg.out, { recursive: true, force: true });
  }
}
