// The exported files themselves: the protobuf encoding, the ONNX ModelProto's
// header, input/output and metadata, and model.json's graph-model layout,
// signature, weights manifest and metadata as @tensorflow/tfjs reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { ProtoWriter } from '../../src/export/protobuf.js';
import { readFields, utf8 } from '../../src/export/protobufReader.js';
import {
  exportModel, generatedImages, readOnnxMetadataProps, readOnnxSemiferMetadata, checkExportMetadata, loadTfjsFolder,
  EXPORT_METADATA_KEY, ONNX_OPSET, TFJS_SHARD, type SemiferExportMetadata,
} from '../../src/export/index.js';
import { exportableModel, metaFor, CLASSES } from './fixtures.js';

torch.setNumThreads(1);
const dir = mkdtempSync(join(tmpdir(), 'semifer-export-format-'));
const SIZE = 32;

test('protobuf writer: varints (incl. negative int64), fixed32 floats, strings, packed ints; the reader reads them back', () => {
  const w = new ProtoWriter().int(1, 150).int(2, -1).float(3, 1.5).string(4, 'héllo').packedInts(5, [1, 300, -2]).message(6, new ProtoWriter().int(1, 7));
  const bytes = w.finish();
  // Field 1 = 150: tag 0x08, varint 0x96 0x01 (the protobuf documentation's example).
  assert.deepEqual([...bytes.subarray(0, 3)], [0x08, 0x96, 0x01]);
  // −1 as int64 is ten bytes: nine 0xff and 0x01.
  assert.deepEqual([...bytes.subarray(3, 14)], [0x10, ...new Array(9).fill(0xff), 0x01]);
  const f = readFields(bytes);
  assert.deepEqual(f.map((x) => x.field), [1, 2, 3, 4, 5, 6]);
  assert.equal(f[0]!.int, 150n);
  assert.equal(BigInt.asIntN(64, f[1]!.int!), -1n);
  assert.equal(f[2]!.float, 1.5);
  assert.equal(utf8(f[3]!.bytes), 'héllo');
  assert.equal(readFields(f[5]!.bytes!)[0]!.int, 7n);
  assert.throws(() => new ProtoWriter().int(1, 1.5), /not an integer/);
});

const model = exportableModel({ arch: 'small', head: 'adacm', logitScale: 8, dta: {} }, SIZE, 2);
const meta = { ...metaFor(model, SIZE, 'adacm') };
const images = generatedImages(3, SIZE);

function expectMetadata(m: SemiferExportMetadata, layout: 'NCHW' | 'NHWC'): void {
  assert.deepEqual(m, {
    format: 'semifer-export', version: 1, classes: CLASSES,
    input: { name: 'input', layout, size: SIZE, channels: 3, colorOrder: 'RGB', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    outputs: { logits: 'logits', probabilities: 'probabilities' },
    model: { arch: 'small', head: 'adacm', method: 'adacm', dta: true },
  });
  checkExportMetadata(m, 'test');
}

test('ONNX: IR 8, opset 17, input N×3×S×S with a symbolic batch, outputs logits/probabilities, metadata_props semifer', { timeout: 60_000 }, async () => {
  const r = await exportModel(model, meta, { format: 'onnx', out: join(dir, 'm.onnx'), images });
  const bytes = readFileSync(r.path);
  assert.equal(statSync(r.path).size, r.bytes);
  const top = readFields(bytes);
  assert.equal(top.find((f) => f.field === 1)!.int, 8n, 'ir_version');
  assert.equal(utf8(top.find((f) => f.field === 2)!.bytes), 'semifer', 'producer_name');
  const opset = readFields(top.find((f) => f.field === 8)!.bytes!);
  assert.equal(opset.find((f) => f.field === 2)!.int, BigInt(ONNX_OPSET));
  const graph = readFields(top.find((f) => f.field === 7)!.bytes!);
  const valueInfo = (b: Uint8Array) => {
    const vi = readFields(b);
    const tensorType = readFields(readFields(vi.find((f) => f.field === 2)!.bytes!)[0]!.bytes!);
    const dims = readFields(tensorType.find((f) => f.field === 2)!.bytes!).map((d) => {
      const x = readFields(d.bytes!)[0]!;
      return x.field === 2 ? utf8(x.bytes) : Number(x.int);
    });
    return { name: utf8(vi.find((f) => f.field === 1)!.bytes), dims };
  };
  assert.deepEqual(graph.filter((f) => f.field === 11).map((f) => valueInfo(f.bytes!)), [{ name: 'input', dims: ['N', 3, SIZE, SIZE] }]);
  assert.deepEqual(graph.filter((f) => f.field === 12).map((f) => valueInfo(f.bytes!)), [{ name: 'logits', dims: ['N', 7] }, { name: 'probabilities', dims: ['N', 7] }]);
  // Every initializer is float32 raw_data.
  for (const init of graph.filter((f) => f.field === 5)) {
    const t = readFields(init.bytes!);
    assert.equal(t.find((f) => f.field === 2)!.int, 1n);
    assert.ok(t.find((f) => f.field === 9)!.bytes);
  }
  assert.deepEqual(Object.keys(readOnnxMetadataProps(bytes)), [EXPORT_METADATA_KEY]);
  expectMetadata(readOnnxSemiferMetadata(bytes, r.path), 'NCHW');
  expectMetadata(r.metadata, 'NCHW');
  assert.throws(() => readOnnxSemiferMetadata(Uint8Array.of(0x08, 0x96), 'x.onnx'), /x.onnx: not an ONNX model/);
});

test('TF.js: graph-model model.json with one shard, NHWC signature, userDefinedMetadata.semifer; loads with tf.loadGraphModel', { timeout: 60_000 }, async () => {
  const out = join(dir, 'tfjs');
  const r = await exportModel(model, meta, { format: 'tfjs', out, images });
  assert.equal(r.path, join(out, 'model.json'));
  const json = JSON.parse(readFileSync(r.path, 'utf8'));
  assert.equal(json.format, 'graph-model');
  assert.match(json.generatedBy, /^semifer/);
  assert.match(json.convertedBy, /semifer/);
  assert.deepEqual(Object.keys(json.signature.inputs), ['input']);
  assert.deepEqual(json.signature.inputs.input.tensorShape.dim.map((d: { size: string }) => Number(d.size)), [-1, SIZE, SIZE, 3]);
  assert.deepEqual(Object.keys(json.signature.outputs), ['logits', 'probabilities']);
  assert.equal(json.weightsManifest.length, 1);
  assert.deepEqual(json.weightsManifest[0].paths, [TFJS_SHARD]);
  const bytes = json.weightsManifest[0].weights.reduce((s: number, w: { shape: number[] }) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  assert.equal(statSync(join(out, TFJS_SHARD)).size, bytes);
  const ops = new Set(json.modelTopology.node.map((n: { op: string }) => n.op));
  for (const op of ops) {
    assert.ok(['Placeholder', 'Const', 'Conv2D', 'BiasAdd', 'Relu', 'PadV2', 'MaxPool', 'Sigmoid', 'Mul', 'AddV2', 'Mean', 'Square', 'Sum', 'Sqrt', 'Maximum', 'RealDiv', 'MatMul', 'Softmax', 'Identity'].includes(op as string), `unexpected op ${op}`);
  }
  expectMetadata(json.userDefinedMetadata.semifer, 'NHWC');
  const gm = await loadTfjsFolder(out);
  expectMetadata((gm.metadata as { semifer: SemiferExportMetadata }).semifer, 'NHWC');
  assert.deepEqual(gm.outputNodes.sort(), ['logits', 'probabilities']);
  gm.dispose();
});
