/**
 * SCN (Wang et al., CVPR 2020; docs/methods.md §2).
 * Rank regularisation: sort α in the batch; the top ⌊β·B⌋ form H, the rest L:
 *   L_RR = max(0, δ1 − (mean α_H − mean α_L))
 * Relabelling: if P_max − P_gt > δ2, the sample's label becomes argmax p.
 */
import { scalarTensor, type Tensor } from '../../torch/index.js';
import type { HyperTable } from '../declaration.js';

/** SCN's hyper-parameters (the `scn` method, or any method with --noisy-labels scn). */
export const SCN_HYPER = {
  beta: { type: 'number', default: 0.7, doc: 'fraction of the batch in the high-importance group' },
  delta1: { type: 'number', doc: 'rank-regularisation margin δ1 (default follows the batch: 0.15 at 1024, 0.07 at 64, ≈0.048 at 16; see SCN_DELTA1_POINTS)' },
  delta2: { type: 'number', default: 0.2, doc: 'relabelling margin δ2' },
  relabelEpoch: { type: 'number', default: 10, doc: 'first epoch of relabelling' },
  scnWarmup: { type: 'number', default: 0, doc: 'epochs of plain cross-entropy before the α weighting' },
  relabelLowOnly: { type: 'switch', default: 0, doc: '1: relabel only the low-importance group (the paper); 0: any sample (the code)' },
} as const satisfies HyperTable;

/**
 * δ1 as SCN's authors set it: 0.15 for their batch of 1024, and 0.07 advised
 * in their README for batch 64. The margin is between the mean α of the top
 * 70 % and of the rest of one batch; in a small batch both means rest on a few
 * samples, so the margin the network can keep apart without separating noise
 * shrinks with the batch. The default follows the batch size by the power law
 * through the authors' two points, δ1(B) = 0.15 · (B / 1024)^k with
 * k = ln(0.15 / 0.07) / ln(1024 / 64) ≈ 0.275 (B = 16 gives ≈ 0.048), held at
 * 0.15 above 1024, the largest batch they used. A power law stays positive for
 * every batch, where a line in log B through the same points turns negative
 * below 16. `--hyper delta1=` sets it exactly.
 */
export const SCN_DELTA1_POINTS = { large: { batch: 1024, delta1: 0.15 }, small: { batch: 64, delta1: 0.07 } } as const;

export function scnDelta1ForBatch(batch: number): number {
  const { large, small } = SCN_DELTA1_POINTS;
  if (!(batch > 0)) throw new RangeError(`SCN's δ1: the batch size must be positive, got ${batch}`);
  if (batch >= large.batch) return large.delta1;
  const k = Math.log(large.delta1 / small.delta1) / Math.log(large.batch / small.batch);
  return large.delta1 * Math.pow(batch / large.batch, k);
}

export function rankRegularization(alpha: Tensor, beta: number = SCN_HYPER.beta.default, delta1: number = SCN_DELTA1_POINTS.large.delta1): Tensor {
  const a = alpha.flatten();
  const n = a.shape[0];
  const tops = Math.floor(n * beta);
  if (tops < 1 || tops >= n) return scalarTensor(0, { dtype: a.dtype, device: a.device });
  const high = a.topk(tops, { largest: true }).values.mean();
  const low = a.topk(n - tops, { largest: false }).values.mean();
  return high.sub(low).rsub(delta1).clampMin(0);
}

export interface RelabelResult {
  /** New labels (same array length as `labels`). */
  labels: Int32Array;
  /** Positions in the batch that changed. */
  changed: number[];
}

/**
 * The relabel rule on one batch of probabilities (B×C, row-major). `eligible`
 * limits it to some positions (the paper: the low-importance group); without it
 * every sample may change (the authors' code).
 */
export function relabel(probs: Float32Array, labels: Int32Array, numClasses: number, delta2 = 0.2, eligible?: readonly number[]): RelabelResult {
  const out = Int32Array.from(labels);
  const changed: number[] = [];
  for (const i of eligible ?? labels.keys()) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[i * numClasses + c] > probs[i * numClasses + best]) best = c;
    const pMax = probs[i * numClasses + best];
    const pGt = probs[i * numClasses + labels[i]];
    if (pMax - pGt > delta2 && best !== labels[i]) {
      out[i] = best;
      changed.push(i);
    }
  }
  return { labels: out, changed: changed.sort((a, b) => a - b) };
}

/** Positions of the low-importance group L: the ⌈(1−β)·B⌉ smallest α (ties by position), as rankRegularization splits. */
export function lowImportanceGroup(alpha: Float32Array, beta: number = SCN_HYPER.beta.default): number[] {
  const tops = Math.floor(alpha.length * beta);
  return [...alpha.keys()].sort((a, b) => alpha[a]! - alpha[b]! || a - b).slice(0, alpha.length - tops);
}
