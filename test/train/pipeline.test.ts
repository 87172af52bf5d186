// Whole training pipelines on small generated data: every method runs, writes its
// metrics and summary, and the model file reloads with the same predictions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { train, defaultConfig, TrainingDivergedError, type TrainConfig } from '../../src/train/index.js';
import { loadModelFile } from '../../src/models/modelFile.js';
import { predict } from '../../src/eval/predict.js';
import { readDataset, loadOrBuildCache } from '../../src/data/index.js';
import { tinyDataset } from './fixtures.js';
import { exitCodeOf } from '../../src/cli/errors.js';

async function config(method: string, extra: Partial<TrainConfig> = {}): Promise<TrainConfig> {
  const root = await tinyDataset();
  return defaultConfig({
    dataset: 'rafdb', root, method, out: mkdtempSync(join(tmpdir(), `semifer-run-${method}-`)),
    model: 'small', size: 32, labels: 'n:3', epochs: 2, stepsPerEpoch: 3, batch: 4, mu: 1, logEvery: 1,
    cacheDir: join(root, '.cache'), seed: 5, prefetch: 1, evalBatch: 64, ...extra,
  });
}

const expectedTerms: Record<string, string[]> = {
  supervised: ['total', 'Lx'],
  scn: ['total', 'Lx', 'WCE', 'RR'],
  fixmatch: ['total', 'Lx', 'Lu'],
  meanteacher: ['total', 'Lx', 'Lcons'],
  adacm: ['total', 'Lx', 'Lu', 'Ls'],
  'dta-snl': ['total', 'Lx', 'Lu', 'Lsnl'],
};

for (const method of Object.keys(expectedTerms)) {
  test(`${method}: trains, logs every loss term, writes summary and a reloadable model`, async () => {
    const cfg = await config(method, method === 'scn' ? { labels: 'all', labelNoise: 0.3, hyper: {} } : {});
    const summary = await train(cfg);
    assert.equal(summary.method, method);
    assert.ok(summary.accuracy >= 0 && summary.accuracy <= 1);
    const rows = readFileSync(join(cfg.out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const steps = rows.filter((r) => r.kind === 'step');
    const epochs = rows.filter((r) => r.kind === 'epoch');
    assert.equal(steps.length, 6);
    assert.equal(epochs.length, 2);
    assert.deepEqual(Object.keys(steps[0].loss).sort(), [...expectedTerms[method]].sort());
    if (method === 'adacm') {
      assert.equal(steps[0].thresholds.length, 7);
      assert.ok(steps[0].thresholds.every((t: number) => t === 0.8), 'margins start at 0.8');
      assert.equal(steps[0].subsetI + steps[0].subsetII, 4);
      assert.ok('pseudoLabelAccuracy' in steps[0] || steps[0].subsetI === 0);
      assert.equal(epochs[0].thresholds.length, 7);
    }
    if (method === 'dta-snl') assert.ok(steps.every((s) => s.thresholds.every((t: number) => t >= 0.5 && t <= 0.95)));
    if (method === 'scn') assert.ok('relabelled' in epochs[1] && 'labelsChanged' in epochs[1]);
    if (['adacm', 'meanteacher', 'dta-snl'].includes(method)) assert.ok(epochs[0].teacher, 'teacher evaluated each epoch');
    const s = JSON.parse(readFileSync(join(cfg.out, 'summary.json'), 'utf8'));
    for (const k of ['method', 'accuracy', 'meanClassAccuracy']) assert.ok(k in s, k);
    for (const f of ['checkpoint-last.safetensors', 'checkpoint-best.safetensors', 'model.safetensors', 'split.json', 'config.json', 'eval.json']) {
      assert.ok(existsSync(join(cfg.out, f)), f);
    }
    // The model file reproduces the reported accuracy.
    const { model, meta } = loadModelFile(join(cfg.out, 'model.safetensors'));
    assert.deepEqual(meta.classes.length, 7);
    const ds = await readDataset('rafdb', cfg.root);
    const test = await loadOrBuildCache(ds, 'test', 32, cfg.cacheDir);
    const { probs } = predict(model, test.pixels, 32);
    let correct = 0;
    for (let i = 0; i < test.labels.length; i++) {
      let best = 0;
      for (let c = 1; c < 7; c++) if (probs[i * 7 + c] > probs[i * 7 + best]) best = c;
      correct += best === test.labels[i] ? 1 : 0;
    }
    assert.equal(correct / test.labels.length, summary.accuracy);
    model.dispose();
  });
}

test('a diverging run stops with the step and the loss term, keeping the last good checkpoint', async () => {
  const cfg = await config('supervised', { optimizer: 'sgd', lr: 1e30, epochs: 3, stepsPerEpoch: 3 });
  await assert.rejects(train(cfg), (e: Error) => {
    assert.ok(e instanceof TrainingDivergedError, String(e));
    assert.match(e.message, /training diverged at step \d+: loss term (total|Lx) is (NaN|Infinity)/);
    assert.equal(exitCodeOf(e), 3);
    return true;
  });
  const rows = readFileSync(join(cfg.out, 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const lastEpoch = rows.filter((r) => r.kind === 'epoch').length;
  assert.equal(existsSync(join(cfg.out, 'checkpoint-last.safetensors')), lastEpoch > 0);
  assert.equal(torch.scopeDepth(), 0);
});

test('bad configurations fail early with clear messages', async () => {
  await assert.rejects(train(await config('adacm', { labels: 'all' })), /method adacm needs unlabelled data/);
  await assert.rejects(train(await config('supervised', { model: 'vgg' as never })), /unknown model 'vgg'/);
  await assert.rejects(train(await config('supervised', { labels: 'n:500' })), /class .* has \d+|fewer|asked/i);
  await assert.rejects(train(await config('supervised', { schedule: 'wavy' })), /unknown schedule 'wavy'/);
  const cfg = await config('supervised');
  await assert.rejects(train(cfg, { resume: true }), /--resume: no checkpoint in/);
});
