/**
 * FerModel (eval mode) → inference Graph: input N×3×S×S → backbone feature
 * map → DTA's attention enhancement (feature dropout is identity at eval) →
 * global average pooling → head logits → `logits` and `probabilities`
 * (softmax). Backbones emit their featureMap(), the only part FerModel uses.
 *
 * Every module with parameters must be used by an emitter (or skipped on
 * purpose): a module added to a model without an emitter fails the export
 * rather than silently dropping out of the graph.
 */
import {
  FerModel, ResNet, BasicBlock, Bottleneck, SmallCnn, LinearHead, NormalizedLinearHead, ScnHead,
  LocalAttentionEnhancement, RandomFeatureDropout,
} from '../models/index.js';
import { Graph } from './graph.js';
import { foldBatchNorms } from './fold.js';
import { Emit, ExportError, registerEmitter } from './emitters.js';
import './emitWideResnet.js';
import './emitGraphBackbone.js';
import type { CompatAdapter } from './humanCompat.js';

export const INPUT_NAME = 'input';
export const OUTPUT_NAMES = ['logits', 'probabilities'] as const;

const sub = (path: string, name: string) => (path ? `${path}.${name}` : name);

// ---- backbones (featureMap) -------------------------------------------------------

registerEmitter(BasicBlock, (e, m, x, path) => {
  let y = e.module(m.bn1, e.module(m.conv1, x, sub(path, 'conv1')), sub(path, 'bn1'));
  y = e.relu(y, sub(path, 'relu1'));
  y = e.module(m.bn2, e.module(m.conv2, y, sub(path, 'conv2')), sub(path, 'bn2'));
  const identity = m.downsample ? e.module(m.downsample, x, sub(path, 'downsample')) : x;
  return e.relu(add(e, y, identity, sub(path, 'add')), sub(path, 'relu'));
});

registerEmitter(Bottleneck, (e, m, x, path) => {
  let y = e.relu(e.module(m.bn1, e.module(m.conv1, x, sub(path, 'conv1')), sub(path, 'bn1')), sub(path, 'relu1'));
  y = e.relu(e.module(m.bn2, e.module(m.conv2, y, sub(path, 'conv2')), sub(path, 'bn2')), sub(path, 'relu2'));
  y = e.module(m.bn3, e.module(m.conv3, y, sub(path, 'conv3')), sub(path, 'bn3'));
  const identity = m.downsample ? e.module(m.downsample, x, sub(path, 'downsample')) : x;
  return e.relu(add(e, y, identity, sub(path, 'add')), sub(path, 'relu'));
});

registerEmitter(ResNet, (e, m, x, path) => {
  let y = e.relu(e.module(m.bn1, e.module(m.conv1, x, sub(path, 'conv1')), sub(path, 'bn1')), sub(path, 'relu'));
  y = e.module(m.maxpool, y, sub(path, 'maxpool'));
  for (const name of ['layer1', 'layer2', 'layer3', 'layer4'] as const) y = e.module(m[name], y, sub(path, name));
  e.skip(m.fc); // ImageNet classifier, not part of featureMap()
  return y;
});

registerEmitter(SmallCnn, (e, m, x, path) => {
  let y = x;
  for (const name of ['stem', 'stage1', 'stage2', 'stage3'] as const) y = e.module(m[name], y, sub(path, name));
  return y;
});

// ---- DTA ----------------------------------------------------------------------------

registerEmitter(LocalAttentionEnhancement, (e, m, x, path) => {
  // F' = F + F ⊙ σ(conv(F)); the N×1×h×w map broadcasts over channels.
  const logit = e.module(m.conv, x, sub(path, 'conv'));
  const a = e.g.add({ op: 'sigmoid', input: logit, output: sub(path, 'attention') }, e.g.shape(logit));
  const fa = e.g.add({ op: 'mul', a: x, b: a, output: sub(path, 'mul') }, e.g.shape(x));
  return add(e, x, fa, sub(path, 'add'));
});
registerEmitter(RandomFeatureDropout, (_e, _m, x) => x);

// ---- heads (logits) -----------------------------------------------------------------

registerEmitter(LinearHead, (e, m, x, path) => e.module(m.fc, e.module(m.dropout, x, sub(path, 'dropout')), sub(path, 'fc')));

registerEmitter(NormalizedLinearHead, (e, m, x, path) => {
  const d = e.module(m.dropout, x, sub(path, 'dropout'));
  const f = e.g.add({ op: 'l2Normalize', input: d, eps: 1e-12, output: sub(path, 'normalize') }, e.g.shape(d));
  const logits = e.module(m.fc, f, sub(path, 'fc'));
  return m.logitScale === 1 ? logits : e.g.add({ op: 'scale', input: logits, factor: m.logitScale, output: sub(path, 'logit_scale') }, e.g.shape(logits));
});

registerEmitter(ScnHead, (e, m, x, path) => {
  const f = e.module(m.dropout, x, sub(path, 'dropout'));
  const alpha = e.g.add({ op: 'sigmoid', input: e.module(m.attention, f, sub(path, 'attention')), output: sub(path, 'alpha') }, [e.g.shape(f)[0]!, 1]);
  const z = e.module(m.fc, f, sub(path, 'fc'));
  return e.g.add({ op: 'mul', a: z, b: alpha, output: sub(path, 'weighted') }, e.g.shape(z));
});

function add(e: Emit, a: string, b: string, path: string): string {
  return e.g.add({ op: 'add', a, b, output: path }, e.g.shape(a));
}

export interface GraphOptions {
  /** Fold BatchNorms into their convolutions (default true). */
  fold?: boolean;
  /**
   * Another library's interface (humanCompat.ts): a per-channel affine from its
   * input units to the model's before the backbone, and its class order after
   * the softmax (probabilities · classMatrix), which is then the only output.
   */
  compat?: Pick<CompatAdapter, 'inputScale' | 'inputShift' | 'classMatrix'>;
}

/** The inference graph of a FerModel on size × size inputs (the model is put in eval mode while walking it, then restored). */
export function graphFromModel(model: FerModel, size: number, o: GraphOptions = {}): Graph {
  if (!(model instanceof FerModel)) throw new ExportError(`cannot export ${(model as object)?.constructor?.name ?? typeof model}: expected a FerModel`);
  const wasTraining = model.training;
  model.eval();
  try {
    const g = new Graph(INPUT_NAME, [-1, 3, size, size]);
    const e = new Emit(g);
    e.visited.add(model);
    let x = INPUT_NAME;
    if (o.compat) {
      x = g.add({
        op: 'channelAffine', input: x, output: 'compat.input',
        scale: g.addInitializer('compat.input_scale', o.compat.inputScale, [3]), shift: g.addInitializer('compat.input_shift', o.compat.inputShift, [3]),
      }, g.shape(x));
    }
    let fm = e.module(model.backbone, x, 'backbone');
    if (model.lae) fm = e.module(model.lae, fm, 'lae');
    if (model.rfd) fm = e.module(model.rfd, fm, 'rfd');
    const [n, c] = g.shape(fm);
    const pooled = g.add({ op: 'globalAvgPool', input: fm, output: 'pool' }, [n!, c!]);
    const logits = e.module(model.head, pooled, 'head');
    if (!o.compat) g.markOutput(logits, OUTPUT_NAMES[0]);
    const probs = g.add({ op: 'softmax', input: logits, output: 'softmax' }, g.shape(logits));
    if (o.compat) {
      const C = model.numClasses;
      const K = o.compat.classMatrix.length / C;
      // A linear layer's weight is out × in: the transpose of the C × K matrix.
      const weight = new Float32Array(K * C);
      for (let i = 0; i < C; i++) for (let j = 0; j < K; j++) weight[j * C + i] = o.compat.classMatrix[i * K + j]!;
      const mapped = g.add({ op: 'linear', input: probs, weight: g.addInitializer('compat.class_map', weight, [K, C]), bias: null, output: 'compat.classes' }, [n!, K]);
      g.markOutput(mapped, OUTPUT_NAMES[1]);
    } else {
      g.markOutput(probs, OUTPUT_NAMES[1]);
    }
    // Unused subtrees holding tensors, named by their topmost module.
    const missed = [...model.namedModules()].filter(([, m]) => !e.visited.has(m) && m.parameters().length + m.buffers().length > 0);
    const top = missed.filter(([p]) => !missed.some(([q]) => p.startsWith(`${q}.`)));
    if (top.length) {
      const [path, m] = top[0]!;
      throw new ExportError(`cannot export module ${m.constructor.name} at '${path}': the model holds it but no emitter used it` +
        (top.length > 1 ? ` (also: ${top.slice(1, 4).map(([p]) => p).join(', ')}${top.length > 4 ? ', …' : ''})` : ''));
    }
    if (o.fold ?? true) foldBatchNorms(g);
    return g;
  } finally {
    model.train(wasTraining);
  }
}
