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
  // RSS every 10 steps from step 110 on (the allocator's caches settle over the first hundred).
  const rss: number[] = [];
  let last = 0;
  for (let i = 20; i < 200; i++) {
    last = step();
    if (i >= 109 && (i + 1) % 10 === 0) rss.push(process.memoryUsage().rss / 2 ** 20);
  }
  const t200 = torch.memory();
  assert.ok(Number.isFinite(last));
  // Exact: every tensor a step creates is freed.
  assert.equal(t200.tensors, t20.tensors, `live tensors ${t20.tensors} → ${t200.tensors}`);
  assert.equal(t200.bytes, t20.bytes);
  // RSS catches native leaks the tensor count cannot see (a retained autograd graph holds
  // this model's activations, megabytes a step). A leak grows RSS in every 10-step window;
  // the allocator grows it in occasional jumps (one of 54 MB within steps 110–200 under the
  // full suite, with live tensors flat). So the bound is on the median window: a leak of
  // 0.5 MB a step shows (checked by hand: median 9 MB), a single jump does not.
  const windows = rss.slice(1).map((r, k) => r - rss[k]).sort((a, b) => a - b);
  const median = windows[Math.floor(windows.length / 2)];
  if (process.env.SEMIFER_DEBUG) console.error(`RSS MB every 10 steps from 110: ${rss.map((r) => r.toFixed(1)).join(' ')}`);
  assert.ok(median < 3, `RSS grew ${median.toFixed(1)} MB in the median 10-step window (windows: ${windows.map((w) => w.toFixed(1)).join(', ')} MB)`);
  model.dispose();
  x.dispose();
  y.dispose();
});
