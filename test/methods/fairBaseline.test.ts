/**
 * Fair baselines (the default): supervised, FixMatch and Mean Teacher train
 * Ada-CM's model — its L2-normalised head with dropout, its weight shrink — and
 * FixMatch keeps an EMA model that is evaluated and selected; off, the plain ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMethod } from '../../src/methods/index.js';
import { train, defaultConfig } from '../../src/train/index.js';
import { loadModelFile } from '../../src/models/modelFile.js';
import { tinyDataset } from '../train/fixtures.js';

const labels = new Int32Array([0, 1, 2]);
const model = (name: string, fairBaseline?: boolean, noisyLabels?: 'scn') => {
  const m = createMethod(name, { numClasses: 3, labels, fairBaseline, noisyLabels });
  return { head: m.head, studentShrink: m.studentShrink, usesTeacher: m.usesTeacher };
};

test("fair baselines train Ada-CM's head with its weight shrink; FixMatch keeps an EMA model", () => {
  const adacm = model('adacm');
  assert.deepEqual(adacm, { head: 'adacm', studentShrink: 0.02, usesTeacher: true });
  assert.deepEqual(model('supervised', true), { head: 'adacm', studentShrink: 0.02, usesTeacher: false });
  assert.deepEqual(model('fixmatch', true), { head: 'adacm', studentShrink: 0.02, usesTeacher: true });
  assert.deepEqual(model('meanteacher', true), { head: 'adacm', studentShrink: 0.02, usesTeacher: true });
});

test('without it, the plain baselines; SCN and noisy-label runs keep the SCN head either way', () => {
  assert.deepEqual(model('supervised', false), { head: 'linear', studentShrink: 0, usesTeacher: false });
  assert.deepEqual(model('fixmatch', false), { head: 'linear', studentShrink: 0, usesTeacher: false });
  assert.deepEqual(model('meanteacher', false), { head: 'linear', studentShrink: 0, usesTeacher: true });
  assert.equal(model('fixmatch', true, 'scn').head, 'scn');
  assert.deepEqual(model('scn', true), { head: 'scn', studentShrink: 0, usesTeacher: false });
});

test('fair baselines are the default of a run: FixMatch is reported and saved as its EMA model with the Ada-CM head', async () => {
  const root = await tinyDataset();
  const cfg = defaultConfig({
    dataset: 'rafdb', root, method: 'fixmatch', out: mkdtempSync(join(tmpdir(), 'semifer-fair-')), model: 'small', size: 32, labels: 'n:3',
    epochs: 1, stepsPerEpoch: 2, batch: 4, mu: 1, cacheDir: join(root, '.cache'), seed: 1, prefetch: 0, valPerClass: 2,
  });
  assert.equal(cfg.fairBaseline, true);
  const summary = await train(cfg);
  assert.equal(summary.selectedModel, 'teacher');
  assert.ok(summary.teacher);
  const { model: m, meta } = loadModelFile(join(cfg.out, 'model.safetensors'));
  assert.equal(meta.config.head, 'adacm');
  m.dispose();
});
