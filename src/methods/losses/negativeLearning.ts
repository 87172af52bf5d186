/**
 * Selective negative learning (DTA+SNL, docs/methods.md §3): for unlabelled samples
 * below their threshold, the complementary labels K = {k : p_k < γ} from the
 * teacher's weak view (at most C−1 of them); on the student's strong view
 *   L_SNL = −(1/|K|) Σ_{k∈K} log(1 − p_k)
 * averaged over the samples that have a non-empty K.
 */
import { F, type Tensor } from '../../torch/index.js';

/** Complementary-label mask (N×C bool) from teacher probabilities and the low-confidence selection (N bool). */
export function complementaryMask(teacherProbs: Tensor, selected: Tensor, gamma = 0.05): Tensor {
  const low = teacherProbs.lt(gamma);
  // At most C−1: the teacher's top class is never complementary (matters only when C·γ > 1).
  const top = F.oneHot(teacherProbs.argmax(1), teacherProbs.shape[1]).to('bool');
  return low.logicalAnd(top.logicalNot()).logicalAnd(selected.unsqueeze(1));
}

/** Mean over samples with |K| > 0 of −(1/|K|) Σ_{k∈K} log(1 − p_k); zero when no sample qualifies. */
export function negativeLearningLoss(studentLogits: Tensor, mask: Tensor, eps = 1e-7): Tensor {
  const p = studentLogits.softmax(1);
  const m = mask.to(p.dtype);
  const perClass = p.rsub(1).clampMin(eps).log().neg().mul(m);
  const k = m.sum(1);
  const has = k.gt(0);
  const perSample = perClass.sum(1).div(k.clampMin(1));
  const count = has.to(p.dtype).sum();
  return perSample.mul(has.to(p.dtype)).sum().div(count.clampMin(1));
}
