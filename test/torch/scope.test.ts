// Memory scopes, disposal, and the clear errors around them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';

test('tidy frees intermediates and moves returned tensors to the parent scope', () => {
  const before = torch.memory().tensors;
  const out = torch.tidy(() => {
    const a = torch.ones([100]);
    const b = a.mul(2).add(1);
    const inner = torch.tidy(() => {
      const tmp = b.mul(3);
      return { sum: tmp.sum(), list: [tmp.mean()] };
    });
    assert.equal(inner.sum.item(), 900);
    return inner.list[0];
  });
  assert.equal(out.item(), 9);
  assert.equal(torch.memory().tensors, before + 1, 'only the returned tensor is alive');
  out.dispose();
  assert.equal(torch.memory().tensors, before);
});

test('keep() survives scopes; dispose() frees now and is idempotent', () => {
  const before = torch.memory().tensors;
  const kept = torch.tidy(() => {
    torch.keep(torch.zeros([4]));
    return null;
  });
  assert.equal(kept, null);
  assert.equal(torch.memory().tensors, before + 1);
  const t = torch.ones([2]);
  t.dispose();
  t.dispose();
  assert.equal(t.isDisposed, true);
});

test('using a disposed tensor is a clear error, not a crash', () => {
  const t = torch.tidy(() => {
    const x = torch.ones([2]);
    torch.tidy(() => x.add(1)); // freed at this inner scope's end
    return x;
  });
  const escaped = torch.tidy(() => torch.ones([3]).mul(2));
  const leaked: torch.Tensor[] = [];
  torch.tidy(() => {
    leaked.push(torch.ones([2]));
  });
  assert.throws(() => leaked[0].add(1), /Tensor is disposed: it was freed by dispose\(\) or at the end of the tidy\(\) scope/);
  assert.throws(() => leaked[0].shape, /Tensor is disposed/);
  assert.equal(escaped.sum().item(), 6);
  t.dispose();
  escaped.dispose();
});

test('an exception inside tidy frees the scope and propagates', () => {
  const before = torch.memory().tensors;
  assert.throws(() => torch.tidy(() => {
    torch.ones([10]);
    torch.ones([2, 3]).matmul(torch.ones([2, 3]));
  }), /matmul\(float32\[2,3\], float32\[2,3\]\): mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
  assert.equal(torch.memory().tensors, before);
  assert.equal(torch.scopeDepth(), 0);
});

test('tidy refuses async functions', () => {
  assert.throws(() => torch.tidy((async () => torch.ones([1])) as unknown as () => torch.Tensor), /tidy\(\) cannot wrap an async function/);
});

test('LibTorch errors name the op, shapes and dtypes; bad arguments are TypeErrors', () => {
  torch.tidy(() => {
    const a = torch.ones([2, 3]);
    assert.throws(() => a.add(torch.ones([4])), (e: Error) => /^add\(float32\[2,3\], float32\[4\], none\): The size of tensor a \(3\) must match/.test(e.message));
    assert.throws(() => torch.F.conv2d(torch.ones([1, 3, 8, 8]), torch.ones([4, 2, 3, 3])), /conv2d\(float32\[1,3,8,8\], float32\[4,2,3,3\].*expected input\[1, 3, 8, 8\] to have 2 channels/);
    assert.throws(() => torch.F.crossEntropy(torch.ones([2, 3]), torch.tensor([0, 5])), /crossEntropy\(float32\[2,3\], int64\[2\].*Target 5 is out of bounds/);
    assert.throws(() => a.view(4, 2), /view\(float32\[2,3\], \[4,2\]\): shape '\[4, 2\]' is invalid for input of size 6/);
    assert.throws(() => a.reshape(-1.5), /reshape: argument 1 must be an array of integers/);
    assert.throws(() => a.to('int33' as torch.DType), /toDevice/);
    assert.throws(() => torch.zeros([2], { dtype: 'float8' as torch.DType }), /unknown dtype 'float8'/);
    assert.throws(() => torch.F.dropout(a, 1.5), /dropout: p must be in \[0, 1\]/);
    assert.throws(() => torch.F.interpolate(a, { size: 4 }), /interpolate: expected N×C×H×W/);
  });
});

test('autograd: backward, grad, noGrad, detach', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
    const z = torch.noGrad(() => x.mul(2));
    assert.equal(z.requiresGrad, false);
    assert.equal(torch.isGradEnabled(), true);
    assert.equal(x.detach().requiresGrad, false);
    x.grad = null;
    assert.equal(x.grad, null);
    assert.throws(() => torch.tensor([1, 2]).sum().backward(), /backward.*does not require grad/);
  });
});
