// A small TF.js graph model written by hand, with the op types Human's
// MobileFaceNet and faceres use (see writeFaceLikeModel), for the importer's
// and the exporter's tests: no download, everything in a temporary folder.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { halfToFloat } from '../../src/models/tfjs/readModel.js';

export const b64 = (s: string) => Buffer.from(s).toString('base64');
export const ints = (v: number[]) => ({ list: { i: v.map(String) } });
export const T = { T: { type: 'DT_FLOAT' } };
export const NHWC = { data_format: { s: b64('NHWC') } };
export const pad = (p: string) => ({ padding: { s: b64(p) } });
export const fused = (ops: string[], args: number) => ({ fused_ops: { list: { s: ops.map(b64) } }, num_args: { i: String(args) } });
export const strides = (s: number) => ({ strides: ints([1, s, s, 1]), dilations: ints([1, 1, 1, 1]) });

/** IEEE half bits of a float (round toward zero; enough for test weights). */
function floatToHalf(v: number): number {
  const u = new Uint32Array(new Float32Array([v]).buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | ((u >>> 13) & 0x3ff);
}

export type Stored = 'float32' | 'int32' | 'uint8' | 'uint16' | 'float16';
export interface W { name: string; shape: number[]; values: number[]; store: Stored }

/** A random weight (seeded by its name's length and index). */
export function rand(name: string, shape: number[], store: Stored, scale = 0.5, seed = 1): W {
  let s = seed * 9973 + name.length * 31;
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
  return { name, shape, values, store };
}

/** Writes model.json + two shards; returns the dequantised values each reader must see. */
export function writeModel(dir: string, nodes: object[], weights: W[]): Map<string, number[]> {
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
export function writeFaceLikeModel(dir: string): Map<string, number[]> {
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
