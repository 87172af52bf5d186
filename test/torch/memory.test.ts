// Live tensors and resident memory stay flat over 200 ResNet-18 training steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { resnet18 } from '../../src/models/resnet.js';

test('200 ResNet-18 training steps: live-tensor count and RSS flat', () => {
  torch.manualSeed(0);
  const model = resnet18({ numClasses: 7 });
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 });
  const x = torch.keep(torch.randn([4, 3, 32, 32]));
  const y = torch.keep(torch.tensor([0, 3, 6, 2]));
  const step = () => torch.tidy(() => {
    opt.zeroGrad();
    const logits = model.forward(x);
    const loss = torch.F.crossEntropy(logits, y);
    loss.backward();
    opt.step();
    return loss.item();
  });
  for (let i = 0; i < 20; i++) step();
  const t20 = torch.memory();
  const rss20 = process.memoryUsage().rss;
  let last = 0;
  for (let i = 20; i < 200; i++) last = step();
  const t200 = torch.memory();
  const rss200 = process.memoryUsage().rss;
  assert.ok(Number.isFinite(last));
  assert.equal(t200.tensors, t20.tensors, `live tensors ${t20.tensors} → ${t200.tensors}`);
  assert.equal(t200.bytes, t20.bytes);
  const growthMB = (rss200 - rss20) / 2 ** 20;
  assert.ok(growthMB < 40, `RSS grew ${growthMB.toFixed(1)} MB over 180 steps`);
  model.dispose();
  x.dispose();
  y.dispose();
});
