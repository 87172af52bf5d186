// safetensors (bytes checked against the format), and PyTorch checkpoints made with PyTorch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';

const fixtures = join(process.cwd(), 'test', 'fixtures');

test('safetensors bytes follow the format: u64 header length, JSON header, raw little-endian data', () => {
  torch.tidy(() => {
    const buf = torch.serializeSafetensors({ a: torch.tensor(new Float32Array([1, 2])) }, { format: 'pt' });
    const n = Number(buf.readBigUInt64LE(0));
    assert.equal((8 + n) % 8, 0, 'data is 8-byte aligned');
    const header = JSON.parse(buf.subarray(8, 8 + n).toString());
    assert.deepEqual(header, { __metadata__: { format: 'pt' }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
    assert.deepEqual([...new Float32Array(buf.buffer.slice(buf.byteOffset + 8 + n, buf.byteOffset + 16 + n))], [1, 2]);
    // A file written by hand from the spec loads.
    const json = '{"w":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}';
    const hand = Buffer.alloc(8 + json.length + 16);
    hand.writeBigUInt64LE(BigInt(json.length));
    hand.write(json, 8);
    hand.writeBigInt64LE(-3n, 8 + json.length);
    hand.writeBigInt64LE(7n, 16 + json.length);
    assert.deepEqual(torch.parseSafetensors(hand).tensors.get('w')!.toArray(), [-3, 7]);
  });
});

test('safetensors round-trips every dtype and writes atomically', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-st-'));
  torch.tidy(() => {
    const src = new Map<string, torch.Tensor>([
      ['f32', torch.tensor([[1.5, -2], [3, 4]], { dtype: 'float32' })],
      ['f64', torch.tensor([Math.PI], { dtype: 'float64' })],
      ['f16', torch.tensor([0.5, -8], { dtype: 'float16' })],
      ['bf16', torch.tensor([2, 3], { dtype: 'bfloat16' })],
      ['i64', torch.tensor([2 ** 40, -1])],
      ['i32', torch.tensor([7], { dtype: 'int32' })],
      ['u8', torch.tensor([0, 255], { dtype: 'uint8' })],
      ['bool', torch.tensor([true, false])],
      ['scalar', torch.tensor(5, { dtype: 'float32' })],
      ['empty', torch.zeros([0, 3])],
      ['transposed', torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' }).t()],
    ]);
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'old contents');
    torch.saveSafetensors(src, path, { epoch: '3' });
    assert.deepEqual(readdirSync(dir), ['model.safetensors'], 'no temp file left behind');
    const { tensors, metadata } = torch.loadSafetensors(path);
    assert.deepEqual(metadata, { epoch: '3' });
    for (const [k, t] of src) {
      const back = tensors.get(k)!;
      assert.equal(back.dtype, t.dtype, k);
      assert.deepEqual(back.shape, t.shape, k);
      assert.deepEqual(back.toArray(), t.toArray(), k);
    }
  });
});

test('safetensors errors name the file and the problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-st-'));
  const p = join(dir, 'bad.safetensors');
  writeFileSync(p, Buffer.from([1, 2, 3]));
  assert.throws(() => torch.loadSafetensors(p), new RegExp(`${p}: not a safetensors file`));
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(1000n);
  writeFileSync(p, Buffer.concat([head, Buffer.from('{}')]));
  assert.throws(() => torch.loadSafetensors(p), /header length 1000 exceeds the file/);
  const json = '{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}';
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(p, Buffer.concat([b, Buffer.from(json), Buffer.alloc(8)]));
  assert.throws(() => torch.loadSafetensors(p), /tensor 'w' \(F32\[4\]\) has data_offsets \[0, 16\] that do not fit/);
  const badDtype = '{"w":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}';
  b.writeBigUInt64LE(BigInt(badDtype.length));
  writeFileSync(p, Buffer.concat([b, Buffer.from(badDtype), Buffer.alloc(1)]));
  assert.throws(() => torch.loadSafetensors(p), /unsupported dtype 'F8'/);
  assert.throws(() => torch.loadSafetensors(join(dir, 'missing.safetensors')), /cannot read \(ENOENT\)/);
});

const tinyExpected: Record<string, { dtype: string; shape: number[]; values: number[] }> = {
  'conv.weight': { dtype: 'float32', shape: [2, 1, 2, 2], values: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75] },
  'conv.bias': { dtype: 'float32', shape: [2], values: [0.5, -0.5] },
  'bn.running_mean': { dtype: 'float32', shape: [2], values: [0.1, 0.2] },
  'bn.running_var': { dtype: 'float32', shape: [2], values: [1.5, 2.5] },
  'bn.num_batches_tracked': { dtype: 'int64', shape: [], values: [7] },
  // arange(6).reshape(3,2).t(): a non-contiguous view, read through its strides
  'fc.weight': { dtype: 'float64', shape: [2, 3], values: [0, 2, 4, 1, 3, 5] },
};

for (const file of ['tiny_checkpoint.pth.tar', 'legacy_checkpoint.pth']) {
  test(`PyTorch checkpoint ${file}: nested state_dict, module. prefix, strides, dtypes`, () => {
    torch.tidy(() => {
      const value = torch.loadPth(join(fixtures, file));
      assert.ok(value instanceof Map);
      assert.equal((value as Map<unknown, unknown>).get('epoch'), 3);
      const sd = torch.extractStateDict(value, file);
      assert.deepEqual([...sd.keys()], Object.keys(tinyExpected));
      for (const [k, e] of Object.entries(tinyExpected)) {
        const t = sd.get(k)!;
        assert.equal(t.dtype, e.dtype, k);
        assert.deepEqual(t.shape, e.shape, k);
        t.toArray().forEach((v, i) => assert.ok(Math.abs(v - e.values[i]) < 1e-6, `${k}[${i}] ${v} vs ${e.values[i]}`));
      }
    });
  });
}

test('PyTorch checkpoint with other dtypes loads into a module', () => {
  torch.tidy(() => {
    const sd = torch.loadStateDictFile(join(fixtures, 'plain_state_dict.pth'));
    assert.deepEqual(sd.get('half')!.toArray(), [1, -2, 0.5]);
    assert.deepEqual(sd.get('int32')!.toArray(), [1, -2, 3, 2147483647]);
    assert.deepEqual(sd.get('uint8')!.toArray(), [0, 255, 7]);
    assert.equal(sd.get('flag')!.dtype, 'bool');
    const value = torch.loadPth(join(fixtures, 'tiny_checkpoint.pth.tar'));
    const conv = new torch.nn.Conv2d(1, 2, 2);
    const full = torch.extractStateDict(value);
    conv.loadStateDict(new Map([['weight', full.get('conv.weight')!], ['bias', full.get('conv.bias')!]]));
    assert.deepEqual(conv.bias!.toArray(), [0.5, -0.5]);
    conv.dispose();
  });
});

test('bad checkpoints get clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-pth-'));
  const notPth = join(dir, 'notes.pth');
  writeFileSync(notPth, 'hello world');
  assert.throws(() => torch.loadPth(notPth), /notes\.pth: not a PyTorch checkpoint/);
  const truncated = join(dir, 'truncated.pth');
  const good = readFileSync(join(fixtures, 'tiny_checkpoint.pth.tar'));
  writeFileSync(truncated, good.subarray(0, good.length - 200));
  assert.throws(() => torch.loadPth(truncated), /truncated\.pth: (truncated zip archive|corrupt zip)/);
  const legacyCut = join(dir, 'legacy_cut.pth');
  const legacy = readFileSync(join(fixtures, 'legacy_checkpoint.pth'));
  writeFileSync(legacyCut, legacy.subarray(0, legacy.length - 10));
  assert.throws(() => torch.loadPth(legacyCut), /legacy_cut\.pth: storage .* runs past the end of the file/);
  assert.throws(() => torch.loadPth(join(dir, 'missing.pth')), /missing\.pth: cannot read \(ENOENT\)/);
  assert.throws(() => torch.extractStateDict(new Map([['epoch', 3]]) as torch.PthValue, 'x.pth'), /x\.pth: the state dict holds no tensors/);
});
