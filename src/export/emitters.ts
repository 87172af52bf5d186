/**
 * One emitter per module class, like ONNX's symbolic functions: it appends to
 * the graph the ops that module's eval-mode forward() computes and returns the
 * output value. Lookup is by exact class (not instanceof), so a subclass with
 * a different forward() fails loudly instead of being exported wrong.
 *
 * This file holds the generic layers; fromModel.ts registers the backbones,
 * blocks and heads.
 */
import { nn, type Tensor } from '../torch/index.js';
import { windowOut, type Graph, type Pair } from './graph.js';
import { errorOfKind } from '../errorKind.js';

/** A failure to export (unsupported module or op); the CLI prints its message without a stack. */
export class ExportError extends errorOfKind('failure') {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = nn.Module & Record<string, any>;
export type Emitter<M extends nn.Module = AnyModule> = (e: Emit, m: M, x: string, path: string) => string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ModuleClass<M extends nn.Module> = abstract new (...args: any[]) => M;

const EMITTERS = new Map<ModuleClass<nn.Module>, Emitter>();

export function registerEmitter<M extends nn.Module>(cls: ModuleClass<M>, emit: Emitter<M>): void {
  EMITTERS.set(cls, emit as unknown as Emitter);
}

/** A tensor's values as float32 (CPU, contiguous, row-major), a copy. */
export function floatData(t: Tensor): Float32Array {
  if (t.dtype === 'float32') return t.data() as Float32Array;
  const f = t.to('float32');
  try {
    return Float32Array.from(f.data() as Float32Array);
  } finally {
    f.dispose();
  }
}

/** The emission state: the graph being built and which modules were used. */
export class Emit {
  readonly visited = new Set<nn.Module>();

  constructor(readonly g: Graph) {}

  /** Emits module `m` (at dotted `path`) on value `x`. */
  module(m: nn.Module, x: string, path: string): string {
    const emit = EMITTERS.get(m.constructor as ModuleClass<nn.Module>);
    if (!emit) {
      throw new ExportError(`cannot export module ${m.constructor.name} at '${path || '<root>'}': ONNX/TF.js export knows no emitter for it (add one in src/export/)`);
    }
    this.visited.add(m);
    return emit(this, m as AnyModule, x, path);
  }

  /** Marks a module as deliberately unused by the exported forward (e.g. ResNet's own `fc`). */
  skip(m: nn.Module): void {
    for (const sub of m.modules()) this.visited.add(sub);
  }

  param(t: Tensor, hint: string): string {
    return this.g.addInitializer(hint, floatData(t), t.shape);
  }

  /** An initializer computed here (folded BN statistics). */
  constant(data: Float32Array, shape: number[], hint: string): string {
    return this.g.addInitializer(hint, data, shape);
  }

  relu(x: string, path: string): string {
    return this.g.add({ op: 'relu', input: x, output: path }, this.g.shape(x));
  }

  leakyRelu(x: string, alpha: number, path: string): string {
    return this.g.add({ op: 'leakyRelu', input: x, alpha, output: path }, this.g.shape(x));
  }
}

const pair = (v: number | number[]): Pair => (typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]);

function emitConv(e: Emit, m: nn.Conv2d, x: string, path: string): string {
  const [n, c, h, w] = e.g.shape(x);
  if (c !== m.inChannels) throw new ExportError(`${path}: expects ${m.inChannels} channels, the graph gives ${c}`);
  const [, , kh, kw] = m.weight.shape;
  const stride = pair(m.stride);
  const padding = pair(m.padding);
  const dilation = pair(m.dilation);
  const weight = e.param(m.weight, `${path}.weight`);
  const bias = m.bias ? e.param(m.bias, `${path}.bias`) : null;
  const shape = [n!, m.outChannels, windowOut(h!, kh!, stride[0], padding[0], dilation[0]), windowOut(w!, kw!, stride[1], padding[1], dilation[1])];
  return e.g.add({ op: 'conv2d', input: x, weight, bias, stride, padding, dilation, groups: m.groups, output: path }, shape);
}

/**
 * Eval-mode BatchNorm as y = x·scale + shift, scale = γ/√(var+ε),
 * shift = β − mean·scale (float64, then float32); foldBatchNorms merges it
 * into the preceding conv where there is one.
 */
function emitBatchNorm(e: Emit, m: nn.BatchNorm2d, x: string, path: string): string {
  if (!m.runningMean || !m.runningVar) throw new ExportError(`${path}: BatchNorm2d without running statistics uses batch statistics at eval time and cannot be exported`);
  const c = m.numFeatures;
  const mean = floatData(m.runningMean);
  const variance = floatData(m.runningVar);
  const gamma = m.weight ? floatData(m.weight) : new Float32Array(c).fill(1);
  const beta = m.bias ? floatData(m.bias) : new Float32Array(c);
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    const s = gamma[i]! / Math.sqrt(variance[i]! + m.eps);
    scale[i] = s;
    shift[i] = beta[i]! - mean[i]! * s;
  }
  const shape = e.g.shape(x);
  if (shape[1] !== c) throw new ExportError(`${path}: BatchNorm2d of ${c} features on a value with ${shape[1]} channels`);
  return e.g.add({
    op: 'channelAffine', input: x, output: path,
    scale: e.constant(scale, [c], `${path}.scale`), shift: e.constant(shift, [c], `${path}.shift`),
  }, shape);
}

function emitMaxPool(e: Emit, m: nn.MaxPool2d, x: string, path: string): string {
  const kernel = pair(m.kernelSize);
  const stride = pair(m.o.stride ?? m.kernelSize);
  const padding = pair(m.o.padding ?? 0);
  const dilation = pair(m.o.dilation ?? 1);
  const ceilMode = m.o.ceilMode ?? false;
  const [n, c, h, w] = e.g.shape(x);
  const shape = [n!, c!, windowOut(h!, kernel[0], stride[0], padding[0], dilation[0], ceilMode), windowOut(w!, kernel[1], stride[1], padding[1], dilation[1], ceilMode)];
  return e.g.add({ op: 'maxPool2d', input: x, kernel, stride, padding, dilation, ceilMode, output: path }, shape);
}

function emitLinear(e: Emit, m: nn.Linear, x: string, path: string): string {
  const [n, d] = e.g.shape(x);
  if (d !== m.inFeatures) throw new ExportError(`${path}: Linear(${m.inFeatures}, ${m.outFeatures}) on a value of width ${d}`);
  const weight = e.param(m.weight, `${path}.weight`);
  const bias = m.bias ? e.param(m.bias, `${path}.bias`) : null;
  return e.g.add({ op: 'linear', input: x, weight, bias, output: path }, [n!, m.outFeatures]);
}

const passThrough: Emitter = (_e, _m, x) => x;

registerEmitter(nn.Conv2d, emitConv);
registerEmitter(nn.BatchNorm2d, emitBatchNorm);
registerEmitter(nn.MaxPool2d, emitMaxPool);
registerEmitter(nn.Linear, emitLinear);
registerEmitter(nn.ReLU, (e, _m, x, path) => e.relu(x, path));
registerEmitter(nn.LeakyReLU, (e, m, x, path) => e.leakyRelu(x, m.negativeSlope, path));
registerEmitter(nn.Sigmoid, (e, _m, x, path) => e.g.add({ op: 'sigmoid', input: x, output: path }, e.g.shape(x)));
// Identity at eval time.
registerEmitter(nn.Dropout, passThrough);
registerEmitter(nn.Dropout2d, passThrough);
registerEmitter(nn.Identity, passThrough);
registerEmitter(nn.Sequential, (e, m, x, path) => {
  let y = x;
  for (const [name, child] of m.namedChildren()) y = e.module(child, y, path ? `${path}.${name}` : name);
  return y;
});
