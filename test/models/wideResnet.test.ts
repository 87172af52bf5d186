// WideResNet-28-2: shapes, the exact parameter count, the PyTorch ports' names,
// BN settings, and gradients reaching every parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { WideResNet, wideResnet28_2 } from '../../src/models/wideResnet.js';
import { createModel, ARCHS } from '../../src/models/index.js';

/*
 * WRN-28-2 parameters by hand (convs have no bias; a BN has 2·C):
 *   conv1                        3·16·9                               =       432
 *   block1 (16 → 32, stride 1)
 *     layer.0  bn1 2·16 + conv1 16·32·9 + bn2 2·32 + conv2 32·32·9 + shortcut 16·32
 *              = 32 + 4,608 + 64 + 9,216 + 512                       =    14,432
 *     layer.1–3  3 × (64 + 9,216 + 64 + 9,216) = 3 × 18,560           =    55,680
 *   block2 (32 → 64, stride 2)
 *     layer.0  64 + 18,432 + 128 + 36,864 + 2,048                     =    57,536
 *     layer.1–3  3 × (128 + 36,864 + 128 + 36,864) = 3 × 73,984       =   221,952
 *   block3 (64 → 128, stride 2)
 *     layer.0  128 + 73,728 + 256 + 147,456 + 8,192                   =   229,760
 *     layer.1–3  3 × (256 + 147,456 + 256 + 147,456) = 3 × 295,424    =   886,272
 *   bn1                          2·128                                =       256
 *                                                              total  = 1,466,320
 * (+ a 128→10 classifier, 1,290, gives the 1,467,610 ≈ 1.47 M quoted for CIFAR-10.)
 */
const WRN28_2_PARAMS = 1_466_320;

test('WRN-28-2: 128-d feature; maps at 32 px (8×8) and 48 px (12×12)', () => {
  const m = wideResnet28_2();
  m.eval();
  assert.equal(m.featureDim, 128);
  torch.tidy(() => {
    const x32 = torch.randn([2, 3, 32, 32]);
    assert.deepEqual(m.featureMap(x32).shape, [2, 128, 8, 8]);
    assert.deepEqual(m.forward(x32).shape, [2, 128]);
    const x48 = torch.randn([3, 3, 48, 48]);
    assert.deepEqual(m.featureMap(x48).shape, [3, 128, 12, 12]);
    assert.deepEqual(m.forward(x48).shape, [3, 128]);
  });
  m.dispose();
});

test('WRN-28-2: exact parameter count, names of the PyTorch ports, BN momentum 0.001', () => {
  const m = wideResnet28_2();
  assert.equal(m.numParameters(), WRN28_2_PARAMS);
  const keys = [...m.stateDict().keys()];
  for (const k of [
    'conv1.weight',
    'block1.layer.0.bn1.weight', 'block1.layer.0.bn1.running_mean', 'block1.layer.0.conv1.weight', 'block1.layer.0.bn2.bias',
    'block1.layer.0.conv2.weight', 'block1.layer.0.convShortcut.weight', 'block1.layer.3.conv2.weight',
    'block2.layer.0.convShortcut.weight', 'block3.layer.0.convShortcut.weight', 'block3.layer.3.bn2.num_batches_tracked',
    'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked',
  ]) assert.ok(keys.includes(k), k);
  // Shortcut projections only where the shape changes; no conv biases, no classifier.
  assert.equal(keys.filter((k) => k.includes('convShortcut')).length, 3);
  assert.ok(!keys.some((k) => /conv\w*\.bias$/.test(k) || k.startsWith('fc.')), 'no conv biases, no fc');
  // 1 stem conv + 12 blocks × (2 convs) + 3 shortcuts weights; 25 BNs × 5 entries.
  assert.equal(keys.length, 1 + 12 * 2 + 3 + 25 * 5);
  const bns = [...m.modules()].filter((x): x is torch.nn.BatchNorm2d => x instanceof torch.nn.BatchNorm2d);
  assert.equal(bns.length, 25);
  assert.ok(bns.every((b) => b.momentum === 0.001));
  const shapes = new Map([...m.stateDict()].map(([k, v]) => [k, v.shape]));
  assert.deepEqual(shapes.get('conv1.weight'), [16, 3, 3, 3]);
  assert.deepEqual(shapes.get('block2.layer.0.conv1.weight'), [64, 32, 3, 3]);
  assert.deepEqual(shapes.get('block3.layer.0.convShortcut.weight'), [128, 64, 1, 1]);
  m.dispose();
});

test('WRN: He-normal fan_out init; depth must be 6n + 4', () => {
  const m = wideResnet28_2();
  // fan_out of block3's 3×3 convs = 128·9; std = √2/√fan_out ≈ 0.0417.
  const std = torch.tidy(() => m.stateDict().get('block3.layer.1.conv1.weight')!.std().item());
  assert.ok(Math.abs(std - Math.SQRT2 / Math.sqrt(128 * 9)) < 0.002, `std ${std}`);
  m.dispose();
  assert.throws(() => new WideResNet({ depth: 27 }), /depth must be 6n \+ 4/);
  const small = new WideResNet({ depth: 10, widen: 1 });
  assert.equal(small.featureDim, 64);
  small.dispose();
});

test('WRN-28-2 in a FerModel: one backward gives every parameter a gradient', () => {
  assert.ok(ARCHS.includes('wrn28-2'));
  const model = createModel({ arch: 'wrn28-2', numClasses: 7, head: 'linear' });
  model.train();
  torch.tidy(() => {
    torch.manualSeed(1);
    const x = torch.randn([4, 3, 32, 32]);
    const out = model.forward(x);
    const logits = (out as { logits: torch.Tensor }).logits;
    assert.deepEqual(logits.shape, [4, 7]);
    logits.logSoftmax(1).mean().neg().backward();
  });
  const named = [...model.namedParameters()];
  assert.ok(named.length > 0);
  const missing = torch.tidy(() => named.filter(([, p]) => {
    const g = p.grad;
    return !g || g.abs().sum().item() === 0;
  }).map(([k]) => k));
  assert.deepEqual(missing, [], 'parameters without gradient');
  model.dispose();
});
