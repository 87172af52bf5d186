/**
 * FixMatch (Sohn et al. 2020; docs/methods.md §4): pseudo-label from the weak view
 * where max p ≥ τ (fixed: the hyper-parameter threshold), cross-entropy on the strong view:
 *   Lu = (1/μB) Σ 1[max p(u_w) ≥ τ] · CE(f(u_s), argmax p(u_w));  L = Lx + λu·Lu
 */
import type { Tensor } from '../torch/index.js';
import type { StepContext, StepResult, StepStats, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { forwardViews, pseudoLabelAccuracy } from './views.js';
import { baselineModel } from './fairBaseline.js';
import { MethodBase, maskedCrossEntropy } from './methodBase.js';
import { declareMethod, hyperValues, type HyperTable } from './declaration.js';

export const FIXMATCH_HYPER = {
  threshold: { type: 'number', default: 0.95, doc: 'confidence threshold' },
  lambdaU: { type: 'number', default: 1, doc: 'weight of the unlabelled loss' },
} as const satisfies HyperTable;

/** The confidence mask and pseudo-labels of FixMatch, from weak-view logits. */
export function fixmatchMask(weakLogits: Tensor, threshold: number): { mask: Tensor; pseudo: Tensor; maxProb: Tensor } {
  const p = weakLogits.detach().softmax(1);
  const { values, indices } = p.max(1);
  return { mask: values.ge(threshold), pseudo: indices, maxProb: values };
}

export class FixMatch extends MethodBase {
  readonly name = 'fixmatch';
  readonly labelledViews: ViewKind[] = ['weak'];
  override readonly unlabelledViews: ViewKind[] = ['weak', 'strong'];
  /** With a fair baseline, an EMA model to evaluate and select, as FixMatch's reference implementations; it does not enter the loss. */
  override readonly usesTeacher: boolean;
  override readonly studentShrink: number;
  readonly threshold: number;
  readonly lambdaU: number;

  constructor(labelledLoss: LabelledLoss = new CrossEntropyLoss(), hyper: Readonly<Record<string, number>> = {}, fairBaseline = false) {
    const model = baselineModel(fairBaseline);
    super(labelledLoss, model.head);
    const h = hyperValues(FIXMATCH_HYPER, hyper);
    this.threshold = h.threshold;
    this.lambdaU = h.lambdaU;
    this.studentShrink = model.studentShrink;
    this.usesTeacher = fairBaseline;
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const u = batch.unlabelled!;
    const [ox, ow, os] = forwardViews(ctx.student, [batch.labelled.views[0], u.views[0], u.views[1]]);
    const lx = this.labelledLoss.compute(ox, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    const { mask, pseudo } = fixmatchMask(ow.logits, this.threshold);
    const lu = maskedCrossEntropy(os.logits, pseudo, mask).mean();
    const loss = lx.loss.add(lu.mul(this.lambdaU));
    // maskRate is read on the host every step: the trainer's pseudo-label monitor (on main) averages it over the epoch.
    const stats: StepStats = { ...lx.stats, maskRate: mask.to('float32').mean().item() };
    const acc = pseudoLabelAccuracy(pseudo, mask, u.trueLabels);
    if (acc !== undefined) stats.pseudoLabelAccuracy = acc;
    return { loss, terms: { Lx: lx.loss, Lu: lu, ...lx.terms }, stats };
  }

  confidenceThresholds(o: { numClasses: number }): { thresholds: number[]; source: string } {
    return { thresholds: new Array<number>(o.numClasses).fill(this.threshold), source: `FixMatch's threshold ${this.threshold}` };
  }
}

export const method = declareMethod({
  name: 'fixmatch',
  hyper: FIXMATCH_HYPER,
  create: (i) => new FixMatch(i.labelledLoss, i.hyper, i.fairBaseline),
});
