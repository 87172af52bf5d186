// --precision bf16 (autocast: bfloat16 convolutions, float32 weights, head and
// loss) and --channels-last (NHWC weights) train; the numbers stay close to fp32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { train, defaultConfig } from '../../src/train/index.js';
import { tinyDataset } from './fixtures.js';

function step(precision: torch.Precision, channelsLast: boolean) {
  torch.manualSeed(3);
  const model = createModel({ arch: 'small', numClasses: 4, head: 'linear' });
  if (channelsLast) model.channelsLast();
  model.precision = precision;
  model.eval(); // no dropout: the same function in every variant
  return torch.tidy(() => {
    const x = torch.rand([3, 3, 32, 32]);
    const out = model.forward(x);
    const loss = torch.F.crossEntropy(out.logits, torch.tensor([0, 1, 3]));
    loss.backward();
    const w = model.parameters()[0];
    const r = { logitsDtype: out.logits.dtype, loss: loss.item(), weightDtype: w.dtype, gradDtype: w.grad!.dtype, grad: w.grad!.toArray(), contiguous: w.isContiguous() };
    model.dispose();
    return r;
  });
}

test('bf16 autocast: float32 weights, gradients and logits; the loss within bf16 rounding of fp32 and the gradient along it, not equal to them', () => {
  const a = step('fp32', false);
  const b = step('bf16', false);
  assert.equal(b.logitsDtype, 'float32');
  assert.equal(b.weightDtype, 'float32');
  assert.equal(b.gradDtype, 'float32');
  const rel = Math.abs(a.loss - b.loss) / a.loss;
  assert.ok(rel > 0 && rel < 0.02, `loss ${a.loss} vs ${b.loss}: relative difference ${rel}`);
  // The first convolution's gradient went back through every bf16 layer: same direction, not the same bits.
  const dot = a.grad.reduce((acc, g, i) => acc + g * b.grad[i], 0);
  const cosine = dot / (Math.hypot(...a.grad) * Math.hypot(...b.grad));
  assert.ok(cosine > 0.97 && cosine < 1 - 1e-7, `gradient cosine ${cosine}`);
});

test('channels-last: the same numbers as contiguous weights', () => {
  const a = step('fp32', false);
  const b = step('fp32', true);
  assert.equal(a.contiguous, true);
  assert.equal(b.contiguous, false, 'the first conv weight is stored NHWC');
  assert.ok(Math.abs(a.loss - b.loss) < 1e-5);
  a.grad.forEach((g, i) => assert.ok(Math.abs(g - b.grad[i]) < 1e-4 * (1 + Math.abs(g))));
});

test('a run with --precision bf16 --channels-last trains and records both in config.json', async () => {
  const root = await tinyDataset();
  const cfg = defaultConfig({
    dataset: 'rafdb', root, method: 'fixmatch', out: mkdtempSync(join(tmpdir(), 'semifer-bf16-')),
    model: 'small', size: 32, labels: 'n:2', epochs: 1, stepsPerEpoch: 2, batch: 2, mu: 1, logEvery: 1,
    cacheDir: join(root, '.cache'), seed: 2, prefetch: 1, evalBatch: 64, precision: 'bf16', channelsLast: true,
  });
  const summary = await train(cfg);
  assert.ok(summary.accuracy >= 0 && summary.accuracy <= 1);
  const saved = JSON.parse(readFileSync(join(cfg.out, 'config.json'), 'utf8'));
  assert.equal(saved.precision, 'bf16');
  assert.equal(saved.channelsLast, true);
  const steps = readFileSync(join(cfg.out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'step');
  for (const s of steps) assert.ok(Number.isFinite(s.loss.total), JSON.stringify(s.loss));
});

test('bf16 on a device without autocast is refused with a clear message', () => {
  assert.throws(() => torch.autocast('lazy', 'bf16', () => 0), /--precision bf16 needs a cpu or cuda device, not 'lazy'/);
});
