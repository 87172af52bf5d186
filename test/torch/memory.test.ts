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
  const rss = [process.memoryUsage().rss];
  let last = 0;
  for (let i = 20; i < 200; i++) {
    last = step();
    if (i === 109 || i === 199) rss.push(process.memoryUsage().rss);
  }
  const t200 = torch.memory();
  assert.ok(Number.isFinite(last));
  // Exact: every tensor a step creates is freed.
  assert.equal(t200.tensors, t20.tensors, `live tensors ${t20.tensors} → ${t200.tensors}`);
  assert.equal(t200.bytes, t20.bytes);
  // RSS catches native leaks the tensor count cannot see (a retained autograd graph holds
  // this model's activations, megabytes a step). The allocator's own caches still settle
  // over the first hundred steps (10–20 MB here, 46 MB once under the full suite), so the bound is on
  // the second 90 steps, where a leak of 0.5 MB a step would already show.
  const [early, mid, end] = rss.map((b) => b / 2 ** 20);
  const second = end - mid;
  if (process.env.SEMIFER_DEBUG) console.error(`RSS MB: step 20 ${early.toFixed(1)}, 110 ${mid.toFixed(1)}, 200 ${end.toFixed(1)}`);
  assert.ok(second < 40, `RSS grew ${second.toFixed(1)} MB over steps 110–200 (${(mid - early).toFixed(1)} MB over 20–110)`);
  model.dispose();
  x.dispose();
  y.dispose();
});
