/**
 * Graph → ONNX ModelProto bytes (IR version 8, default-domain opset 17, which
 * onnxruntime 1.30 runs). Initializers are float32 raw_data (little-endian),
 * the input is `input` N×3×S×S with a symbolic batch dimension `N`, the
 * outputs `logits` and `probabilities` N×C, and the semifer metadata is the
 * JSON string of metadata_props key `semifer`.
 *
 * Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto).
 */
import { ProtoWriter } from './protobuf.js';
import type { Graph, GraphNode } from './graph.js';
import { EXPORT_METADATA_KEY, type SemiferExportMetadata } from './metadata.js';
import { ExportError } from './emitters.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

type Attr = { name: string; f: number } | { name: string; i: number } | { name: string; ints: number[] };

function attribute(a: Attr): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  if ('f' in a) w.float(2, a.f).int(20, ATTR_FLOAT);
  else if ('i' in a) w.int(3, a.i).int(20, ATTR_INT);
  else w.packedInts(8, a.ints).int(20, ATTR_INTS);
  return w;
}

function node(op: string, inputs: string[], output: string, attrs: Attr[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  w.string(2, output).string(3, output).string(4, op);
  for (const a of attrs) w.message(5, attribute(a));
  return w;
}

function tensor(name: string, shape: number[], data: Float32Array): ProtoWriter {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return new ProtoWriter().packedInts(1, shape).int(2, FLOAT).string(8, name).bytes(9, bytes);
}

/** ValueInfoProto for a float tensor; −1 dimensions become the symbolic `N`. */
function valueInfo(name: string, shape: number[]): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape) dims.message(1, d < 0 ? new ProtoWriter().string(2, 'N') : new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, dims);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/** The ONNX nodes (and any extra initializers they need) for one IR node. */
function lower(n: GraphNode, g: Graph, extra: ProtoWriter[]): ProtoWriter[] {
  const out = n.output;
  const constant = (suffix: string, shape: number[], data: Float32Array): string => {
    const name = `${out}/${suffix}`;
    extra.push(tensor(name, shape, data));
    return name;
  };
  switch (n.op) {
    case 'conv2d': {
      const [, , kh, kw] = g.shape(n.weight);
      const end = n.padEnd ?? n.padding;
      return [node('Conv', n.bias ? [n.input, n.weight, n.bias] : [n.input, n.weight], out, [
        { name: 'kernel_shape', ints: [kh!, kw!] }, { name: 'strides', ints: n.stride }, { name: 'dilations', ints: n.dilation },
        // [top, left, bottom, right]
        { name: 'pads', ints: [n.padding[0], n.padding[1], end[0], end[1]] }, { name: 'group', i: n.groups },
      ])];
    }
    case 'channelAffine': {
      // The scale and shift initializers are written C×1×1 on 4-D inputs (affineShapes) so they broadcast over N×C×H×W.
      return [node('Mul', [n.input, n.scale], `${out}/mul`), node('Add', [`${out}/mul`, n.shift], out)];
    }
    case 'relu': return [node('Relu', [n.input], out)];
    case 'sigmoid': return [node('Sigmoid', [n.input], out)];
    case 'leakyRelu': return [node('LeakyRelu', [n.input], out, [{ name: 'alpha', f: n.alpha }])];
    // The slope is written C×1×1 on 4-D inputs (channelShapes), as PRelu broadcasts it against N×C×H×W.
    case 'prelu': return [node('PRelu', [n.input, n.slope], out)];
    case 'clamp': {
      const bound = (name: string, v: number) => constant(name, [], Float32Array.of(v));
      if (n.min !== null && n.max !== null) return [node('Clip', [n.input, bound('min', n.min), bound('max', n.max)], out)];
      if (n.min !== null) return [node('Max', [n.input, bound('min', n.min)], out)];
      if (n.max !== null) return [node('Min', [n.input, bound('max', n.max)], out)];
      return [node('Identity', [n.input], out)];
    }
    case 'maxPool2d':
      return [node('MaxPool', [n.input], out, [
        { name: 'kernel_shape', ints: n.kernel }, { name: 'strides', ints: n.stride }, { name: 'dilations', ints: n.dilation },
        { name: 'pads', ints: [n.padding[0], n.padding[1], n.padding[0], n.padding[1]] }, { name: 'ceil_mode', i: n.ceilMode ? 1 : 0 },
      ])];
    case 'globalAvgPool':
      return [node('GlobalAveragePool', [n.input], `${out}/gap`), node('Flatten', [`${out}/gap`], out, [{ name: 'axis', i: 1 }])];
    case 'add': return [node('Add', [n.a, n.b], out)];
    case 'mul': return [node('Mul', [n.a, n.b], out)];
    case 'scale': return [node('Mul', [n.input, constant('factor', [], Float32Array.of(n.factor))], out)];
    case 'linear':
      return [node('Gemm', n.bias ? [n.input, n.weight, n.bias] : [n.input, n.weight], out, [{ name: 'transB', i: 1 }])];
    case 'l2Normalize': {
      // F.normalize: x / max(‖x‖₂, eps), the eps keeping zero rows finite (LpNormalization has none).
      const eps = constant('eps', [], Float32Array.of(n.eps));
      return [
        node('ReduceL2', [n.input], `${out}/norm`, [{ name: 'axes', ints: [1] }, { name: 'keepdims', i: 1 }]),
        node('Max', [`${out}/norm`, eps], `${out}/clamped`),
        node('Div', [n.input, `${out}/clamped`], out),
      ];
    }
    case 'softmax': return [node('Softmax', [n.input], out, [{ name: 'axis', i: 1 }])];
    case 'identity': return [node('Identity', [n.input], out)];
    default:
      throw new ExportError(`ONNX export: no lowering for op '${(n as GraphNode).op}'`);
  }
}

/** Per-channel (C) initializers of channelAffine and prelu nodes on N×C×H×W values, reshaped C×1×1 for ONNX's right-aligned broadcasting. */
function channelShapes(g: Graph): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const n of g.nodes) {
    if ((n.op !== 'channelAffine' && n.op !== 'prelu') || g.shape(n.input).length !== 4) continue;
    for (const name of n.op === 'prelu' ? [n.slope] : [n.scale, n.shift]) m.set(name, [g.shape(name)[0]!, 1, 1]);
  }
  return m;
}

export function writeOnnx(g: Graph, metadata: SemiferExportMetadata, o: { producerVersion?: string } = {}): Uint8Array {
  const graph = new ProtoWriter();
  const extra: ProtoWriter[] = [];
  for (const n of g.nodes) for (const p of lower(n, g, extra)) graph.message(1, p);
  graph.string(2, 'semifer');
  const shapes = channelShapes(g);
  for (const t of g.initializers.values()) graph.message(5, tensor(t.name, shapes.get(t.name) ?? t.shape, t.data));
  for (const t of extra) graph.message(5, t);
  graph.message(11, valueInfo(g.input, g.shape(g.input)));
  for (const out of g.outputs) graph.message(12, valueInfo(out, g.shape(out)));

  const model = new ProtoWriter()
    .int(1, ONNX_IR_VERSION)
    .string(2, 'semifer')
    .string(3, o.producerVersion ?? '')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET))
    .message(14, new ProtoWriter().string(1, EXPORT_METADATA_KEY).string(2, JSON.stringify(metadata)));
  return model.finish();
}
