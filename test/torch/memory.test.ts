// Live tensors and the C heap stay flat over 200 ResNet-18 training steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { resnet18 } from '../../src/models/resnet.js';

/** One turn of the event loop, as the trainer takes after every step (stopRequest.ts). */
const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));

test('200 ResNet-18 training steps: live tensors and C-heap bytes flat', async () => {
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
  let last = 0;
  for (let i = 0; i < 20; i++) { step(); await yieldOnce(); }
  const t20 = torch.memory();
  const heap: number[] = [];
  for (let i = 20; i < 200; i++) {
    last = step();
    await yieldOnce();
    if (i === 109 || i === 199) heap.push(torch.memory().mallocBytes ?? NaN);
  }
  const t200 = torch.memory();
  assert.ok(Number.isFinite(last));
  // Exact: every tensor a step creates is freed.
  assert.equal(t200.tensors, t20.tensors, `live tensors ${t20.tensors} → ${t200.tensors}`);
  assert.equal(t200.bytes, t20.bytes);
  // The C heap catches native leaks the tensor count cannot see. It is measured as bytes in use
  // (glibc's mallinfo2), not RSS: RSS also moves with the allocator's caching, in 9 MB jumps up
  // and down (CI saw +61 MB over these 90 steps with nothing leaked), while bytes in use stay
  // within ±0.1 MB once the handles' finalizers have had a turn of the event loop. One leaked
  // activation of this network's first block is 256 KB a step, 23 MB over the 90 steps.
  if (t200.mallocBytes === undefined) return; // not glibc: no such counter
  const growthMB = (heap[1] - heap[0]) / 2 ** 20;
  assert.ok(growthMB < 2, `the C heap grew ${growthMB.toFixed(2)} MB over steps 110–200`);
  model.dispose();
  x.dispose();
  y.dispose();
});
