/**
 * Folds each eval-mode BatchNorm (a channelAffine node) into the convolution
 * that feeds it: W'[o] = W[o]·scale[o], b'[o] = b[o]·scale[o] + shift[o].
 * Computed in float64 and rounded once to float32, so the folded conv differs
 * from conv-then-BN by float32 rounding only (≈1e-7 relative; the export tests
 * measure it end to end). A BN whose input is not a conv used by nothing else
 * (pre-activation blocks, the graph input) stays a channelAffine node. A
 * chain of them after one conv (an imported graph's unfused BN) all fold.
 */
import type { Graph, GraphNode } from './graph.js';

export function foldBatchNorms(g: Graph): number {
  const consumers = g.consumers();
  const producer = new Map(g.nodes.map((n) => [n.output, n]));
  const removed = new Set<GraphNode>();
  let folded = 0;
  for (const bn of g.nodes) {
    if (bn.op !== 'channelAffine') continue;
    const conv = producer.get(bn.input);
    if (!conv || conv.op !== 'conv2d' || (consumers.get(conv.output) ?? []).length !== 1 || g.outputs.includes(conv.output)) continue;
    const w = g.initializer(conv.weight);
    const scale = g.initializer(bn.scale).data;
    const shift = g.initializer(bn.shift).data;
    const bias = conv.bias ? g.initializer(conv.bias).data : null;
    const outC = w.shape[0];
    const per = w.data.length / outC;
    const nw = new Float32Array(w.data.length);
    const nb = new Float32Array(outC);
    for (let o = 0; o < outC; o++) {
      const s = scale[o];
      for (let i = o * per; i < (o + 1) * per; i++) nw[i] = w.data[i] * s;
      nb[o] = (bias ? bias[o] * s : 0) + shift[o];
    }
    // The conv's initializers belong to it alone (one per module), so they are replaced in place.
    w.data = nw;
    const biasName = conv.bias ?? g.addInitializer(`${conv.weight.replace(/\.weight$/, '')}.bias`, nb, [outC]);
    if (conv.bias) g.initializer(conv.bias).data = nb;
    // The conv now produces the BN's output value; the BN node goes.
    const mutable = conv as Extract<GraphNode, { op: 'conv2d' }>;
    const oldOut = conv.output;
    mutable.bias = biasName;
    mutable.output = bn.output;
    g.shapes.delete(oldOut);
    // A further channelAffine on this value folds into the same conv (a graph backbone's BN, then its own Mul and Add).
    producer.set(bn.output, conv);
    removed.add(bn);
    folded++;
  }
  const kept = g.nodes.filter((n) => !removed.has(n));
  g.nodes.length = 0;
  g.nodes.push(...kept);
  g.pruneInitializers();
  return folded;
}
