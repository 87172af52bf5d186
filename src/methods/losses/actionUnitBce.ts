/**
 * The action-unit loss: each AU is an independent binary task, so the head's
 * K logits go through a sigmoid each and the loss is binary cross-entropy,
 * averaged over AUs and images:
 *   L = −1/(N·K) Σ_i Σ_k [ w_k·y_ik·log σ(z_ik) + (1 − y_ik)·log(1 − σ(z_ik)) ]
 * with w_k the weight of AU k's positives (1 for plain BCE). LibTorch's
 * binary_cross_entropy_with_logits computes it stably (log-sum-exp form).
 */
import { F, type Tensor } from '../../torch/index.js';

/** How AU positives are weighted: 'balanced' (w_k = negatives/positives of AU k in the training set, the default) or 'none' (plain BCE). */
export const AU_POS_WEIGHTS = ['balanced', 'none'] as const;
export type AuPosWeight = (typeof AU_POS_WEIGHTS)[number];
export const DEFAULT_AU_POS_WEIGHT: AuPosWeight = 'balanced';

/** Mean BCE over N × K logits and 0/1 targets; `posWeight` (K values) scales each AU's positive term. */
export function actionUnitBce(logits: Tensor, targets: Tensor, posWeight: Tensor | null = null): Tensor {
  return F.binaryCrossEntropyWithLogits(logits, targets, { posWeight, reduction: 'mean' });
}

/**
 * Per-AU positive weights from the training targets (N × K, 0/1): negatives /
 * positives, so each AU's positives and negatives weigh the same in the loss.
 * CK+'s AUs differ widely in frequency: without it, the rare ones are learned
 * as "always absent", which scores F1 = 0. An AU
 * with no positive in the training set gets 1 (it cannot be learned anyway).
 */
export function balancedPosWeights(targets: Float32Array, numAus: number): Float32Array {
  const n = targets.length / numAus;
  const out = new Float32Array(numAus);
  for (let k = 0; k < numAus; k++) {
    let pos = 0;
    for (let i = 0; i < n; i++) pos += targets[i * numAus + k]!;
    out[k] = pos > 0 ? (n - pos) / pos : 1;
  }
  return out;
}
