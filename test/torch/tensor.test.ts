// Tensors: creation from typed arrays, factories, values of ops against hand-computed numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';

const close = (a: number[], b: number[], tol = 1e-6) => {
  assert.equal(a.length, b.length, `length ${a.length} vs ${b.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `index ${i}: ${v} vs ${b[i]}`));
};

test('typed arrays round-trip for every dtype', () => {
  torch.tidy(() => {
    const f32 = torch.tensor(new Float32Array([1.5, -2, 3]));
    assert.equal(f32.dtype, 'float32');
    assert.deepEqual(Array.from(f32.data() as Float32Array), [1.5, -2, 3]);
    const f64 = torch.tensor(new Float64Array([0.1, 0.2]), { shape: [2, 1] });
    assert.deepEqual(f64.shape, [2, 1]);
    assert.deepEqual(Array.from(f64.data() as Float64Array), [0.1, 0.2]);
    const i32 = torch.tensor(new Int32Array([-7, 2147483647]));
    assert.deepEqual(Array.from(i32.data() as Int32Array), [-7, 2147483647]);
    const i64 = torch.tensor(new BigInt64Array([-(2n ** 40n), 5n]));
    assert.equal(i64.dtype, 'int64');
    assert.deepEqual(Array.from(i64.data() as BigInt64Array), [-(2n ** 40n), 5n]);
    assert.deepEqual(i64.toArray(), [-(2 ** 40), 5]);
    const u8 = torch.tensor(new Uint8Array([0, 255]));
    assert.deepEqual(Array.from(u8.data() as Uint8Array), [0, 255]);
    const b = torch.tensor([true, false, true]);
    assert.equal(b.dtype, 'bool');
    assert.deepEqual(b.toArray(), [1, 0, 1]);
    const half = torch.tensor([1.5, -0.25], { dtype: 'float16' });
    assert.equal(half.dtype, 'float16');
    assert.deepEqual(half.toArray(), [1.5, -0.25]);
    const bf = torch.tensor([2, -4], { dtype: 'bfloat16' });
    assert.deepEqual(bf.toArray(), [2, -4]);
    // A typed array view with an offset into a larger buffer.
    const big = new Float32Array([9, 9, 1, 2, 3, 9]);
    assert.deepEqual(torch.tensor(big.subarray(2, 5)).toArray(), [1, 2, 3]);
  });
});

test('nested arrays infer shape and dtype as PyTorch does', () => {
  torch.tidy(() => {
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, 'int64');
    assert.equal(torch.tensor([[1.5, 2]]).dtype, 'float32');
    assert.equal(torch.tensor(3.5).item(), 3.5);
    assert.deepEqual(torch.tensor(3.5).shape, []);
    assert.throws(() => torch.tensor([[1, 2], [3]]), /ragged nested array at data\[1\]: expected length 2/);
    assert.throws(() => torch.tensor([1, 'a' as unknown as number]), /element data\[1\] is string/);
    assert.throws(() => torch.tensor(new Float32Array(5), { shape: [2, 2] }), /fromBuffer: data has 20 bytes but shape float32\[2,2\] needs 16/);
  });
});

test('factories: shapes, dtypes, values, seeded randomness', () => {
  torch.tidy(() => {
    assert.deepEqual(torch.zeros([2, 3]).toArray(), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(torch.ones([2], { dtype: 'int32' }).toArray(), [1, 1]);
    assert.deepEqual(torch.full([3], 7.5).toArray(), [7.5, 7.5, 7.5]);
    const ar = torch.arange(5);
    assert.equal(ar.dtype, 'int64');
    assert.deepEqual(ar.toArray(), [0, 1, 2, 3, 4]);
    close(torch.arange(0, 1, 0.25).toArray(), [0, 0.25, 0.5, 0.75]);
    assert.deepEqual(torch.eye(2).toArray(), [1, 0, 0, 1]);
    torch.manualSeed(42);
    const a = torch.rand([5]).toArray();
    const n1 = torch.randn([4]).toArray();
    const ri = torch.randint(3, 6, [50]).toArray();
    const perm = torch.randperm(6).toArray();
    torch.manualSeed(42);
    assert.deepEqual(torch.rand([5]).toArray(), a);
    assert.deepEqual(torch.randn([4]).toArray(), n1);
    assert.deepEqual(torch.randint(3, 6, [50]).toArray(), ri);
    assert.deepEqual(torch.randperm(6).toArray(), perm);
    assert.ok(a.every((v) => v >= 0 && v < 1));
    assert.ok(ri.every((v) => v >= 3 && v < 6 && Number.isInteger(v)));
    assert.deepEqual([...perm].sort(), [0, 1, 2, 3, 4, 5]);
    // The generator state restores exactly (checkpoints rely on it).
    const state = torch.getRngState();
    const next = torch.rand([3]).toArray();
    torch.setRngState(state);
    assert.deepEqual(torch.rand([3]).toArray(), next);
  });
});

test('arithmetic with broadcasting and scalars', () => {
  torch.tidy(() => {
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
    const row = torch.tensor([10, 20, 30], { dtype: 'float32' });
    assert.deepEqual(a.add(row).toArray(), [11, 22, 33, 14, 25, 36]);
    assert.deepEqual(a.add(row, 0.5).toArray(), [6, 12, 18, 9, 15, 21]);
    assert.deepEqual(a.sub(1).toArray(), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(a.rsub(1).toArray(), [0, -1, -2, -3, -4, -5]);
    assert.deepEqual(a.mul(row).toArray(), [10, 40, 90, 40, 100, 180]);
    close(a.div(2).toArray(), [0.5, 1, 1.5, 2, 2.5, 3]);
    close(a.rdiv(12).toArray(), [12, 6, 4, 3, 2.4, 2]);
    close(a.pow(2).toArray(), [1, 4, 9, 16, 25, 36]);
    close(a.sqrt().toArray(), [1, Math.SQRT2, Math.sqrt(3), 2, Math.sqrt(5), Math.sqrt(6)]);
    close(a.neg().exp().toArray(), [1, 2, 3, 4, 5, 6].map((v) => Math.exp(-v)));
    close(a.log().toArray(), [1, 2, 3, 4, 5, 6].map(Math.log));
    close(a.sub(3.5).sigmoid().toArray(), [1, 2, 3, 4, 5, 6].map((v) => 1 / (1 + Math.exp(-(v - 3.5)))));
    assert.deepEqual(a.sub(3).relu().toArray(), [0, 0, 0, 1, 2, 3]);
    assert.deepEqual(a.clamp(2, 5).toArray(), [2, 2, 3, 4, 5, 5]);
    assert.deepEqual(a.clampMin(4).toArray(), [4, 4, 4, 4, 5, 6]);
    assert.deepEqual(a.matmul(torch.tensor([[1], [0], [-1]], { dtype: 'float32' })).toArray(), [-2, -2]);
    assert.deepEqual(a.t().shape, [3, 2]);
    // Integer tensors stay integral with integer scalars (as in Python).
    const i = torch.tensor([1, 2, 3]);
    assert.equal(i.add(1).dtype, 'int64');
    assert.equal(i.mul(0.5).dtype, 'float32');
  });
});

test('reductions, sorting, softmax', () => {
  torch.tidy(() => {
    const a = torch.tensor([[3, 1, 2], [0, 5, 4]], { dtype: 'float32' });
    assert.equal(a.sum().item(), 15);
    assert.deepEqual(a.sum(0).toArray(), [3, 6, 6]);
    assert.deepEqual(a.sum(1, true).shape, [2, 1]);
    assert.equal(a.mean().item(), 2.5);
    assert.equal(a.max().item(), 5);
    const m = a.max(1);
    assert.deepEqual(m.values.toArray(), [3, 5]);
    assert.deepEqual(m.indices.toArray(), [0, 1]);
    assert.deepEqual(a.min(0).values.toArray(), [0, 1, 2]);
    assert.deepEqual(a.argmax(1).toArray(), [0, 1]);
    assert.deepEqual(a.argmin(1).toArray(), [1, 0]);
    const tk = a.topk(2, { dim: 1 });
    assert.deepEqual(tk.values.toArray(), [3, 2, 5, 4]);
    assert.deepEqual(tk.indices.toArray(), [0, 2, 1, 2]);
    assert.deepEqual(a.sort(1).values.toArray(), [1, 2, 3, 0, 4, 5]);
    assert.deepEqual(a.argsort(1, true).toArray(), [0, 2, 1, 1, 2, 0]);
    close(a.std(1).toArray(), [1, Math.sqrt(7)]);
    close(a.var(1, { unbiased: false }).toArray(), [2 / 3, 14 / 3]);
    close(a.norm(2, 1).toArray(), [Math.sqrt(14), Math.sqrt(41)]);
    close(a.logsumexp(1).toArray(), [Math.log(Math.exp(3) + Math.exp(1) + Math.exp(2)), Math.log(1 + Math.exp(5) + Math.exp(4))], 1e-5);
    const p = a.softmax(1).toArray();
    const z = Math.exp(3) + Math.exp(1) + Math.exp(2);
    close(p.slice(0, 3), [Math.exp(3) / z, Math.exp(1) / z, Math.exp(2) / z]);
    close(a.logSoftmax(1).exp().toArray(), a.softmax(1).toArray());
    assert.deepEqual(a.cumsum(1).toArray(), [3, 4, 6, 0, 5, 9]);
  });
});

test('comparisons, masks, indexing and shapes', () => {
  torch.tidy(() => {
    const a = torch.tensor([[1, -2, 3], [-4, 5, -6]], { dtype: 'float32' });
    assert.deepEqual(a.gt(0).toArray(), [1, 0, 1, 0, 1, 0]);
    assert.deepEqual(a.eq(torch.tensor([1, 5, 0], { dtype: 'float32' })).toArray(), [1, 0, 0, 0, 1, 0]);
    assert.deepEqual(a.maskedFill(a.lt(0), 0).toArray(), [1, 0, 3, 0, 5, 0]);
    assert.deepEqual(a.maskedSelect(a.gt(0)).toArray(), [1, 3, 5]);
    assert.deepEqual(torch.where(a.gt(0), a, 9).toArray(), [1, 9, 3, 9, 5, 9]);
    assert.deepEqual(a.gt(0).logicalAnd(a.lt(4)).toArray(), [1, 0, 1, 0, 0, 0]);
    assert.deepEqual(a.gather(1, torch.tensor([[2], [0]])).toArray(), [3, -4]);
    assert.deepEqual(a.indexSelect(1, torch.tensor([2, 0])).toArray(), [3, 1, -6, -4]);
    assert.deepEqual(a.index([torch.tensor([1, 1, 0])]).shape, [3, 3]);
    assert.deepEqual(a.narrow(1, 1, 2).toArray(), [-2, 3, 5, -6]);
    assert.deepEqual(a.select(0, 1).toArray(), [-4, 5, -6]);
    assert.deepEqual(a.slice(1, null, null, 2).toArray(), [1, 3, -4, -6]);
    assert.deepEqual(torch.cat([a, a], 0).shape, [4, 3]);
    assert.deepEqual(torch.stack([a, a], 2).shape, [2, 3, 2]);
    assert.deepEqual(a.reshape(3, 2).toArray(), [1, -2, 3, -4, 5, -6]);
    assert.deepEqual(a.permute(1, 0).toArray(), [1, -4, -2, 5, 3, -6]);
    assert.deepEqual(a.unsqueeze(0).shape, [1, 2, 3]);
    assert.deepEqual(a.unsqueeze(0).squeeze(0).shape, [2, 3]);
    assert.deepEqual(a.flatten().shape, [6]);
    assert.deepEqual(a.flip(1).toArray(), [3, -2, 1, -6, 5, -4]);
    assert.deepEqual(a.roll(1, 1).toArray(), [3, 1, -2, -6, -4, 5]);
    assert.deepEqual(a.expand(2, 2, 3).shape, [2, 2, 3]);
    assert.deepEqual(a.repeat(1, 2).shape, [2, 6]);
    assert.deepEqual(a.split(1, 0).map((t) => t.shape), [[1, 3], [1, 3]]);
    assert.deepEqual(torch.F.oneHot(torch.tensor([2, 0]), 3).toArray(), [0, 0, 1, 1, 0, 0]);
    assert.deepEqual(torch.F.bincount(torch.tensor([1, 1, 3, 0, 3, 3]), { minlength: 5 }).toArray(), [1, 2, 0, 3, 0]);
    assert.deepEqual(torch.F.histc(torch.tensor([0.1, 0.2, 0.6, 0.9, 0.95], { dtype: 'float32' }), 2, 0, 1).toArray(), [2, 3]);
    const z = torch.zeros([3]);
    z.indexPut_([torch.tensor([0, 2])], torch.tensor([5, 6], { dtype: 'float32' }));
    assert.deepEqual(z.toArray(), [5, 0, 6]);
    assert.equal(torch.tensor([1, 2]).allFinite(), true);
    assert.equal(torch.tensor([1, NaN]).allFinite(), false);
    assert.equal(torch.tensor([1, Infinity]).allFinite(), false);
  });
});

test('dtype and device conversion', () => {
  torch.tidy(() => {
    const a = torch.tensor([1.7, -1.2]);
    assert.equal(a.to('float64').dtype, 'float64');
    assert.deepEqual(a.long().toArray(), [1, -1]);
    assert.equal(a.to({ dtype: 'float16' }).dtype, 'float16');
    assert.equal(a.to('cpu').device, 'cpu');
    assert.equal(a.channelsLast !== undefined, true);
    if (!torch.cuda.isAvailable()) {
      assert.throws(() => a.to('cuda:0'), /toDevice\(float32\[2\], "cuda:0"/);
    }
  });
});
