// Finite-difference gradient checks in float64 for every differentiable op.
import { test } from 'node:test';
import * as torch from '../../src/torch/index.js';
import { gradcheck } from './gradcheck.js';

const { F } = torch;
const d = (shape: number[], lo = -1, hi = 1, seed = 7) => {
  torch.manualSeed(seed);
  return torch.rand(shape, { dtype: 'float64' }).mul(hi - lo).add(lo);
};
/** Values kept away from 0 (for kinks like relu/abs, and for log/sqrt/div). */
const awayFromZero = (shape: number[], seed = 3) => torch.tidy(() => {
  const r = d(shape, -1, 1, seed);
  return r.sign().mul(r.abs().add(0.2));
});
const positive = (shape: number[], seed = 5) => d(shape, 0.3, 2, seed);

test('elementwise arithmetic', () => {
  torch.tidy(() => {
    const a = d([2, 3]);
    const b = awayFromZero([2, 3], 11);
    const row = d([3], -1, 1, 13);
    gradcheck('add', (x, y) => x.add(y, 0.7), [a, b]);
    gradcheck('add broadcast', (x, y) => x.add(y), [a, row]);
    gradcheck('addScalar', (x) => x.add(3), [a]);
    gradcheck('sub', (x, y) => x.sub(y), [a, b]);
    gradcheck('rsub', (x) => x.rsub(2), [a]);
    gradcheck('mul', (x, y) => x.mul(y), [a, b]);
    gradcheck('mul broadcast', (x, y) => x.mul(y), [a, row]);
    gradcheck('div', (x, y) => x.div(y), [a, b]);
    gradcheck('rdiv', (x) => x.rdiv(2), [b]);
    gradcheck('neg', (x) => x.neg(), [a]);
    gradcheck('abs', (x) => x.abs(), [b]);
    gradcheck('exp', (x) => x.exp(), [a]);
    gradcheck('log', (x) => x.log(), [positive([2, 3])]);
    gradcheck('log1p', (x) => x.log1p(), [positive([2, 3])]);
    gradcheck('sqrt', (x) => x.sqrt(), [positive([2, 3])]);
    gradcheck('rsqrt', (x) => x.rsqrt(), [positive([2, 3])]);
    gradcheck('reciprocal', (x) => x.reciprocal(), [b]);
    gradcheck('square', (x) => x.square(), [a]);
    gradcheck('pow scalar', (x) => x.pow(3), [a]);
    gradcheck('pow tensor', (x, y) => x.pow(y), [positive([2, 3]), d([2, 3])]);
    gradcheck('sigmoid', (x) => x.sigmoid(), [a]);
    gradcheck('tanh', (x) => x.tanh(), [a]);
    gradcheck('relu', (x) => x.relu(), [b]);
    gradcheck('leakyRelu', (x) => F.leakyRelu(x, 0.1), [b]);
    gradcheck('prelu per channel', (x, w) => F.prelu(x, w), [awayFromZero([2, 3, 2, 2], 29), d([3], -1, 1, 31)]);
    gradcheck('prelu one slope', (x, w) => F.prelu(x, w), [awayFromZero([2, 3, 2, 2], 37), d([1], -1, 1, 41)]);
    gradcheck('prelu per channel, 2-D', (x, w) => F.prelu(x, w), [awayFromZero([4, 3], 43), d([3], -1, 1, 47)]);
    gradcheck('gelu', (x) => F.gelu(x), [a]);
    gradcheck('silu', (x) => F.silu(x), [a]);
    gradcheck('clamp', (x) => x.clamp(-0.5, 0.5), [torch.tensor([[-0.9, -0.2, 0.1], [0.3, 0.8, -0.7]], { dtype: 'float64' })]);
    gradcheck('minimum', (x, y) => x.minimum(y), [a, a.add(awayFromZero([2, 3], 17).mul(0.3))]);
    gradcheck('maximum', (x, y) => x.maximum(y), [a, a.add(awayFromZero([2, 3], 19).mul(0.3))]);
    gradcheck('lerp', (x, y) => x.lerp(y, 0.3), [a, b]);
    gradcheck('matmul', (x, y) => x.matmul(y), [d([2, 3]), d([3, 4], -1, 1, 21)]);
    gradcheck('batched matmul', (x, y) => x.matmul(y), [d([2, 2, 3]), d([2, 3, 2], -1, 1, 23)]);
  });
});

test('reductions and normalisations', () => {
  torch.tidy(() => {
    const a = d([3, 4]);
    gradcheck('sum all', (x) => x.sum(), [a]);
    gradcheck('sum dim', (x) => x.sum(1, true), [a]);
    gradcheck('mean', (x) => x.mean([0, 1]), [a]);
    gradcheck('max dim', (x) => x.max(1).values, [a]);
    gradcheck('min dim', (x) => x.min(0).values, [a]);
    gradcheck('max all', (x) => x.max(), [a]);
    gradcheck('std', (x) => x.std(1), [a]);
    gradcheck('var', (x) => x.var(0, { unbiased: false }), [a]);
    gradcheck('logsumexp', (x) => x.logsumexp(1), [a]);
    gradcheck('norm', (x) => x.norm(2, 1), [a]);
    gradcheck('cumsum', (x) => x.cumsum(1), [a]);
    gradcheck('prod', (x) => x.prod(1), [a]);
    gradcheck('softmax', (x) => x.softmax(1), [a]);
    gradcheck('logSoftmax', (x) => x.logSoftmax(0), [a]);
    gradcheck('topk', (x) => x.topk(2, { dim: 1 }).values, [a]);
    gradcheck('sort', (x) => x.sort(1, true).values, [a]);
    gradcheck('normalize', (x) => F.normalize(x, { dim: 1 }), [a]);
  });
});

test('indexing and shape ops', () => {
  torch.tidy(() => {
    const a = d([3, 4]);
    const idx = torch.tensor([[0, 2], [1, 1], [3, 0]]);
    gradcheck('gather', (x) => x.gather(1, idx), [a]);
    gradcheck('indexSelect', (x) => x.indexSelect(0, torch.tensor([2, 0, 2])), [a]);
    gradcheck('index', (x) => x.index([torch.tensor([1, 2])]), [a]);
    gradcheck('narrow', (x) => x.narrow(1, 1, 2), [a]);
    gradcheck('select', (x) => x.select(0, 1), [a]);
    gradcheck('slice', (x) => x.slice(1, 0, 4, 2), [a]);
    gradcheck('cat', (x, y) => torch.cat([x, y], 1), [a, d([3, 2], -1, 1, 31)]);
    gradcheck('stack', (x, y) => torch.stack([x, y], 0), [a, d([3, 4], -1, 1, 33)]);
    gradcheck('reshape', (x) => x.reshape(2, 6), [a]);
    gradcheck('view', (x) => x.view([4, 3]), [a]);
    gradcheck('permute', (x) => x.reshape(3, 2, 2).permute(2, 0, 1), [a]);
    gradcheck('transpose', (x) => x.transpose(0, 1), [a]);
    gradcheck('flatten', (x) => x.reshape(3, 2, 2).flatten(1), [a]);
    gradcheck('squeeze/unsqueeze', (x) => x.unsqueeze(1).squeeze(1), [a]);
    gradcheck('expand', (x) => x.unsqueeze(0).expand(2, 3, 4), [a]);
    gradcheck('repeat', (x) => x.repeat(2, 1), [a]);
    gradcheck('flip', (x) => x.flip([0, 1]), [a]);
    gradcheck('roll', (x) => x.roll(1, 1), [a]);
    gradcheck('maskedFill', (x) => x.maskedFill(x.gt(0), 0.5), [awayFromZero([3, 4])]);
    gradcheck('where', (x, y) => torch.where(x.gt(0), x, y), [awayFromZero([3, 4]), d([3, 4], -1, 1, 35)]);
    gradcheck('split/chunk', (x) => x.chunk(2, 1)[1].mul(x.split(2, 1)[0]), [a]);
    gradcheck('scatterAdd', (x, s) => x.scatterAdd(1, idx, s), [a, d([3, 2], -1, 1, 37)]);
    gradcheck('tril', (x) => x.tril(), [a]);
  });
});

test('convolution, pooling, normalisation layers', () => {
  torch.tidy(() => {
    const x = d([2, 2, 5, 5]);
    const w = d([3, 2, 3, 3], -0.5, 0.5, 41);
    const b = d([3], -0.5, 0.5, 43);
    gradcheck('conv2d', (a, ww, bb) => F.conv2d(a, ww, bb, { stride: 2, padding: 1 }), [x, w, b]);
    gradcheck('conv2d grouped dilated', (a, ww) => F.conv2d(a, ww, null, { padding: 2, dilation: 2, groups: 2 }), [d([1, 2, 5, 5]), d([2, 1, 3, 3], -1, 1, 45)]);
    const gamma = d([2], 0.5, 1.5, 47);
    const beta = d([2], -0.5, 0.5, 49);
    gradcheck('batchNorm (training)', (a, g, bb) => F.batchNorm(a, null, null, g, bb, { training: true }), [x, gamma, beta]);
    const rm = torch.zeros([2], { dtype: 'float64' });
    const rv = torch.ones([2], { dtype: 'float64' });
    gradcheck('batchNorm (eval)', (a, g, bb) => F.batchNorm(a, rm, rv, g, bb, { training: false }), [x, gamma, beta]);
    gradcheck('layerNorm', (a, g, bb) => F.layerNorm(a, [4], g, bb), [d([3, 4]), d([4], 0.5, 1.5, 51), d([4], -1, 1, 53)]);
    gradcheck('maxPool2d', (a) => F.maxPool2d(a, 2), [d([1, 2, 4, 4], -1, 1, 55)]);
    gradcheck('avgPool2d', (a) => F.avgPool2d(a, 3, { stride: 2, padding: 1 }), [x]);
    gradcheck('adaptiveAvgPool2d', (a) => F.adaptiveAvgPool2d(a, [2, 3]), [x]);
    gradcheck('linear', (a, ww, bb) => F.linear(a, ww, bb), [d([4, 3]), d([2, 3], -1, 1, 57), d([2], -1, 1, 59)]);
    gradcheck('dropout (seeded)', (a) => F.dropout(a, 0.4, true), [d([4, 5])], { seed: 99 });
    gradcheck('dropout2d (seeded)', (a) => F.dropout2d(a, 0.5, true), [d([2, 4, 2, 2])], { seed: 98 });
  });
});

test('losses', () => {
  torch.tidy(() => {
    const logits = d([4, 3], -2, 2);
    const target = torch.tensor([0, 2, 1, 2]);
    const weight = torch.tensor([0.5, 2, 1], { dtype: 'float64' });
    gradcheck('crossEntropy', (x) => F.crossEntropy(x, target), [logits]);
    gradcheck('crossEntropy weighted sum', (x) => F.crossEntropy(x, target, { weight, reduction: 'sum' }), [logits]);
    gradcheck('crossEntropy none', (x) => F.crossEntropy(x, target, { reduction: 'none' }), [logits]);
    gradcheck('crossEntropy label smoothing', (x) => F.crossEntropy(x, target, { labelSmoothing: 0.1 }), [logits]);
    const soft = d([4, 3], 0, 1, 61).softmax(1);
    gradcheck('crossEntropy soft targets', (x) => F.crossEntropy(x, soft), [logits]);
    gradcheck('nllLoss', (x) => F.nllLoss(x.logSoftmax(1), target), [logits]);
    gradcheck('mseLoss', (x, y) => F.mseLoss(x, y), [logits, d([4, 3], -1, 1, 63)]);
    gradcheck('bceWithLogits', (x) => F.binaryCrossEntropyWithLogits(x, d([4, 3], 0, 1, 65)), [logits]);
  });
});

test('resampling: affine grid, grid sample, interpolate, pad', () => {
  torch.tidy(() => {
    const img = d([1, 2, 4, 4]);
    const theta = torch.tensor([[[0.9, 0.1, 0.05], [-0.1, 0.8, -0.05]]], { dtype: 'float64' });
    gradcheck('affineGrid + gridSample (image)', (x) => F.gridSample(x, F.affineGrid(theta, [1, 2, 3, 3])), [img]);
    gradcheck('affineGrid + gridSample (theta)', (t) => F.gridSample(img, F.affineGrid(t, [1, 2, 3, 3]), { paddingMode: 'border' }), [theta]);
    gradcheck('interpolate bilinear', (x) => F.interpolate(x, { size: [6, 5], mode: 'bilinear' }), [img]);
    gradcheck('interpolate bicubic', (x) => F.interpolate(x, { size: [3, 3], mode: 'bicubic', alignCorners: true }), [img]);
    gradcheck('interpolate nearest', (x) => F.interpolate(x, { scaleFactor: 2 }), [img]);
    gradcheck('pad constant', (x) => F.pad(x, [1, 2, 0, 1], { value: 0.3 }), [img]);
    gradcheck('pad reflect', (x) => F.pad(x, [1, 1, 2, 1], { mode: 'reflect' }), [img]);
    gradcheck('pad replicate', (x) => F.pad(x, [2, 0, 1, 1], { mode: 'replicate' }), [img]);
  });
});
