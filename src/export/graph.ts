/**
 * The inference graph both exporters write: a small IR between a FerModel (in
 * eval mode) and the ONNX / TF.js writers, so the model is walked once and
 * each writer only translates ops.
 *
 * Semantics are PyTorch's: every 4-D value is N×C×H×W (the TF.js writer
 * reinterprets them as NHWC and permutes the weights), conv weights are OIHW,
 * linear weights are out×in. Each node has one output, a fresh value named
 * after the module that produced it (names double as TF node names, so they
 * keep to [A-Za-z0-9_.-]; writers add '/'-suffixed helper names). Shapes are tracked with −1 for the batch dimension
 * so writers and error messages can name them.
 */

export type Pair = [number, number];

export interface Initializer {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface NodeBase {
  /** The node's output value (unique in the graph). */
  output: string;
}

export type GraphNode = NodeBase & (
  /**
   * `padding` is [top, left]; `padEnd` [bottom, right] where it differs (TF's
   * 'SAME' on an even size with stride 2 pads one pixel more after than before).
   * groups = input channels with OIHW weight (C·M)×1×kh×kw is a depthwise convolution.
   */
  | { op: 'conv2d'; input: string; weight: string; bias: string | null; stride: Pair; padding: Pair; padEnd?: Pair; dilation: Pair; groups: number }
  /** y = x · scale[c] + shift[c] along dim 1: an eval-mode BatchNorm (or one that could not be folded). */
  | { op: 'channelAffine'; input: string; scale: string; shift: string }
  | { op: 'relu' | 'sigmoid'; input: string }
  | { op: 'leakyRelu'; input: string; alpha: number }
  /** max(x, 0) + slope[c]·min(x, 0) along dim 1 (PyTorch's PReLU with one slope per channel; slope is a C initializer). */
  | { op: 'prelu'; input: string; slope: string }
  /** min(max(x, min), max), a null bound left out (Relu6: 0, 6). */
  | { op: 'clamp'; input: string; min: number | null; max: number | null }
  /** PyTorch MaxPool2d: implicit −∞ padding. */
  | { op: 'maxPool2d'; input: string; kernel: Pair; stride: Pair; padding: Pair; dilation: Pair; ceilMode: boolean }
  /** N×C×H×W → N×C (mean over H, W). */
  | { op: 'globalAvgPool'; input: string }
  /** Element-wise with broadcasting between two computed values (e.g. N×C×h×w ⊙ N×1×h×w). */
  | { op: 'add' | 'mul'; a: string; b: string }
  /** x · factor, a plain number. */
  | { op: 'scale'; input: string; factor: number }
  /** N×in → N×out: x Wᵀ + b, W out×in. */
  | { op: 'linear'; input: string; weight: string; bias: string | null }
  /** x / max(‖x‖₂, eps) along dim 1 of N×D (F.normalize). */
  | { op: 'l2Normalize'; input: string; eps: number }
  /** Softmax along dim 1 of N×C. */
  | { op: 'softmax'; input: string }
  /** Renames a value (the named graph outputs). */
  | { op: 'identity'; input: string }
);

export type OpName = GraphNode['op'];

const NAME_OK = /^[A-Za-z0-9.][A-Za-z0-9_.-]*$/;

export class Graph {
  readonly nodes: GraphNode[] = [];
  readonly initializers = new Map<string, Initializer>();
  /** Shape of every value and initializer; −1 = the batch dimension. */
  readonly shapes = new Map<string, number[]>();
  /** Graph outputs by exported name (their values are produced by identity nodes of that name). */
  readonly outputs: string[] = [];

  constructor(readonly input: string, inputShape: number[]) {
    this.#claim(input);
    this.shapes.set(input, inputShape);
  }

  /** A fresh value name derived from `hint` (a module path), unique in the graph. */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9.]/, 'v') || 'v';
    let name = base;
    for (let i = 1; this.shapes.has(name); i++) name = `${base}_${i}`;
    return name;
  }

  #claim(name: string): void {
    if (!NAME_OK.test(name)) throw new Error(`graph: '${name}' is not a valid value name`);
    if (this.shapes.has(name)) throw new Error(`graph: '${name}' is already defined`);
  }

  addInitializer(hint: string, data: Float32Array, shape: number[]): string {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new Error(`graph: initializer '${hint}' has ${data.length} values for shape [${shape}]`);
    const name = this.fresh(hint);
    this.#claim(name);
    this.initializers.set(name, { name, shape: [...shape], data });
    this.shapes.set(name, [...shape]);
    return name;
  }

  /** Appends a node; its output gets a fresh name from `node.output` (a hint) and the given shape. Returns the output name. */
  add(node: GraphNode, shape: number[]): string {
    const name = this.fresh(node.output);
    this.#claim(name);
    for (const v of inputsOf(node)) if (!this.shapes.has(v)) throw new Error(`graph: node '${name}' (${node.op}) reads undefined value '${v}'`);
    this.nodes.push({ ...node, output: name });
    this.shapes.set(name, shape);
    return name;
  }

  /** Marks `value` as a graph output called `name` (an identity node named exactly `name`). */
  markOutput(value: string, name: string): void {
    if (this.shapes.has(name)) throw new Error(`graph: output name '${name}' is already used by a value`);
    const out = this.add({ op: 'identity', input: value, output: name }, this.shape(value));
    this.outputs.push(out);
  }

  shape(value: string): number[] {
    const s = this.shapes.get(value);
    if (!s) throw new Error(`graph: unknown value '${value}'`);
    return s;
  }

  initializer(name: string): Initializer {
    const t = this.initializers.get(name);
    if (!t) throw new Error(`graph: '${name}' is not an initializer`);
    return t;
  }

  /** Nodes reading each value (to know when a conv's output feeds only its BatchNorm). */
  consumers(): Map<string, GraphNode[]> {
    const m = new Map<string, GraphNode[]>();
    for (const n of this.nodes) for (const v of inputsOf(n)) m.set(v, [...(m.get(v) ?? []), n]);
    return m;
  }

  /** Drops initializers no node reads (after folding). */
  pruneInitializers(): void {
    const used = new Set(this.nodes.flatMap(inputsOf));
    for (const name of [...this.initializers.keys()]) {
      if (!used.has(name)) {
        this.initializers.delete(name);
        this.shapes.delete(name);
      }
    }
  }

  /** Counts of each op, for logs and tests. */
  opCounts(): Record<string, number> {
    const c: Record<string, number> = {};
    for (const n of this.nodes) c[n.op] = (c[n.op] ?? 0) + 1;
    return c;
  }
}

/** Every value or initializer a node reads, in a fixed order. */
export function inputsOf(n: GraphNode): string[] {
  switch (n.op) {
    case 'conv2d': return n.bias ? [n.input, n.weight, n.bias] : [n.input, n.weight];
    case 'channelAffine': return [n.input, n.scale, n.shift];
    case 'prelu': return [n.input, n.slope];
    case 'linear': return n.bias ? [n.input, n.weight, n.bias] : [n.input, n.weight];
    case 'add':
    case 'mul': return [n.a, n.b];
    default: return [n.input];
  }
}

/** PyTorch's output size of a convolution or pooling window along one axis. */
export function windowOut(size: number, kernel: number, stride: number, pad: number, dilation: number, ceilMode = false): number {
  const span = size + 2 * pad - dilation * (kernel - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // PyTorch: with ceil mode the last window must start inside the input or the left padding.
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}
