// What the exporter refuses, and how: unknown modules (by exact class),
// modules the walk missed, ops a format lacks, unknown formats, and a failed
// check that leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { nn, type Tensor } from '../../src/torch/index.js';
import { SmallCnn } from '../../src/models/index.js';
import {
  graphFromModel, exportModel, writeTfjs, exportMetadata, generatedImages, Graph, ExportError, ExportCheckError,
} from '../../src/export/index.js';
import { Emit } from '../../src/export/emitters.js';
import { exportableModel, metaFor } from './fixtures.js';

torch.setNumThreads(1);
const SIZE = 32;

class OddBackbone extends nn.Module {
  readonly featureDim = 256;
  readonly conv = this.registerModule('conv', new nn.Conv2d(3, 256, 3));
  featureMap(x: Tensor): Tensor { return this.conv.forward(x).tanh(); }
  forward(x: Tensor): Tensor { return this.featureMap(x); }
}
/** Same parameters as SmallCnn, possibly another forward: must not pass for one. */
class TweakedCnn extends SmallCnn {}

test('an unknown module fails with "cannot export module X at PATH"', () => {
  const model = exportableModel({ arch: 'small', head: 'linear' }, SIZE);
  (model as { backbone: unknown }).backbone = new OddBackbone();
  assert.throws(() => graphFromModel(model, SIZE), (e: Error) => e instanceof ExportError && /cannot export module OddBackbone at 'backbone'/.test(e.message));
  (model as { backbone: unknown }).backbone = new TweakedCnn();
  assert.throws(() => graphFromModel(model, SIZE), /cannot export module TweakedCnn at 'backbone'/);
  assert.equal(model.training, false, 'the model is back in its own mode');
});

test('a module the walk did not use fails rather than dropping out of the graph', () => {
  const model = exportableModel({ arch: 'small', head: 'linear' }, SIZE);
  // The registered backbone is no longer the one forward() uses.
  (model as { backbone: unknown }).backbone = new SmallCnn();
  assert.throws(() => graphFromModel(model, SIZE), /cannot export module SmallCnn at 'backbone': the model holds it but no emitter used it/);
});

test('layers without an export: BatchNorm without running statistics, grouped convolutions in TF.js', () => {
  const e = new Emit(new Graph('input', [-1, 4, 8, 8]));
  assert.throws(() => e.module(new nn.BatchNorm2d(4, { trackRunningStats: false }), 'input', 'bn'), /bn: BatchNorm2d without running statistics/);
  const g = new Graph('input', [-1, 4, 8, 8]);
  new Emit(g).module(new nn.Conv2d(4, 4, 3, { groups: 2 }), 'input', 'grouped');
  const meta = exportMetadata(metaFor(exportableModel({ arch: 'small', head: 'linear' }, SIZE), SIZE), 'tfjs');
  assert.throws(() => writeTfjs(g, meta), /TF.js export: grouped is a grouped convolution/);
});

test('unknown format; a failed check writes nothing', { timeout: 60_000 }, async () => {
  const model = exportableModel({ arch: 'small', head: 'linear' }, SIZE);
  const meta = metaFor(model, SIZE);
  const dir = mkdtempSync(join(tmpdir(), 'semifer-export-err-'));
  await assert.rejects(exportModel(model, meta, { format: 'keras' as 'onnx', out: join(dir, 'm') }), /unknown export format 'keras'; expected one of onnx, tfjs/);
  const images = generatedImages(2, SIZE);
  for (const format of ['onnx', 'tfjs'] as const) {
    await assert.rejects(
      exportModel(model, meta, { format, out: join(dir, format === 'onnx' ? 'm.onnx' : 'tfjs'), images, tolerance: 0 }),
      (e: Error) => e instanceof ExportCheckError && /disagrees with semifer's: max \|Δ probability\| = .* ≥ 0 .*nothing was written/.test(e.message),
    );
  }
  assert.deepEqual(readdirSync(dir), [], 'no file, folder or temporary left');
});
