/**
 * A GraphBackbone (a TF.js graph model imported as a trainable module:
 * `--model mobilefacenet`, `faceres`) in the export IR. It walks the steps the
 * module's forward pass runs (GraphBackbone.steps) and emits each in NCHW:
 *  - the input adaptation of input 'unit' (x·std + mean) as a channelAffine;
 *  - the feature scale (set by calibration) as a channelAffine on the output;
 *  - convolutions with their padding ('SAME' as TF computes it, asymmetric
 *    where the total is odd; 'VALID'; explicit), depthwise ones as grouped
 *    conv2d, the fused bias inside, then the re-inserted BatchNorm (nothing
 *    while frozenBatchNorm, when the forward pass skips it; an eval-mode BN,
 *    i.e. a channelAffine that fold.ts merges into the conv, otherwise), then
 *    the fused Relu / Relu6 / PReLU;
 *  - the recognised PReLU pattern as prelu with slope 2c (PRELU_SLOPE_PER_CONSTANT);
 *  - Add/Sub/Mul/RealDiv with a per-channel or scalar constant as a
 *    channelAffine, Maximum/Minimum with a scalar as clamp, Add/AddV2/Sub/Mul
 *    of two values as add/mul, Identity as nothing, Relu, Relu6, Sigmoid, Neg.
 * Anything else (reductions, Squeeze, MatMul, Softmax, other unary ops, a
 * per-element constant) is refused with an ExportError naming the node and its
 * op, rather than exported wrong: those occur after the feature maps of the
 * catalog's networks, which the export never reaches.
 */
import { GraphBackbone, convPadding, PRELU, PRELU_SLOPE_PER_CONSTANT, fusedOps, type ConvPlan, type GraphStep, type Operand } from '../models/tfjs/graphBackbone.js';
import { Emit, ExportError, floatData, registerEmitter } from './emitters.js';
import { windowOut, type Pair } from './graph.js';

const sub = (path: string, name: string) => (path ? `${path}.${name}` : name);
const hintOf = (path: string, node: string) => sub(path, node.replace(/[^A-Za-z0-9_.-]/g, '_'));

/** An operand in the IR: a value name, a constant's float32 data (semifer's layout, with its shape) or a number. */
type Arg = { kind: 'value'; name: string } | { kind: 'const'; data: Float32Array; shape: number[]; key: string } | { kind: 'number'; value: number };

class GraphEmitter {
  readonly #values = new Map<string, string>();

  constructor(readonly e: Emit, readonly m: GraphBackbone, readonly path: string) {}

  #fail(step: GraphStep, why: string): never {
    throw new ExportError(`cannot export the graph backbone at '${this.path}' (${this.m.model.source}): node '${step.node.name}' (${step.node.op}) ${why}`);
  }

  run(x: string): string {
    const { e, m, path } = this;
    let input = x;
    const adapt = m.inputAdaptation;
    if (adapt) input = this.#affine(input, floatData(adapt.std), floatData(adapt.mean), sub(path, 'input_adapt'));
    this.#values.set(m.inputNode, input);
    for (const step of m.steps) this.#values.set(step.node.name, this.#step(step));
    const out = this.#values.get(m.options.output)!;
    const rank = e.g.shape(out).length;
    if (rank !== 4) throw new ExportError(`cannot export the graph backbone at '${path}' (${m.model.source}): its feature node '${m.options.output}' is ${rank}-D; a backbone needs a 4-D feature map`);
    // Every re-inserted BN is accounted for: emitted (live) or skipped (frozen, as the forward pass does).
    for (const s of m.steps) if (s.conv) e.visited.add(s.conv.bn);
    const scale = m.featureScale;
    if (scale === 1) return out;
    const c = e.g.shape(out)[1]!;
    return this.#affine(out, new Float32Array(c).fill(scale), new Float32Array(c), sub(path, 'feature_scale'));
  }

  #arg(o: Operand): Arg {
    if (o.kind === 'number') return o;
    if (o.kind === 'value') {
      const name = this.#values.get(o.name);
      if (name === undefined) throw new ExportError(`graph backbone at '${this.path}': value '${o.name}' is read before it is computed`);
      return { kind: 'value', name };
    }
    const t = this.m.parameter(o.key);
    return { kind: 'const', data: floatData(t), shape: [...t.shape], key: o.key };
  }

  #value(step: GraphStep, a: Arg | undefined, what = 'input'): string {
    if (a?.kind !== 'value') this.#fail(step, `has a constant ${what} where a computed value is expected`);
    return a.name;
  }

  #step(step: GraphStep): string {
    const op = step.node.op;
    const hint = hintOf(this.path, step.node.name);
    const args = step.inputs.map((o) => this.#arg(o));
    if (step.conv) return this.#conv(step, step.conv, args, hint);
    const g = this.e.g;
    switch (op) {
      case 'Identity': return this.#value(step, args[0]);
      case 'Relu': return this.e.relu(this.#value(step, args[0]), hint);
      case 'Relu6': return this.#clamp(this.#value(step, args[0]), 0, 6, hint);
      case 'Sigmoid': {
        const x = this.#value(step, args[0]);
        return g.add({ op: 'sigmoid', input: x, output: hint }, g.shape(x));
      }
      case 'Neg': {
        const x = this.#value(step, args[0]);
        return g.add({ op: 'scale', input: x, factor: -1, output: hint }, g.shape(x));
      }
      case PRELU: {
        const x = this.#value(step, args[0]);
        const c = args[1]!;
        if (c.kind !== 'const') this.#fail(step, 'has a PReLU slope that is not a constant');
        return this.#prelu(step, x, c.data.map((v) => v * PRELU_SLOPE_PER_CONSTANT), hint);
      }
      case 'Add': case 'AddV2': case 'BiasAdd': case 'Sub': case 'Mul': case 'RealDiv': case 'Maximum': case 'Minimum':
        return this.#binary(step, args[0]!, args[1]!, hint);
    }
    this.#fail(step, 'has no export: supported before the feature map are convolutions, PReLU, Relu, Relu6, Sigmoid, Neg, Identity, Add/Sub/Mul/RealDiv, and Maximum/Minimum with a number');
  }

  #conv(step: GraphStep, c: ConvPlan, args: Arg[], hint: string): string {
    const g = this.e.g;
    const x = this.#value(step, args[0]);
    const w = args[1]!;
    if (w.kind !== 'const' || w.shape.length !== 4) this.#fail(step, 'has a filter that is not a constant 4-D tensor');
    const [n, inC, h, wd] = g.shape(x) as [number, number, number, number];
    const [outC, perGroup, kh, kw] = w.shape as [number, number, number, number];
    if (inC !== perGroup * c.groups) this.#fail(step, `expects ${perGroup * c.groups} input channels, the graph gives ${inC}`);
    const [t, b, l, r] = convPadding(c, [h, wd]);
    const stride: Pair = [c.stride[0]!, c.stride[1]!];
    const dilation: Pair = [c.dilation[0]!, c.dilation[1]!];
    // Output size with the padding of both sides in the input (windowOut pads alike on both).
    const out = (size: number, before: number, after: number, k: number, i: 0 | 1) => windowOut(size + before + after, k, stride[i], 0, dilation[i]);
    const { bias, activations } = fusedOps(c.activation, args.slice(2));
    if (bias && (bias.kind !== 'const' || bias.data.length !== outC)) this.#fail(step, `has a fused bias that is not ${outC} constants`);
    const weight = this.e.constant(w.data, w.shape, `${hint}.weight`);
    const biasName = bias?.kind === 'const' ? this.e.constant(bias.data, [outC], `${hint}.bias`) : null;
    let y = g.add({
      op: 'conv2d', input: x, weight, bias: biasName, stride, dilation, groups: c.groups, output: hint,
      padding: [t, l], ...(t !== b || l !== r ? { padEnd: [b, r] as Pair } : {}),
    }, [n, outC, out(h, t, b, kh, 0), out(wd, l, r, kw, 1)]);
    // Frozen (pretrained, as loaded), the forward pass skips the BN; live, it is an eval-mode BN.
    if (!this.m.frozenBatchNorm) y = this.e.module(c.bn, y, `${hint}.bn`);
    for (const a of activations) {
      if (a.op === 'Relu') y = this.e.relu(y, `${hint}.relu`);
      else if (a.op === 'Relu6') y = this.#clamp(y, 0, 6, `${hint}.relu6`);
      else {
        if (a.slope.kind !== 'const') this.#fail(step, 'has a fused PReLU slope that is not a constant');
        y = this.#prelu(step, y, a.slope.data, `${hint}.prelu`);
      }
    }
    return y;
  }

  /** Per-channel slopes (C of them, or one for all), as F.prelu takes them. */
  #prelu(step: GraphStep, x: string, slope: Float32Array, hint: string): string {
    const g = this.e.g;
    const shape = g.shape(x);
    const c = shape[1]!;
    if (shape.length !== 4) this.#fail(step, `is a PReLU of a ${shape.length}-D value; only 4-D (per-channel) is exported`);
    if (slope.length !== c && slope.length !== 1) this.#fail(step, `has ${slope.length} PReLU slopes for ${c} channels`);
    const s = slope.length === c ? Float32Array.from(slope) : new Float32Array(c).fill(slope[0]!);
    return g.add({ op: 'prelu', input: x, slope: this.e.constant(s, [c], `${hint}.slope`), output: hint }, shape);
  }

  #clamp(x: string, min: number | null, max: number | null, hint: string): string {
    return this.e.g.add({ op: 'clamp', input: x, min, max, output: hint }, this.e.g.shape(x));
  }

  #affine(x: string, scale: Float32Array, shift: Float32Array, hint: string): string {
    const g = this.e.g;
    const c = scale.length;
    return g.add({ op: 'channelAffine', input: x, scale: this.e.constant(scale, [c], `${hint}.scale`), shift: this.e.constant(shift, [c], `${hint}.shift`), output: hint }, g.shape(x));
  }

  /**
   * A constant beside a 4-D value as the forward pass aligns it: one value per
   * channel (a vector of C, or NHWC 1×1×1×C), or one for all. Anything else is refused.
   */
  #perChannel(step: GraphStep, a: Arg, c: number): Float32Array {
    if (a.kind === 'number') return new Float32Array(c).fill(a.value);
    if (a.kind !== 'const') throw new Error('unreachable');
    const perChannel = a.data.length === c && (a.shape.length === 1 || (a.shape.length === 4 && a.shape.slice(0, 3).every((d) => d === 1)));
    if (perChannel) return Float32Array.from(a.data);
    if (a.data.length === 1 && a.shape.length !== 4) return new Float32Array(c).fill(a.data[0]!);
    this.#fail(step, `has a constant of shape [${a.shape}] (${a.key}); only per-channel (${c}) or scalar constants are exported`);
  }

  #binary(step: GraphStep, a: Arg, b: Arg, hint: string): string {
    const g = this.e.g;
    const op = step.node.op;
    if (a.kind === 'value' && b.kind === 'value') {
      const sa = g.shape(a.name);
      const sb = g.shape(b.name);
      if (sa.length !== sb.length) this.#fail(step, `combines values of rank ${sa.length} and ${sb.length}`);
      const shape = sa.map((d, i) => (d === 1 ? sb[i]! : d));
      if (op === 'Add' || op === 'AddV2' || op === 'BiasAdd') return g.add({ op: 'add', a: a.name, b: b.name, output: hint }, shape);
      if (op === 'Mul') return g.add({ op: 'mul', a: a.name, b: b.name, output: hint }, shape);
      if (op === 'Sub') {
        const neg = g.add({ op: 'scale', input: b.name, factor: -1, output: `${hint}.neg` }, sb);
        return g.add({ op: 'add', a: a.name, b: neg, output: hint }, shape);
      }
      this.#fail(step, 'of two computed values has no export (only Add, Sub and Mul do)');
    }
    const valueFirst = a.kind === 'value';
    const x = valueFirst ? a.name : this.#value(step, b);
    const k = valueFirst ? b : a;
    const shape = g.shape(x);
    if (shape.length !== 4) this.#fail(step, `combines a constant with a ${shape.length}-D value; only 4-D values are exported`);
    const c = shape[1]!;
    if (op === 'Maximum' || op === 'Minimum') {
      if (k.kind !== 'number') this.#fail(step, 'takes the maximum or minimum with a tensor; only a number is exported');
      return this.#clamp(x, op === 'Maximum' ? k.value : null, op === 'Minimum' ? k.value : null, hint);
    }
    const v = this.#perChannel(step, k, c);
    const ones = new Float32Array(c).fill(1);
    const zeros = new Float32Array(c);
    switch (op) {
      case 'Add': case 'AddV2': case 'BiasAdd': return this.#affine(x, ones, v, hint);
      case 'Mul': return this.#affine(x, v, zeros, hint);
      case 'Sub': return valueFirst ? this.#affine(x, ones, v.map((u) => -u), hint) : this.#affine(x, ones.map(() => -1), v, hint);
      case 'RealDiv':
        if (!valueFirst) this.#fail(step, 'divides a constant by a value, which has no export');
        return this.#affine(x, v.map((u) => 1 / u), zeros, hint);
    }
    this.#fail(step, 'has no export');
  }
}

registerEmitter(GraphBackbone, (e, m, x, path) => new GraphEmitter(e, m, path).run(x));
