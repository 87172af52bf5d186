// Round trip: semifer's model and its ONNX (onnxruntime-node) and TF.js
// (@tensorflow/tfjs, wasm and cpu backends) exports give the same logits and
// probabilities on the same images, for every backbone and head family, with
// BatchNorms folded into the convolutions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import type { FerModelConfig } from '../../src/models/index.js';
import {
  exportModel, generatedImages, runOnnx, runTfjs, semiferOutputs, maxAbsDiff, graphFromModel, writeOnnx, exportMetadata,
  type ExportFormat, type TfBackend,
} from '../../src/export/index.js';
import { exportableModel, metaFor } from './fixtures.js';

torch.setNumThreads(1);
const dir = mkdtempSync(join(tmpdir(), 'semifer-export-'));

interface Case { name: string; config: Omit<FerModelConfig, 'numClasses'>; size: number; folded: number; tfjsBackend?: TfBackend }

const CASES: Case[] = [
  { name: 'small + linear head', config: { arch: 'small', head: 'linear' }, size: 32, folded: 7, tfjsBackend: 'cpu' },
  // 40 px: odd feature maps (5 → 3) where PyTorch's symmetric padding and TF's SAME differ.
  { name: 'resnet18 + Ada-CM head (logit scale 4) + DTA', config: { arch: 'resnet18', head: 'adacm', logitScale: 4, dta: {} }, size: 40, folded: 20 },
  { name: 'small + SCN head + DTA', config: { arch: 'small', head: 'scn', dta: { rfdMode: 'block' } }, size: 36, folded: 7 },
  // Pre-activation blocks: each bn2 follows a conv, and so does the first block's bn1 (its
  // shortcut reads the activated input, so the stem conv feeds only that BN); 12 BNs stay affines.
  { name: 'wrn28-2 + Ada-CM head', config: { arch: 'wrn28-2', head: 'adacm' }, size: 32, folded: 13 },
];

for (const c of CASES) {
  test(`export round trip: ${c.name}`, { timeout: 120_000 }, async (t) => {
    const model = exportableModel(c.config, c.size);
    const meta = metaFor(model, c.size);
    const images = generatedImages(5, c.size, 7);
    const expected = semiferOutputs(model, images.pixels, c.size);
    // The test is only meaningful when the predictions are not saturated.
    assert.ok(Math.max(...expected.probabilities) < 0.9999, 'the untrained model should not be certain');
    for (const format of ['onnx', 'tfjs'] as ExportFormat[]) {
      const out = join(dir, `${c.name.replace(/\W+/g, '-')}.${format === 'onnx' ? 'onnx' : 'tfjs'}`);
      const r = await exportModel(model, meta, { format, out, images, tfjsBackend: c.tfjsBackend });
      assert.equal(r.graph.foldedBatchNorms, c.folded);
      // Run the files that ended up in place, independently of the export's own check.
      const got = format === 'onnx' ? await runOnnx(r.path, images.pixels, r.metadata) : await runTfjs(out, images.pixels, r.metadata, { backend: c.tfjsBackend });
      const dp = maxAbsDiff(got.probabilities, expected.probabilities);
      const dz = maxAbsDiff(got.logits, expected.logits);
      const zmax = Math.max(...expected.logits.map(Math.abs));
      t.diagnostic(`${format}${format === 'tfjs' ? ` (${c.tfjsBackend ?? 'wasm'})` : ''}: max |Δp| ${dp.toExponential(2)}, max |Δlogit| ${dz.toExponential(2)} (|logit| ≤ ${zmax.toFixed(2)})`);
      assert.ok(dp < 1e-5, `${format}: probabilities differ by ${dp}`);
      assert.ok(dz < 1e-5 * Math.max(1, zmax), `${format}: logits differ by ${dz}`);
      assert.equal(r.check.maxAbsDiffProbabilities, dp);
    }
    model.dispose();
  });
}

test('folding BatchNorms changes the outputs by float32 rounding only', { timeout: 60_000 }, async (t) => {
  const size = 32;
  const model = exportableModel({ arch: 'small', head: 'adacm', logitScale: 16 }, size, 3);
  const meta = exportMetadata(metaFor(model, size), 'onnx');
  const images = generatedImages(4, size, 11);
  const expected = semiferOutputs(model, images.pixels, size);
  // onnxruntime's own optimiser would fuse Conv → Mul → Add itself: run both graphs as written.
  const asWritten = { graphOptimizationLevel: 'disabled' } as const;
  const folded = await runOnnx(writeOnnx(graphFromModel(model, size), meta), images.pixels, meta, asWritten);
  const unfolded = graphFromModel(model, size, { fold: false });
  assert.equal(unfolded.opCounts().channelAffine, 7);
  const plain = await runOnnx(writeOnnx(unfolded, meta), images.pixels, meta, asWritten);
  const zmax = Math.max(...expected.logits.map(Math.abs));
  const dFold = maxAbsDiff(folded.logits, expected.logits);
  const dPlain = maxAbsDiff(plain.logits, expected.logits);
  const dBoth = maxAbsDiff(folded.logits, plain.logits);
  t.diagnostic(`max |Δlogit| vs semifer: folded ${dFold.toExponential(2)}, unfolded ${dPlain.toExponential(2)}; folded vs unfolded ${dBoth.toExponential(2)} (|logit| ≤ ${zmax.toFixed(1)})`);
  for (const d of [dFold, dPlain]) assert.ok(d < 1e-5 * Math.max(1, zmax), `${d}`);
  assert.ok(dBoth > 0, 'the two graphs differ (else folding was not exercised)');
  assert.ok(dBoth < 1e-6 * Math.max(1, zmax), `folding moved the logits by ${dBoth}`);
  model.dispose();
});

test('the ONNX model takes any batch size', { timeout: 60_000 }, async () => {
  const size = 32;
  const model = exportableModel({ arch: 'small', head: 'linear' }, size, 5);
  const meta = exportMetadata(metaFor(model, size), 'onnx');
  const onnx = writeOnnx(graphFromModel(model, size), meta);
  for (const n of [1, 3]) {
    const images = generatedImages(n, size, n);
    const got = await runOnnx(onnx, images.pixels, meta);
    assert.equal(got.probabilities.length, n * 7);
    assert.ok(maxAbsDiff(got.probabilities, semiferOutputs(model, images.pixels, size).probabilities) < 1e-5);
  }
  model.dispose();
});
