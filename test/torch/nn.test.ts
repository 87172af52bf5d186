// nn.Module: names, state dicts (strict and not), train/eval, layers against hand-computed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { resnet18, resnet50 } from '../../src/models/resnet.js';

const { nn, noGrad } = torch;

class Tiny extends nn.Module {
  conv = this.registerModule('conv', new nn.Conv2d(1, 2, 2));
  bn = this.registerModule('bn', new nn.BatchNorm2d(2));
  fc = this.registerModule('fc', new nn.Linear(3, 2, { bias: false }));
  forward(x: torch.Tensor): torch.Tensor {
    return this.bn.forward(this.conv.forward(x));
  }
}

test('parameter and buffer names follow PyTorch (state dict order, nesting)', () => {
  const m = new Tiny();
  assert.deepEqual([...m.stateDict().keys()], [
    'conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'fc.weight',
  ]);
  assert.deepEqual(m.parameters().length, 5);
  const r = resnet18();
  const keys = [...r.stateDict().keys()];
  assert.equal(keys.length, 122);
  for (const k of ['conv1.weight', 'layer1.0.conv1.weight', 'layer2.0.downsample.0.weight', 'layer2.0.downsample.1.running_var', 'layer4.1.bn2.num_batches_tracked', 'fc.bias']) {
    assert.ok(keys.includes(k), k);
  }
  assert.equal(r.numParameters(), 11689512, 'torchvision resnet18 has 11,689,512 parameters');
  const r50 = resnet50();
  assert.equal(r50.numParameters(), 25557032, 'torchvision resnet50 has 25,557,032 parameters');
  r.dispose();
  r50.dispose();
  m.dispose();
});

test('loadStateDict: strict lists every problem; non-strict loads what matches', () => {
  const m = new Tiny();
  const src = new Map<string, torch.Tensor>();
  for (const [k, v] of m.stateDict()) src.set(k, torch.keep(torch.fullLike(v, 0.5)));
  src.delete('bn.running_var');
  src.set('extra.weight', torch.keep(torch.ones([1])));
  src.set('fc.weight', torch.keep(torch.ones([3, 2])));
  const before = m.conv.weight.toArray();
  assert.throws(() => m.loadStateDict(src), (e: Error) => {
    assert.match(e.message, /missing keys \(1\): bn\.running_var/);
    assert.match(e.message, /unexpected keys \(1\): extra\.weight/);
    assert.match(e.message, /shape mismatches \(1\): fc\.weight expected \[2,3\] got \[3,2\]/);
    return true;
  });
  assert.deepEqual(m.conv.weight.toArray(), before, 'strict failure changes nothing');
  const r = m.loadStateDict(src, { strict: false });
  assert.deepEqual(r.missingKeys, ['bn.running_var']);
  assert.deepEqual(r.unexpectedKeys, ['extra.weight']);
  assert.equal(r.mismatched.length, 1);
  assert.ok(m.conv.weight.toArray().every((v) => v === 0.5));
  assert.equal(m.bn.numBatchesTracked!.item(), 0, 'int64 buffer got 0.5 cast to 0');
  for (const t of src.values()) t.dispose();
  m.dispose();
});

test("loadStateDict: a buffer registered 'added later' may be absent (it keeps its value), present it loads; it is still saved", () => {
  class Versioned extends nn.Module {
    readonly lin = this.registerModule('lin', new nn.Linear(2, 1));
    readonly scale = this.registerBuffer('scale', torch.tensor([1], { dtype: 'float32' }), 'added later');
    forward(x: torch.Tensor): torch.Tensor { return this.lin.forward(x).mul(this.scale); }
  }
  const parent = new (class extends nn.Module {
    readonly inner = this.registerModule('inner', new Versioned());
    forward(x: torch.Tensor): torch.Tensor { return this.inner.forward(x); }
  })();
  assert.deepEqual([...parent.addedLaterKeys()], ['inner.scale']);
  assert.ok(parent.stateDict().has('inner.scale'), 'saved like any persistent buffer');
  const older = new Map([['inner.lin.weight', torch.keep(torch.fullLike(parent.inner.lin.weight, 2))], ['inner.lin.bias', torch.keep(torch.zeros([1]))]]);
  assert.deepEqual(parent.loadStateDict(older).missingKeys, []);
  assert.equal(parent.inner.scale.item(), 1);
  assert.deepEqual(parent.inner.lin.weight.toArray(), [2, 2]);
  older.set('inner.scale', torch.keep(torch.tensor([3], { dtype: 'float32' })));
  parent.loadStateDict(older);
  assert.equal(parent.inner.scale.item(), 3);
  older.delete('inner.lin.bias');
  assert.throws(() => parent.loadStateDict(older), /missing keys \(1\): inner\.lin\.bias/);
  for (const t of older.values()) t.dispose();
  parent.dispose();
});

test('Linear and Conv2d compute what the formulas say', () => {
  torch.tidy(() => {
    const lin = new nn.Linear(2, 1);
    lin.loadStateDict({ weight: torch.tensor([[2, -1]], { dtype: 'float32' }), bias: torch.tensor([0.5], { dtype: 'float32' }) });
    assert.deepEqual(lin.forward(torch.tensor([[1, 3], [2, 0]], { dtype: 'float32' })).toArray(), [-0.5, 4.5]);
    const conv = new nn.Conv2d(1, 1, 2, { bias: false });
    conv.loadStateDict({ weight: torch.tensor([[[[1, 0], [0, -1]]]], { dtype: 'float32' }) });
    const x = torch.arange(9, undefined, 1, { dtype: 'float32' }).reshape(1, 1, 3, 3);
    assert.deepEqual(conv.forward(x).toArray(), [-4, -4, -4, -4]);
    // PyTorch's default init bound: U(±1/√fan_in)
    const big = new nn.Linear(100, 50);
    const w = big.weight.toArray();
    assert.ok(Math.max(...w.map(Math.abs)) <= 0.1 + 1e-7);
    lin.dispose(); conv.dispose(); big.dispose();
  });
});

test('F.prelu: one slope per channel (dim 1), also on a channels-last input, which it keeps', () => {
  torch.tidy(() => {
    // x[n, c, h, w] = (−1)^(h+w)·(c + 1)·(n + 1); slopes 0.5, −2, 0.25.
    const v: number[] = [];
    for (let n = 0; n < 2; n++) for (let c = 0; c < 3; c++) for (let h = 0; h < 2; h++) for (let w = 0; w < 2; w++) v.push((h + w) % 2 ? -(c + 1) * (n + 1) : (c + 1) * (n + 1));
    const slopes = [0.5, -2, 0.25];
    const expected = v.map((x, i) => (x > 0 ? x : slopes[Math.floor(i / 4) % 3]! * x));
    const x = torch.tensor(v, { shape: [2, 3, 2, 2], dtype: 'float32' });
    const wt = torch.tensor(slopes, { shape: [3] });
    assert.deepEqual(Array.from(torch.F.prelu(x, wt).data() as Float32Array), expected);
    const cl = x.channelsLast();
    const y = torch.F.prelu(cl, wt);
    assert.equal(y.isContiguous(), false, 'a channels-last input gives a channels-last output');
    assert.deepEqual(Array.from(y.contiguous().data() as Float32Array), expected);
  });
});

test("F.prelu's gradients in float32 (the addon's one-pass CPU backward) on NCHW and channels-last inputs, checked by hand and against the formula in float64", () => {
  torch.tidy(() => {
    // The input above; upstream gradient g[i] = i + 1 (NCHW order).
    const v: number[] = [];
    for (let n = 0; n < 2; n++) for (let c = 0; c < 3; c++) for (let h = 0; h < 2; h++) for (let w = 0; w < 2; w++) v.push((h + w) % 2 ? -(c + 1) * (n + 1) : (c + 1) * (n + 1));
    const slopes = [0.5, -2, 0.25];
    const g = v.map((_, i) => i + 1);
    const channel = (i: number) => Math.floor(i / 4) % 3;
    const expectedDx = v.map((x, i) => (x > 0 ? g[i]! : slopes[channel(i)]! * g[i]!));
    const expectedDa = [0, 1, 2].map((c) => v.reduce((s, x, i) => s + (channel(i) === c && x <= 0 ? x * g[i]! : 0), 0));
    for (const layout of ['nchw', 'channels-last'] as const) {
      let x = torch.tensor(v, { shape: [2, 3, 2, 2], dtype: 'float32' });
      let up = torch.tensor(g, { shape: [2, 3, 2, 2], dtype: 'float32' });
      if (layout === 'channels-last') [x, up] = [x.channelsLast(), up.channelsLast()];
      x.requiresGrad_(true);
      const a = torch.tensor(slopes, { shape: [3] }).requiresGrad_(true);
      torch.F.prelu(x, a).backward(up);
      assert.deepEqual(Array.from(x.grad!.contiguous().data() as Float32Array), expectedDx, layout);
      assert.deepEqual(Array.from(a.grad!.data() as Float32Array), expectedDa, layout);
    }
    // A larger random case, with zeros in x (the slope side), against the formula in float64.
    torch.manualSeed(3);
    const big = torch.randn([3, 5, 7, 6]).mul(2).round().div(2); // halves: many exact zeros
    const gb = torch.randn([3, 5, 7, 6]);
    const slope = torch.randn([5]);
    const neg = big.le(0).to('float64');
    const s = slope.to('float64').reshape(1, 5, 1, 1);
    const refDx = gb.to('float64').mul(neg.mul(s).add(neg.rsub(1)));
    const refDa = gb.to('float64').mul(big.to('float64')).mul(neg).sum([0, 2, 3]);
    for (const layout of ['nchw', 'channels-last'] as const) {
      const x = (layout === 'nchw' ? big.clone() : big.channelsLast()).requiresGrad_(true);
      const a = slope.clone().requiresGrad_(true);
      torch.F.prelu(x, a).backward(layout === 'nchw' ? gb : gb.channelsLast());
      assert.ok(x.grad!.to('float64').sub(refDx).abs().max().item() < 1e-6, `${layout}: dL/dx`);
      assert.ok(a.grad!.to('float64').sub(refDa).abs().max().item() < 1e-4, `${layout}: dL/da`);
    }
  });
});

test('BatchNorm2d: batch statistics in training, running statistics updated with momentum, used in eval', () => {
  torch.tidy(() => {
    const bn = new nn.BatchNorm2d(1, { momentum: 0.1 });
    const x = torch.tensor([1, 2, 3, 6], { dtype: 'float32' }).reshape(1, 1, 2, 2); // mean 3, biased var 3.5, unbiased 14/3
    const y = bn.forward(x).toArray();
    const s = Math.sqrt(3.5 + 1e-5);
    y.forEach((v, i) => assert.ok(Math.abs(v - ([1, 2, 3, 6][i] - 3) / s) < 1e-5));
    assert.ok(Math.abs(bn.runningMean!.item() - 0.3) < 1e-6);
    assert.ok(Math.abs(bn.runningVar!.item() - (0.9 + 0.1 * 14 / 3)) < 1e-6);
    assert.equal(bn.numBatchesTracked!.item(), 1);
    bn.eval();
    const e = bn.forward(x).toArray();
    const rs = Math.sqrt(0.9 + 0.1 * 14 / 3 + 1e-5);
    e.forEach((v, i) => assert.ok(Math.abs(v - ([1, 2, 3, 6][i] - 0.3) / rs) < 1e-5));
    assert.equal(bn.numBatchesTracked!.item(), 1, 'eval does not count batches');
    // evalBatchStats: in eval, the batch's own statistics, and the running ones untouched.
    bn.evalBatchStats = true;
    const b = bn.forward(x).toArray();
    b.forEach((v, i) => assert.ok(Math.abs(v - ([1, 2, 3, 6][i] - 3) / s) < 1e-5));
    assert.ok(Math.abs(bn.runningMean!.item() - 0.3) < 1e-6, 'running mean unchanged');
    assert.ok(Math.abs(bn.runningVar!.item() - (0.9 + 0.1 * 14 / 3)) < 1e-6, 'running variance unchanged');
    assert.equal(bn.numBatchesTracked!.item(), 1);
    bn.dispose();
  });
});

test("BatchNorm2d in training on a channels-last input (the addon's own backward): the outputs, running statistics and gradients of the NCHW path, and the formula by hand", () => {
  torch.tidy(() => {
    torch.manualSeed(11);
    const [n, c, h, w] = [3, 4, 5, 2];
    const x = torch.randn([n, c, h, w]).mul(3).add(1);
    const g = torch.randn([n, c, h, w]);
    const weight = torch.randn([c]);
    const bias = torch.randn([c]);
    const run = (layout: 'nchw' | 'channels-last') => {
      const bn = new nn.BatchNorm2d(c, { momentum: 0.1 });
      noGrad(() => { bn.weight!.copy_(weight); bn.bias!.copy_(bias); });
      const xi = (layout === 'nchw' ? x.clone() : x.channelsLast()).requiresGrad_(true);
      const y = bn.forward(xi);
      y.backward(layout === 'nchw' ? g : g.channelsLast());
      const out = { y: y.contiguous().toArray(), dx: xi.grad!.contiguous().toArray(), dw: bn.weight!.grad!.toArray(), db: bn.bias!.grad!.toArray(), rm: bn.runningMean!.toArray(), rv: bn.runningVar!.toArray(), channelsLast: !y.isContiguous() };
      bn.dispose();
      return out;
    };
    const ref = run('nchw');
    const cl = run('channels-last');
    assert.equal(cl.channelsLast, true, 'a channels-last input gives a channels-last output');
    for (const k of ['y', 'dx', 'dw', 'db', 'rm', 'rv'] as const) {
      const a = ref[k] as number[], b = cl[k] as number[];
      assert.equal(a.length, b.length);
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-4 * (1 + Math.abs(v)), `${k}[${i}]: NCHW ${v}, channels-last ${b[i]}`));
    }
    // By hand, in doubles: x̂ = (x − μ)/σ, dx = w/σ · (g − mean g − x̂ · mean(g·x̂)), dw = Σ g·x̂, db = Σ g.
    const xs = x.toArray() as number[], gs = g.toArray() as number[], ws = weight.toArray() as number[];
    const m = n * h * w;
    for (let ch = 0; ch < c; ch++) {
      const idx: number[] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < h * w; j++) idx.push((i * c + ch) * h * w + j);
      const mu = idx.reduce((s, i) => s + xs[i]!, 0) / m;
      const sigma = Math.sqrt(idx.reduce((s, i) => s + (xs[i]! - mu) ** 2, 0) / m + 1e-5);
      const xhat = (i: number) => (xs[i]! - mu) / sigma;
      const meanG = idx.reduce((s, i) => s + gs[i]!, 0) / m;
      const meanGx = idx.reduce((s, i) => s + gs[i]! * xhat(i), 0) / m;
      assert.ok(Math.abs(cl.db[ch]! - meanG * m) < 1e-4, `db[${ch}]`);
      assert.ok(Math.abs(cl.dw[ch]! - meanGx * m) < 1e-4, `dw[${ch}]`);
      for (const i of idx) {
        const expected = (ws[ch]! / sigma) * (gs[i]! - meanG - xhat(i) * meanGx);
        assert.ok(Math.abs(cl.dx[i]! - expected) < 1e-4, `dx[${i}]: ${cl.dx[i]} against ${expected}`);
      }
    }
  });
});

test('train()/eval() reach every submodule; dropout is identity in eval', () => {
  torch.tidy(() => {
    const seq = new nn.Sequential(new nn.Linear(4, 4), new nn.Dropout(0.5), new nn.ReLU());
    seq.eval();
    assert.ok(seq.modules().every((m) => !m.training));
    const x = torch.ones([2, 4]);
    assert.deepEqual(seq.forward(x).toArray(), seq.forward(x).toArray());
    seq.train();
    assert.ok(seq.modules().every((m) => m.training));
    seq.dispose();
  });
});

test('to(dtype) keeps parameter identity so optimisers stay valid', () => {
  const lin = new nn.Linear(3, 2);
  const w = lin.weight;
  lin.to('float64');
  assert.equal(lin.weight, w);
  assert.equal(w.dtype, 'float64');
  assert.equal(lin.weight.requiresGrad, true);
  assert.equal(new Tiny().to('float64').bn.numBatchesTracked!.dtype, 'int64', 'integer buffers keep their dtype');
  lin.dispose();
});
