/**
 * Graph → TensorFlow.js graph model: `model.json` (a TF GraphDef as JSON,
 * the format tfjs-converter writes and `tf.loadGraphModel` reads) plus one
 * weight shard. Values are NHWC here: every 4-D IR value (NCHW) is read as
 * N×H×W×C, conv filters are permuted OIHW → HWIO and linear weights
 * transposed to in×out; per-channel constants broadcast along the last axis.
 *
 * Only ops the TF.js graph executor implements on every backend (cpu, wasm,
 * webgl) are used: Placeholder, Const, Conv2D and DepthwiseConv2dNative
 * (EXPLICIT padding, which may differ before and after), BiasAdd,
 * Mul, AddV2, Relu, LeakyRelu, Prelu, Relu6, ClipByValue, Minimum, Sigmoid, PadV2 + MaxPool (PyTorch pads with −∞,
 * TF's SAME padding places windows differently), Mean, MatMul, Square, Sum,
 * Sqrt, Maximum, RealDiv, Softmax, Identity. String attributes are base64, as
 * in the JSON form of a GraphDef.
 */
import type { Graph, GraphNode } from './graph.js';
import { windowOut } from './graph.js';
import { EXPORT_METADATA_KEY, type SemiferExportMetadata } from './metadata.js';
import { ExportError } from './emitters.js';

export const TFJS_SHARD = 'group1-shard1of1.bin';
/** The most negative float32: PadV2's fill for max pooling (−∞ itself is avoided for WebGL uniforms). */
const LOWEST_FLOAT32 = -3.4028234663852886e38;

type AttrValue = Record<string, unknown>;
interface TfNode { name: string; op: string; input?: string[]; attr?: Record<string, AttrValue> }
interface Weight { name: string; shape: number[]; dtype: 'float32' | 'int32'; data: Float32Array | Int32Array }

const DT: Record<Weight['dtype'], string> = { float32: 'DT_FLOAT', int32: 'DT_INT32' };
const tfShape = (shape: number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const aType = (t: string): AttrValue => ({ type: t });
const aInts = (v: number[]): AttrValue => ({ list: { i: v.map(String) } });
const aStr = (s: string): AttrValue => ({ s: Buffer.from(s, 'utf8').toString('base64') });
const FLOAT_T = { T: aType('DT_FLOAT') };

/** N×C×H×W shapes become N×H×W×C; others stay. */
export const nhwc = (shape: number[]): number[] => (shape.length === 4 ? [shape[0]!, shape[2]!, shape[3]!, shape[1]!] : [...shape]);

/** OIHW → HWIO. */
function hwio(data: Float32Array, [o, i, h, w]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let a = 0; a < o!; a++) for (let b = 0; b < i!; b++) for (let y = 0; y < h!; y++) for (let x = 0; x < w!; x++) {
    out[((y * w! + x) * i! + b) * o! + a] = data[((a * i! + b) * h! + y) * w! + x]!;
  }
  return out;
}

/** Depthwise OIHW (C·M)×1×H×W → H×W×C×M (output channel c·M + m, as TF's DepthwiseConv2dNative). */
function depthwiseFilter(data: Float32Array, [o, , h, w]: number[], c: number): Float32Array {
  const m = o! / c;
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) for (let k = 0; k < m; k++) for (let y = 0; y < h!; y++) for (let x = 0; x < w!; x++) {
    out[((y * w! + x) * c + ch) * m + k] = data[((ch * m + k) * h! + y) * w! + x]!;
  }
  return out;
}

/** out×in → in×out. */
function transpose2d(data: Float32Array, [r, c]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let a = 0; a < r!; a++) for (let b = 0; b < c!; b++) out[b * r! + a] = data[a * c! + b]!;
  return out;
}

class TfGraphBuilder {
  readonly nodes: TfNode[] = [];
  readonly weights: Weight[] = [];

  const(name: string, dtype: Weight['dtype'], shape: number[], data: Float32Array | Int32Array): string {
    this.weights.push({ name, shape, dtype, data });
    this.nodes.push({ name, op: 'Const', attr: { dtype: aType(DT[dtype]), value: { tensor: { dtype: DT[dtype], tensorShape: tfShape(shape) } } } });
    return name;
  }

  op(name: string, op: string, input: string[], attr: Record<string, AttrValue> = {}): string {
    this.nodes.push({ name, op, input, attr });
    return name;
  }
}

function lower(n: GraphNode, g: Graph, b: TfGraphBuilder): void {
  const out = n.output;
  const init = (name: string) => g.initializer(name);
  switch (n.op) {
    case 'conv2d': {
      const w = init(n.weight);
      const inC = g.shape(n.input)[1]!;
      // Depthwise: one group per input channel, each with M = out/in filters (w is (C·M)×1×H×W).
      const depthwise = n.groups !== 1 && n.groups === inC && w.shape[1] === 1;
      if (n.groups !== 1 && !depthwise) throw new ExportError(`TF.js export: ${out} is a grouped convolution (groups ${n.groups}), which TF.js's Conv2D does not support`);
      const filter = depthwise
        ? b.const(n.weight, 'float32', [w.shape[2]!, w.shape[3]!, inC, w.shape[0]! / inC], depthwiseFilter(w.data, w.shape, inC))
        : b.const(n.weight, 'float32', [w.shape[2]!, w.shape[3]!, w.shape[1]!, w.shape[0]!], hwio(w.data, w.shape));
      const [pt, pl] = n.padding;
      const [pb, pr] = n.padEnd ?? n.padding;
      const pad: Record<string, AttrValue> = pt || pl || pb || pr ? { padding: aStr('EXPLICIT'), explicit_paddings: aInts([0, 0, pt, pb, pl, pr, 0, 0]) } : { padding: aStr('VALID') };
      const convName = n.bias ? `${out}/conv` : out;
      b.op(convName, depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', [n.input, filter], {
        ...FLOAT_T, strides: aInts([1, ...n.stride, 1]), dilations: aInts([1, ...n.dilation, 1]), data_format: aStr('NHWC'), ...pad,
      });
      if (n.bias) b.op(out, 'BiasAdd', [convName, b.const(n.bias, 'float32', g.shape(n.bias), init(n.bias).data)], { ...FLOAT_T, data_format: aStr('NHWC') });
      return;
    }
    case 'channelAffine': {
      const scale = b.const(n.scale, 'float32', g.shape(n.scale), init(n.scale).data);
      const shift = b.const(n.shift, 'float32', g.shape(n.shift), init(n.shift).data);
      b.op(out, 'AddV2', [b.op(`${out}/mul`, 'Mul', [n.input, scale], FLOAT_T), shift], FLOAT_T);
      return;
    }
    case 'relu': b.op(out, 'Relu', [n.input], FLOAT_T); return;
    case 'sigmoid': b.op(out, 'Sigmoid', [n.input], FLOAT_T); return;
    case 'leakyRelu': b.op(out, 'LeakyRelu', [n.input], { ...FLOAT_T, alpha: { f: n.alpha } }); return;
    // The C slopes broadcast along the last axis: the channels of an NHWC value.
    case 'prelu': b.op(out, 'Prelu', [n.input, b.const(n.slope, 'float32', g.shape(n.slope), init(n.slope).data)], FLOAT_T); return;
    case 'clamp': {
      const bound = (name: string, v: number) => b.const(`${out}/${name}`, 'float32', [], Float32Array.of(v));
      if (n.min === 0 && n.max === 6) b.op(out, 'Relu6', [n.input], FLOAT_T);
      else if (n.min !== null && n.max !== null) b.op(out, 'ClipByValue', [n.input, bound('min', n.min), bound('max', n.max)], FLOAT_T);
      else if (n.min !== null) b.op(out, 'Maximum', [n.input, bound('min', n.min)], FLOAT_T);
      else if (n.max !== null) b.op(out, 'Minimum', [n.input, bound('max', n.max)], FLOAT_T);
      else b.op(out, 'Identity', [n.input], FLOAT_T);
      return;
    }
    case 'maxPool2d': {
      if (n.dilation[0] !== 1 || n.dilation[1] !== 1) throw new ExportError(`TF.js export: ${out} is a dilated max pooling, which TF.js's MaxPool does not support`);
      const [, , h, w] = g.shape(n.input);
      // Ceil mode: pad the bottom/right further so the last (partial) window exists.
      const extra = (size: number, k: number, s: number, p: number) =>
        Math.max(0, (windowOut(size, k, s, p, 1, n.ceilMode) - 1) * s + k - (size + 2 * p));
      const [ph, pw] = n.padding;
      const eh = extra(h!, n.kernel[0], n.stride[0], ph);
      const ew = extra(w!, n.kernel[1], n.stride[1], pw);
      let x = n.input;
      if (ph || pw || eh || ew) {
        const pads = b.const(`${out}/paddings`, 'int32', [4, 2], Int32Array.of(0, 0, ph, ph + eh, pw, pw + ew, 0, 0));
        const fill = b.const(`${out}/pad_value`, 'float32', [], Float32Array.of(LOWEST_FLOAT32));
        x = b.op(`${out}/pad`, 'PadV2', [x, pads, fill], { ...FLOAT_T, Tpaddings: aType('DT_INT32') });
      }
      b.op(out, 'MaxPool', [x], {
        ...FLOAT_T, ksize: aInts([1, ...n.kernel, 1]), strides: aInts([1, ...n.stride, 1]), padding: aStr('VALID'), data_format: aStr('NHWC'),
      });
      return;
    }
    case 'globalAvgPool': {
      const axes = b.const(`${out}/axes`, 'int32', [2], Int32Array.of(1, 2));
      b.op(out, 'Mean', [n.input, axes], { ...FLOAT_T, Tidx: aType('DT_INT32'), keep_dims: { b: false } });
      return;
    }
    case 'add': b.op(out, 'AddV2', [n.a, n.b], FLOAT_T); return;
    case 'mul': b.op(out, 'Mul', [n.a, n.b], FLOAT_T); return;
    case 'scale': b.op(out, 'Mul', [n.input, b.const(`${out}/factor`, 'float32', [], Float32Array.of(n.factor))], FLOAT_T); return;
    case 'linear': {
      const w = init(n.weight);
      const weight = b.const(n.weight, 'float32', [w.shape[1]!, w.shape[0]!], transpose2d(w.data, w.shape));
      const mm = n.bias ? `${out}/matmul` : out;
      b.op(mm, 'MatMul', [n.input, weight], { ...FLOAT_T, transpose_a: { b: false }, transpose_b: { b: false } });
      if (n.bias) b.op(out, 'BiasAdd', [mm, b.const(n.bias, 'float32', g.shape(n.bias), init(n.bias).data)], { ...FLOAT_T, data_format: aStr('NHWC') });
      return;
    }
    case 'l2Normalize': {
      // x / max(√Σx², eps), as F.normalize.
      const sq = b.op(`${out}/square`, 'Square', [n.input], FLOAT_T);
      const axis = b.const(`${out}/axis`, 'int32', [1], Int32Array.of(1));
      const sum = b.op(`${out}/sum`, 'Sum', [sq, axis], { ...FLOAT_T, Tidx: aType('DT_INT32'), keep_dims: { b: true } });
      const norm = b.op(`${out}/norm`, 'Sqrt', [sum], FLOAT_T);
      const eps = b.const(`${out}/eps`, 'float32', [], Float32Array.of(n.eps));
      b.op(out, 'RealDiv', [n.input, b.op(`${out}/clamped`, 'Maximum', [norm, eps], FLOAT_T)], FLOAT_T);
      return;
    }
    case 'softmax': b.op(out, 'Softmax', [n.input], FLOAT_T); return;
    case 'identity': b.op(out, 'Identity', [n.input], FLOAT_T); return;
    default:
      throw new ExportError(`TF.js export: no lowering for op '${(n as GraphNode).op}'`);
  }
}

export interface TfjsModel {
  /** The contents of model.json. */
  modelJson: Record<string, unknown>;
  /** The single weight shard's bytes (TFJS_SHARD). */
  shard: Uint8Array;
}

export function writeTfjs(g: Graph, metadata: SemiferExportMetadata, o: { generatedBy?: string } = {}): TfjsModel {
  const b = new TfGraphBuilder();
  const inputShape = nhwc(g.shape(g.input));
  b.nodes.push({ name: g.input, op: 'Placeholder', attr: { dtype: aType('DT_FLOAT'), shape: { shape: tfShape(inputShape) } } });
  for (const n of g.nodes) lower(n, g, b);

  const total = b.weights.reduce((s, w) => s + w.data.byteLength, 0);
  const shard = new Uint8Array(total);
  const view = new DataView(shard.buffer);
  let off = 0;
  for (const w of b.weights) {
    for (let i = 0; i < w.data.length; i++, off += 4) {
      if (w.dtype === 'float32') view.setFloat32(off, w.data[i]!, true);
      else view.setInt32(off, w.data[i]!, true);
    }
  }
  const tensorInfo = (name: string, shape: number[]) => ({ name: `${name}:0`, dtype: 'DT_FLOAT', tensorShape: tfShape(shape) });
  const modelJson = {
    format: 'graph-model',
    generatedBy: o.generatedBy ?? 'semifer',
    convertedBy: 'semifer export (src/export/tfjs.ts)',
    signature: {
      inputs: { [g.input]: tensorInfo(g.input, inputShape) },
      outputs: Object.fromEntries(g.outputs.map((name) => [name, tensorInfo(name, g.shape(name))])),
    },
    modelTopology: { node: b.nodes, library: {}, versions: {} },
    weightsManifest: [{ paths: [TFJS_SHARD], weights: b.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })) }],
    userDefinedMetadata: { [EXPORT_METADATA_KEY]: metadata },
  };
  return { modelJson, shard };
}
