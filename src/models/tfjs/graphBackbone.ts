/**
 * A TF.js graph model as a trainable semifer backbone: the graph's nodes run
 * in order on LibTorch ops, its weights become parameters (conv filters
 * HWIO → OIHW, depthwise H×W×C×M → (C·M)×1×H×W), so the imported network has
 * the graph's topology and trains like any other backbone.
 *
 * Layout: the graph is NHWC, semifer is NCHW. Every 4-D value is kept NCHW
 * here; axis attributes of 4-D values (Mean, Sum, Squeeze) are mapped, and
 * per-channel constants broadcast along dim 1.
 *
 * Folded batch norm. Converters fold each BN into its convolution (γ/σ into
 * the filter, β − γμ/σ into the bias). A BatchNorm2d is re-inserted after
 * every convolution, before its activation, so pretrained and random weights
 * share one topology and state dict. How it runs depends on where the weights
 * came from (the `frozen_batchnorm` buffer):
 *  - random (0): ordinary BN, as the network was trained before folding.
 *  - pretrained, as loaded (1): γ = 1, β = 0, mean 0, variance 1 − eps, and
 *    skipped: the imported network computes exactly what the package's model
 *    does.
 *  - pretrained, once `calibrateBatchNorm` has run (0 again): each BN holds its
 *    input's statistics on the calibration images and computes the identity on
 *    them, and then trains as an ordinary BN (the method says why).
 *
 * Feature scale. A face-embedding network's output is compared by cosine, so
 * its scale carries nothing and nobody kept it small: MobileFaceNet's 512×h×w
 * map has an rms of about 16 per element on faces. A fresh linear head on
 * that (DTA's, the plain baselines', SCN's) starts with logits in the tens,
 * saturated before it has learnt anything. The `feature_scale` buffer
 * multiplies the feature map: 1 as imported (the package's numbers), and set by
 * `calibrateBatchNorm` to bring the map to an rms of 1 on the calibration
 * images, the scale of a ResNet's final block. A head that L2-normalises the
 * feature (Ada-CM's, the fair baselines') computes the same function either way.
 */
import * as torch from '../../torch/index.js';
import { nn, F, type Tensor } from '../../torch/index.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../data/augment/normalize.js';
import type { Backbone } from '../backbone.js';
import type { TfjsAttr, TfjsGraphModel, TfjsNode, TfjsWeight } from './readModel.js';
import { samePadding } from './samePadding.js';

/** Relu(a) + c·(a − |a|) recognised as one op: PReLU with slope 2c (see fusePrelu); inputs a and c. */
export const PRELU = 'semifer.Prelu';
/** The slope of a recognised PReLU per unit of its graph constant c: relu(a) + c·(a − |a|) = prelu(a, 2c). */
export const PRELU_SLOPE_PER_CONSTANT = 2;
const CONV_OPS = new Set(['Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);
const DEPTHWISE_OPS = new Set(['DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);
const MATMUL_OPS = new Set(['MatMul', '_FusedMatMul']);
const BINARY_OPS = new Set(['Add', 'AddV2', 'BiasAdd', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum']);
const UNARY_OPS = new Set(['Identity', 'Relu', 'Relu6', 'Abs', 'Neg', 'Square', 'Sqrt', 'Rsqrt', 'Sigmoid', 'Tanh', 'Exp']);
const REDUCE_OPS = new Set(['Mean', 'Sum', 'Max']);
const OTHER_OPS = new Set(['Placeholder', 'Const', 'Squeeze', 'Softmax', PRELU]);
/** NHWC axis → NCHW axis. */
const NCHW_AXIS = [0, 2, 3, 1];

/** How the graph wants its input: semifer always feeds ImageNet-normalised images. */
export type GraphInput = 'unit' | 'raw';

export interface GraphBackboneOptions {
  /** The node whose value is the feature map (4-D) or the output to run. */
  output: string;
  /**
   * 'unit': the graph takes pixels in [0, 1] (Human's and face-api's models),
   * so ImageNet normalisation is undone first; 'raw': fed as given (tests).
   */
  input: GraphInput;
  /** Same topology, fresh weights: He-normal filters, zero biases, PReLU slope 0.25, BN trained from batch statistics. */
  randomInit?: boolean;
}

/**
 * A convolution step: its settings in NCHW terms (stride, dilation and kernel
 * as [h, w]; padding 'SAME', 'VALID' or explicit [top, bottom, left, right]),
 * its fused ops (`activation`, the node's fused_ops) and the BN re-inserted
 * after it (skipped while frozenBatchNorm).
 */
export interface ConvPlan {
  readonly kind: 'conv';
  readonly stride: number[];
  readonly dilation: number[];
  readonly padding: 'SAME' | 'VALID' | number[];
  readonly depthwise: boolean;
  readonly groups: number;
  readonly kernel: number[];
  readonly activation: string[];
  readonly bn: nn.BatchNorm2d;
}

/**
 * A convolution's zero padding on an H×W input as [top, bottom, left, right]:
 * TF's 'SAME' (the odd pixel after), 'VALID', or the graph's explicit pads.
 * The forward pass and the exporter (src/export/emitGraphBackbone.ts) both pad by it.
 */
export function convPadding(c: Pick<ConvPlan, 'padding' | 'kernel' | 'stride' | 'dilation'>, size: readonly [h: number, w: number]): [number, number, number, number] {
  if (c.padding === 'VALID') return [0, 0, 0, 0];
  if (Array.isArray(c.padding)) return [c.padding[0]!, c.padding[1]!, c.padding[2]!, c.padding[3]!];
  const same = samePadding(size, c.kernel, c.stride, c.dilation);
  if (same.kind === 'symmetric') return [same.padding[0], same.padding[0], same.padding[1], same.padding[1]];
  const [left, right, top, bottom] = same.pads;
  return [top, bottom, left, right];
}

/** An input of a step: another node's value, a parameter (GraphBackbone.parameter(key), in semifer's layout), or a scalar constant. */
export type Operand = { readonly kind: 'value'; readonly name: string } | { readonly kind: 'param'; readonly key: string } | { readonly kind: 'number'; readonly value: number };

/**
 * One node the forward pass runs, in order: the graph node (op after the
 * PReLU patterns are recognised), its inputs (for reductions, the value only:
 * the axes are in `axes`, NHWC), and what the op needs besides.
 */
export interface GraphStep {
  readonly node: TfjsNode;
  readonly inputs: readonly Operand[];
  readonly conv?: ConvPlan;
  /** Mean/Sum/Max and Squeeze: the graph's (NHWC) axes. */
  readonly axes?: number[];
  readonly keepDims?: boolean;
  /** MatMul: transpose_a, transpose_b. */
  readonly transpose?: [boolean, boolean];
  /** Fused nodes: their fused_ops. */
  readonly activation?: string[];
}

type Step = { -readonly [K in keyof GraphStep]: GraphStep[K] };

/** A fused op after the convolution or matrix product (its BiasAdd aside), with its argument. */
export type FusedActivation<T> = { op: 'Relu' } | { op: 'Relu6' } | { op: 'Prelu'; slope: T };

/**
 * What a fused node computes after its convolution or matrix product, from its
 * fused_ops and its inputs after the first two (`extra`): the bias (a leading
 * BiasAdd; the convolution adds it itself) and then each activation in order,
 * a PReLU taking the next argument as its per-channel slope (TF's fused Prelu
 * is prelu(x, alpha): the constant is the slope itself).
 */
export function fusedOps<T>(fused: readonly string[], extra: readonly T[]): { bias: T | undefined; activations: FusedActivation<T>[] } {
  const bias = fused[0] === 'BiasAdd' ? extra[0] : undefined;
  let next = bias === undefined ? 0 : 1;
  const activations = fused.slice(bias === undefined ? 0 : 1).map((f): FusedActivation<T> => {
    if (f === 'Prelu') return { op: 'Prelu', slope: extra[next++]! };
    if (f === 'Relu' || f === 'Relu6') return { op: f };
    throw new Error(`fused op ${f} is not supported here${f === 'BiasAdd' ? ' (BiasAdd only comes first)' : ''}`);
  });
  return { bias, activations };
}

const str = (a: TfjsAttr | undefined): string | undefined => (typeof a?.s === 'string' ? Buffer.from(a.s, 'base64').toString('utf8') : undefined);
const ints = (a: TfjsAttr | undefined): number[] => ((a?.list as { i?: string[] } | undefined)?.i ?? []).map(Number);
const strs = (a: TfjsAttr | undefined): string[] => ((a?.list as { s?: string[] } | undefined)?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
/** A state-dict-safe name for a graph node ('/' and '.' are not allowed in one module level). */
export const paramKey = (node: string): string => node.replace(/[^A-Za-z0-9_]/g, '_');
const refName = (ref: string): string => ref.replace(/^\^/, '').replace(/:\d+$/, '');

export class GraphBackbone extends nn.Module implements Backbone {
  readonly featureDim: number;
  readonly #steps: Step[] = [];
  readonly #params = new Map<string, Tensor>();
  readonly #frozen: Tensor;
  readonly #featureScale: Tensor;
  readonly #inputName: string;
  readonly #adapt: { mean: Tensor; std: Tensor } | null;
  /** While calibrateBatchNorm runs: each re-inserted BN's input sums over the calibration images. */
  #calibration: Map<nn.BatchNorm2d, { sum: Tensor; sumSq: Tensor; count: number }> | null = null;

  constructor(readonly model: TfjsGraphModel, readonly options: GraphBackboneOptions) {
    super();
    const src = model.source;
    const byName = fusePrelu(new Map(model.nodes.map((n) => [n.name, n])));
    if (!byName.has(options.output)) throw new Error(`${src}: no node '${options.output}' in the graph`);
    const order = this.#order(byName, options.output);
    const inputs = order.filter((n) => n.op === 'Placeholder');
    if (inputs.length !== 1) throw new Error(`${src}: '${options.output}' depends on ${inputs.length} inputs; expected one image input`);
    this.#inputName = inputs[0]!.name;
    const consumers = new Map<string, { node: TfjsNode; slot: number }[]>();
    for (const n of order) (n.input ?? []).forEach((r, slot) => {
      if (r.startsWith('^')) return;
      const list = consumers.get(refName(r)) ?? [];
      list.push({ node: n, slot });
      consumers.set(refName(r), list);
    });
    const constOf = (n: TfjsNode): TfjsWeight => {
      const w = model.weights.get(n.name);
      if (!w) throw new Error(`${src}: constant '${n.name}' has no entry in the weights manifest`);
      return w;
    };
    const random = options.randomInit ?? false;
    const operand = (ref: string, consumer: TfjsNode, slot: number): Operand => {
      const name = refName(ref);
      const n = byName.get(name)!;
      if (n.op !== 'Const') return { kind: 'value', name };
      const key = paramKey(name);
      if (this.#params.has(key)) return { kind: 'param', key };
      const w = constOf(n);
      if (w.dtype === 'int32' || w.data.length === 1 && !CONV_OPS.has(consumer.op) && !MATMUL_OPS.has(consumer.op) && consumer.op !== PRELU) {
        return { kind: 'number', value: w.data[0]! };
      }
      this.#params.set(key, this.registerParameter(key, this.#initial(w, consumer, slot, random)));
      return { kind: 'param', key };
    };
    const channels = new Map<string, number>();
    for (const node of order) {
      const op = node.op;
      if (!CONV_OPS.has(op) && !MATMUL_OPS.has(op) && !BINARY_OPS.has(op) && !UNARY_OPS.has(op) && !REDUCE_OPS.has(op) && !OTHER_OPS.has(op)) {
        throw new Error(`${src}: node '${node.name}' is a ${op}, which the importer does not support`);
      }
      if (op === 'Const') continue;
      if (op === 'Placeholder') {
        const dims = (node.attr?.shape?.shape as { dim?: { size: string }[] } | undefined)?.dim ?? [];
        channels.set(node.name, dims.length === 4 ? Number(dims[3]!.size) : 3);
        continue;
      }
      const refs = (node.input ?? []).filter((r) => !r.startsWith('^'));
      const format = str(node.attr?.data_format);
      if (format !== undefined && format !== 'NHWC') throw new Error(`${src}: node '${node.name}' has data_format ${format}; only NHWC graphs are supported`);
      const step: Step = { node, inputs: [] };
      if (REDUCE_OPS.has(op)) {
        step.inputs = [operand(refs[0]!, node, 0)];
        const axes = model.weights.get(refName(refs[1]!));
        if (!axes) throw new Error(`${src}: node '${node.name}': its axes are not a constant`);
        step.axes = [...axes.data];
        step.keepDims = node.attr?.keep_dims?.b === true;
      } else {
        step.inputs = refs.map((r, slot) => operand(r, node, slot));
      }
      if (op === 'Squeeze') step.axes = ints(node.attr?.squeeze_dims);
      if (MATMUL_OPS.has(op)) step.transpose = [node.attr?.transpose_a?.b === true, node.attr?.transpose_b?.b === true];
      if (op === '_FusedConv2D' || op === 'FusedDepthwiseConv2dNative' || op === '_FusedMatMul') {
        step.activation = strs(node.attr?.fused_ops);
        const known = ['BiasAdd', 'Relu', 'Relu6', 'Prelu'];
        const bad = step.activation.filter((f, i) => !known.includes(f) || (f === 'BiasAdd' && i > 0));
        if (bad.length) throw new Error(`${src}: node '${node.name}' fuses ${step.activation.join(', ')}; supported: ${known.join(', ')}, a BiasAdd first`);
      }
      if (CONV_OPS.has(op)) {
        const filter = constOf(byName.get(refName(refs[1]!))!);
        const [kh, kw, cin, m] = filter.shape as [number, number, number, number];
        const depthwise = DEPTHWISE_OPS.has(op);
        const outC = depthwise ? cin * m : m;
        const padName = str(node.attr?.padding) ?? 'VALID';
        const explicit = ints(node.attr?.explicit_paddings);
        const padding = padName === 'EXPLICIT' ? [explicit[2]!, explicit[3]!, explicit[4]!, explicit[5]!] : (padName as 'SAME' | 'VALID');
        const s = ints(node.attr?.strides);
        const d = ints(node.attr?.dilations);
        const bn = this.registerModule(`bn_${paramKey(node.name)}`, new nn.BatchNorm2d(outC));
        // γ = 1, β = 0, mean 0, variance 1 − eps: (x − 0)/√1 · 1 + 0 = x in eval mode.
        torch.noGrad(() => bn.runningVar!.fill_(1 - bn.eps));
        step.conv = {
          kind: 'conv', depthwise, groups: depthwise ? cin : 1, kernel: [kh, kw], padding,
          stride: s.length === 4 ? [s[1]!, s[2]!] : [1, 1], dilation: d.length === 4 ? [d[1]!, d[2]!] : [1, 1],
          activation: step.activation ?? [], bn,
        };
        channels.set(node.name, outC);
      } else if (MATMUL_OPS.has(op)) {
        const wgt = model.weights.get(refName(refs[1]!));
        channels.set(node.name, wgt ? wgt.shape[step.transpose![1] ? 0 : 1]! : 0);
      } else {
        const first = step.inputs.find((o) => o.kind === 'value');
        channels.set(node.name, first?.kind === 'value' ? channels.get(first.name) ?? 0 : 0);
      }
      this.#steps.push(step);
    }
    this.featureDim = channels.get(options.output) ?? 0;
    this.#frozen = this.registerBuffer('frozen_batchnorm', torch.tensor([random ? 0 : 1], { dtype: 'float32', shape: [1] }));
    // Added later: model files and checkpoints from before it load with 1, which is what they computed.
    this.#featureScale = this.registerBuffer('feature_scale', torch.tensor([1], { dtype: 'float32', shape: [1] }), 'added later');
    if (options.input === 'unit') {
      const c = (v: readonly number[]) => torch.tensor(Float32Array.from(v), { shape: [1, 3, 1, 1] });
      this.#adapt = { mean: this.registerBuffer('input_mean', c(IMAGENET_MEAN), false), std: this.registerBuffer('input_std', c(IMAGENET_STD), false) };
    } else {
      this.#adapt = null;
    }
  }

  /** The nodes `output` depends on, each after its inputs. */
  #order(byName: Map<string, TfjsNode>, output: string): TfjsNode[] {
    const done = new Set<string>();
    const order: TfjsNode[] = [];
    const stack: [string, boolean][] = [[output, false]];
    while (stack.length) {
      const [name, expanded] = stack.pop()!;
      if (done.has(name)) continue;
      const node = byName.get(name);
      if (!node) throw new Error(`${this.model.source}: node '${name}' is referenced but not defined`);
      if (expanded) {
        done.add(name);
        order.push(node);
        continue;
      }
      stack.push([name, true]);
      for (const r of node.input ?? []) if (!r.startsWith('^') && !done.has(refName(r))) stack.push([refName(r), false]);
    }
    return order;
  }

  /** A constant as a parameter in semifer's layout, or its random replacement. */
  #initial(w: TfjsWeight, consumer: TfjsNode, slot: number, random: boolean): Tensor {
    let t = torch.tensor(Float32Array.from(w.data), { shape: w.shape });
    if (CONV_OPS.has(consumer.op) && slot === 1) {
      // HWIO → OIHW; depthwise H×W×C×M → C×M×H×W → (C·M)×1×H×W (output channel c·M + m, as TF).
      const p = DEPTHWISE_OPS.has(consumer.op) ? t.permute(2, 3, 0, 1).reshape(w.shape[2]! * w.shape[3]!, 1, w.shape[0]!, w.shape[1]!) : t.permute(3, 2, 0, 1);
      t.dispose();
      t = p.contiguous();
      p.dispose();
      if (random) nn.init.kaimingNormal_(t, { mode: 'fan_out', nonlinearity: 'relu' });
    } else if (MATMUL_OPS.has(consumer.op) && slot === 1) {
      if (random) nn.init.kaimingUniform_(t, { a: Math.sqrt(5) });
    } else if (random) {
      if (consumer.op === PRELU) t.fill_(0.125); // (x − |x|)·c = 2c·min(x, 0): slope 0.25
      else if (consumer.op === 'Mul' || consumer.op === 'RealDiv') t.fill_(1);
      else t.zero_();
    }
    return t;
  }

  /** The op of each node the forward pass runs, in order, after the PReLU patterns are recognised. */
  get ops(): string[] {
    return this.#steps.map((s) => s.node.op);
  }

  /** What the forward pass runs, in order (read by the exporter, src/export/emitGraphBackbone.ts). */
  get steps(): readonly GraphStep[] {
    return this.#steps;
  }

  /** The graph's image input node (its value is the adapted input, NCHW). */
  get inputNode(): string {
    return this.#inputName;
  }

  /** input 'unit': the per-channel affine x·std + mean (1×3×1×1 each) applied to the input first; null for 'raw'. */
  get inputAdaptation(): { readonly mean: Tensor; readonly std: Tensor } | null {
    return this.#adapt;
  }

  /** The parameter an operand of kind 'param' names. */
  parameter(key: string): Tensor {
    const t = this.#params.get(key);
    if (!t) throw new Error(`${this.model.source}: no parameter '${key}'`);
    return t;
  }

  /** What featureMap multiplies the output node's value by (the class doc says why); 1 until calibrateBatchNorm. */
  get featureScale(): number {
    return this.#featureScale.item();
  }

  /** 1 when the BNs keep their statistics in training (pretrained weights), 0 when they learn them. */
  get frozenBatchNorm(): boolean {
    return this.#frozen.item() === 1;
  }

  /**
   * Makes the pretrained network fine-tunable: each re-inserted BN becomes an
   * ordinary BN that computes the identity on these images' statistics —
   * running mean μ and variance σ² of its input (the folded convolution's
   * output) over the calibration images, γ = √(σ² + eps) and β = μ, so
   * γ·(y − μ)/√(σ² + eps) + β = y — and from then on normalises by batch
   * statistics (frozen_batchnorm 0). The network computes what it did (exactly
   * in eval mode; up to the batch's deviation from μ, σ² in training), but its
   * activations can no longer drift: with the BNs skipped, Adam's steps on the
   * convolutions (the same size for every weight, at lr 5e-4 about 3 % of
   * Conv2d_7's mean weight per step) grew MobileFaceNet's pooled features from
   * about 10 to about 3,000 in 300 steps and every prediction went to one class
   * (docs/backbones.md). `batches` are ImageNet-normalised N×3×H×W images; the
   * statistics are summed over all of them, so any batch size gives the same result.
   * The same pass measures the feature map's rms, and feature_scale becomes its
   * inverse (the feature scale in the class doc).
   */
  calibrateBatchNorm(batches: Iterable<Tensor>): number {
    if (!this.frozenBatchNorm) throw new Error(`${this.model.source}: calibrateBatchNorm: the BNs already learn from batch statistics`);
    const sums = new Map<nn.BatchNorm2d, { sum: Tensor; sumSq: Tensor; count: number }>();
    this.#calibration = sums;
    let images = 0;
    let featureSumSq = 0;
    let featureCount = 0;
    try {
      torch.noGrad(() => {
        for (const x of batches) {
          torch.tidy(() => {
            const y = this.forward(x);
            featureSumSq += y.to('float64').square().sum().item();
            featureCount += y.numel;
          });
          images += x.shape[0]!;
        }
      });
    } finally {
      this.#calibration = null;
    }
    if (!images) throw new Error(`${this.model.source}: calibrateBatchNorm: no images`);
    torch.noGrad(() => {
      for (const [bn, { sum, sumSq, count }] of sums) {
        const mean = sum.div(count);
        const variance = sumSq.div(count).sub(mean.square()).clampMin(0);
        bn.runningMean!.copy_(mean);
        // The biased variance, as γ uses: eval mode is then exactly the identity on these images.
        bn.runningVar!.copy_(variance);
        bn.weight!.copy_(variance.add(bn.eps).sqrt());
        bn.bias!.copy_(mean);
        for (const t of [mean, variance, sum, sumSq]) t.dispose();
      }
      this.#frozen.fill_(0);
      const rms = Math.sqrt(featureSumSq / featureCount);
      // An all-zero map (a dead network) keeps its scale rather than dividing by 0.
      this.#featureScale.fill_(rms > 0 && Number.isFinite(rms) ? 1 / rms : 1);
    });
    return images;
  }

  /** Runs the graph on N×3×H×W images and returns the output node's value (4-D values NCHW). */
  forward(x: Tensor): Tensor {
    const values = new Map<string, Tensor>();
    const input = this.#adapt ? x.mul(this.#adapt.std).add(this.#adapt.mean) : x;
    // Channels-last from here on (convolutions, pads and elementwise ops all
    // keep it): LibTorch 1.13's CPU convolutions (oneDNN) are far slower on
    // NCHW for this network's layers, most of all the depthwise ones' backward
    // (docs/performance.md, "MobileFaceNet against ResNet-18").
    values.set(this.#inputName, input.dim() === 4 ? input.channelsLast() : input);
    const frozen = this.frozenBatchNorm;
    for (const step of this.#steps) values.set(step.node.name, this.#run(step, values, frozen));
    return values.get(this.options.output)!;
  }

  featureMap(x: Tensor): Tensor {
    const y = this.forward(x);
    if (y.dim() !== 4) throw new Error(`${this.model.source}: feature node '${this.options.output}' is ${y.dim()}-D; a backbone needs a 4-D feature map`);
    return y.mul(this.#featureScale);
  }

  #get(o: Operand, values: Map<string, Tensor>): Tensor | number {
    if (o.kind === 'number') return o.value;
    if (o.kind === 'param') return this.#params.get(o.key)!;
    return values.get(o.name)!;
  }

  /** A constant beside a 4-D value: per-channel vectors broadcast along NCHW's channel dim, 4-D constants are NHWC. */
  #align(t: Tensor | number, partnerRank: number): Tensor | number {
    if (typeof t === 'number' || partnerRank !== 4) return t;
    if (t.dim() === 1) return t.view(1, -1, 1, 1);
    if (t.dim() === 4) return t.permute(0, 3, 1, 2);
    return t;
  }

  #run(step: Step, values: Map<string, Tensor>, frozen: boolean): Tensor {
    const op = step.node.op;
    const args = step.inputs.map((o) => this.#get(o, values));
    if (step.conv) return this.#conv(args as Tensor[], step.conv, frozen);
    if (MATMUL_OPS.has(op)) {
      let [a, b] = args as Tensor[];
      if (step.transpose![0]) a = a!.t();
      if (step.transpose![1]) b = b!.t();
      const { bias, activations } = fusedOps(step.activation ?? [], args.slice(2) as Tensor[]);
      const y = a!.matmul(b!);
      return this.#activate(bias ? y.add(bias) : y, activations);
    }
    if (BINARY_OPS.has(op)) {
      const rank = Math.max(...args.map((a) => (typeof a === 'number' ? 0 : a.dim())));
      const [a, b] = args.map((v, i) => (step.inputs[i]!.kind === 'param' ? this.#align(v, rank) : v));
      return binary(op, a!, b!);
    }
    const x = args[0] as Tensor;
    switch (op) {
      case 'Identity': return x;
      case 'Relu': return x.relu();
      case 'Relu6': return x.clamp(0, 6);
      case 'Abs': return x.abs();
      case 'Neg': return x.neg();
      case 'Square': return x.square();
      case 'Sqrt': return x.sqrt();
      case 'Rsqrt': return x.rsqrt();
      case 'Sigmoid': return x.sigmoid();
      case 'Tanh': return x.tanh();
      case 'Exp': return x.exp();
      case 'Softmax': return x.softmax(x.dim() === 4 ? 1 : -1);
      case 'Squeeze': return this.#squeeze(x, step);
      case PRELU: return prelu(x, args[1] as Tensor);
      case 'Mean': case 'Sum': case 'Max': return this.#reduce(op, x, step);
    }
    throw new Error(`${this.model.source}: node '${step.node.name}': ${op} is not supported`);
  }

  /** Axes of a 4-D (NHWC in the graph) value, in NCHW; removing any but H and W would break the layout mapping. */
  #axes(x: Tensor, step: Step, keep: boolean): number[] {
    const rank = x.dim();
    const axes = step.axes!.map((a) => (a < 0 ? a + rank : a));
    if (rank !== 4) return axes;
    if (!keep && axes.some((a) => a === 0 || a === 3)) throw new Error(`${this.model.source}: node '${step.node.name}' drops axis ${axes.join(', ')} of a 4-D value; only H and W (1, 2) are supported`);
    return axes.map((a) => NCHW_AXIS[a]!);
  }

  #squeeze(x: Tensor, step: Step): Tensor {
    const axes = step.axes!.length ? this.#axes(x, step, false) : x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
    let y = x;
    for (const a of [...axes].sort((p, q) => q - p)) y = y.squeeze(a);
    return y;
  }

  #reduce(op: string, x: Tensor, step: Step): Tensor {
    const axes = this.#axes(x, step, step.keepDims!);
    if (op === 'Mean') return x.mean(axes, step.keepDims);
    if (op === 'Sum') return x.sum(axes, step.keepDims);
    let y = x;
    for (const a of [...axes].sort((p, q) => q - p)) y = y.max(a, step.keepDims).values;
    return y;
  }

  #conv(args: Tensor[], c: ConvPlan, frozen: boolean): Tensor {
    let x = args[0]!;
    const weight = args[1]!;
    const [t, b, l, r] = convPadding(c, [x.shape[2]!, x.shape[3]!]);
    // PyTorch's convolution pads both sides alike; an odd total (SAME at stride 2) is an F.pad first.
    const symmetric = t === b && l === r;
    if (!symmetric) x = F.pad(x, [l, r, t, b]);
    const pad = symmetric ? [t, l] : [0, 0];
    // Bias (the folded BN's offset) inside the convolution, then the re-inserted BN, then the fused activation.
    const { bias: fusedBias, activations } = fusedOps(c.activation, args.slice(2));
    let y = F.conv2d(x, weight, fusedBias ?? null, { stride: c.stride, padding: pad, dilation: c.dilation, groups: c.groups });
    // Frozen, the BN is the identity it was initialised to (a per-channel affine
    // the convolution's own weight and bias already express), so it is skipped.
    const bn = c.bn;
    if (frozen && this.#calibration) this.#accumulate(c.bn, y);
    if (!frozen) y = bn.forward(y);
    return this.#activate(y, activations);
  }

  #accumulate(bn: nn.BatchNorm2d, y: Tensor): void {
    const stats = this.#calibration!;
    const y64 = y.to('float64');
    const sum = torch.keep(y64.sum([0, 2, 3]));
    const sumSq = torch.keep(y64.square().sum([0, 2, 3]));
    const count = y.shape[0]! * y.shape[2]! * y.shape[3]!;
    const old = stats.get(bn);
    if (!old) {
      stats.set(bn, { sum, sumSq, count });
      return;
    }
    old.sum.add_(sum);
    old.sumSq.add_(sumSq);
    old.count += count;
    sum.dispose();
    sumSq.dispose();
  }

  /** The fused activations in order (fusedOps). */
  #activate(y: Tensor, activations: FusedActivation<Tensor>[]): Tensor {
    let out = y;
    for (const a of activations) {
      if (a.op === 'Relu') out = out.relu();
      else if (a.op === 'Relu6') out = out.clamp(0, 6);
      else out = F.prelu(out, a.slope.reshape([-1]));
    }
    return out;
  }
}

/**
 * TF.js writes PReLU as Relu(a) + Mul(Sub(a, Abs(a)), c) = relu(a) + 2c·min(a, 0):
 * five full-size ops and five more in backward. Each such Add becomes one
 * PReLU node (inputs a and c); the four nodes it replaces drop out of the run
 * unless something else reads them.
 *
 * Where the converter fused the Relu into the producer of a (MobileFaceNet's
 * depthwise convs), the Add reads a itself: a + c·(a − |a|) with a ≥ 0, which
 * is a exactly (a − |a| = 0), so the Add becomes an Identity of a. Its
 * gradient is unchanged too: where a > 0 both are 1, and where a = 0 the
 * fused Relu's backward zeroes whatever arrives.
 */
function fusePrelu(byName: Map<string, TfjsNode>): Map<string, TfjsNode> {
  const out = new Map(byName);
  const get = (r: string | undefined) => (r === undefined ? undefined : byName.get(refName(r)));
  const nonNegative = (n: TfjsNode | undefined) => n?.op === 'Relu' || n?.op === 'Relu6' || strs(n?.attr?.fused_ops).some((f) => f === 'Relu' || f === 'Relu6');
  for (const node of byName.values()) {
    if (node.op !== 'Add' && node.op !== 'AddV2') continue;
    const ins = node.input ?? [];
    if (ins.length !== 2) continue;
    for (const [reluRef, mulRef] of [[ins[0], ins[1]], [ins[1], ins[0]]] as const) {
      const relu = get(reluRef);
      const mul = get(mulRef);
      if (!relu || mul?.op !== 'Mul') continue;
      // Relu(a) + …, or a + … where a is already ≥ 0.
      const a = relu.op === 'Relu' ? refName(relu.input?.[0] ?? '') : relu.name;
      if (relu.op !== 'Relu' && !nonNegative(relu)) continue;
      const sub = (mul.input ?? []).map(get).find((n) => n?.op === 'Sub');
      const c = (mul.input ?? []).find((r) => get(r)?.op === 'Const');
      const [subA, subAbs] = (sub?.input ?? []).map((r) => get(r));
      if (!sub || !c || subA?.name !== a || subAbs?.op !== 'Abs' || refName(subAbs.input?.[0] ?? '') !== a) continue;
      // A PReLU of a value ≥ 0 is the identity: skip it.
      out.set(node.name, nonNegative(byName.get(a)) ? { name: node.name, op: 'Identity', input: [a] } : { name: node.name, op: PRELU, input: [a, c] });
      break;
    }
  }
  return out;
}

/**
 * The graph's relu(a) + c·(a − |a|) as LibTorch's PReLU with slope 2c: one
 * op forward and one backward instead of five and about ten full-size ones
 * (the step's largest cost after the convolutions). The same numbers: for
 * a < 0, c·(a − |a|) = c·2a = 2c·a exactly (scaling by 2 is exact).
 */
function prelu(a: Tensor, c: Tensor): Tensor {
  return F.prelu(a, c.mul(PRELU_SLOPE_PER_CONSTANT).reshape([-1]));
}

function binary(op: string, a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof a === 'number' && typeof b === 'number') throw new Error(`${op} of two constants`);
  if (typeof a === 'number') {
    const t = b as Tensor;
    if (op === 'Sub') return t.rsub(a);
    if (op === 'RealDiv') return t.rdiv(a);
    return binary(op, t, a);
  }
  switch (op) {
    case 'Add': case 'AddV2': case 'BiasAdd': return a.add(b);
    case 'Sub': return a.sub(b);
    case 'Mul': return a.mul(b);
    case 'RealDiv': return a.div(b);
    case 'Maximum': return typeof b === 'number' ? a.clampMin(b) : a.maximum(b);
    case 'Minimum': return typeof b === 'number' ? a.clampMax(b) : a.minimum(b);
  }
  throw new Error(`unsupported binary op ${op}`);
}
