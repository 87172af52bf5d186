/**
 * FixMatch (Sohn et al. 2020; METHODS.md §4): pseudo-label from the weak view
 * where max p ≥ τ (fixed, 0.95), cross-entropy on the strong view:
 *   Lu = (1/μB) Σ 1[max p(u_w) ≥ τ] · CE(f(u_s), argmax p(u_w));  L = Lx + λu·Lu
 */
import { F, type Tensor } from '../torch/index.js';
import type { Method, StepContext, StepResult, StepStats, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { forwardViews, pseudoLabelAccuracy } from './views.js';
import type { HeadKind } from '../models/index.js';
import { baselineModel } from './fairBaseline.js';

export interface FixMatchOptions { threshold?: number; lambdaU?: number }

/** The confidence mask and pseudo-labels of FixMatch, from weak-view logits. */
export function fixmatchMask(weakLogits: Tensor, threshold: number): { mask: Tensor; pseudo: Tensor; maxProb: Tensor } {
  const p = weakLogits.detach().softmax(1);
  const { values, indices } = p.max(1);
  return { mask: values.ge(threshold), pseudo: indices, maxProb: values };
}

export class FixMatch implements Method {
  readonly name = 'fixmatch';
  readonly labelledViews: ViewKind[] = ['weak'];
  readonly unlabelledViews: ViewKind[] = ['weak', 'strong'];
  /** With a fair baseline, an EMA model to evaluate and select, as FixMatch's reference implementations; it does not enter the loss. */
  readonly usesTeacher: boolean;
  readonly head: HeadKind;
  readonly dta = false;
  readonly classBalanced = false;
  readonly studentShrink: number;
  readonly threshold: number;
  readonly lambdaU: number;

  constructor(readonly labelledLoss: LabelledLoss = new CrossEntropyLoss(), o: FixMatchOptions = {}, fairBaseline = false) {
    this.threshold = o.threshold ?? 0.95;
    this.lambdaU = o.lambdaU ?? 1;
    ({ head: this.head, studentShrink: this.studentShrink } = baselineModel(labelledLoss, fairBaseline));
    this.usesTeacher = fairBaseline;
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const u = batch.unlabelled!;
    const [ox, ow, os] = forwardViews(ctx.student, [batch.labelled.views[0], u.views[0], u.views[1]]);
    const lx = this.labelledLoss.compute(ox, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    const { mask, pseudo } = fixmatchMask(ow.logits, this.threshold);
    const lu = F.crossEntropy(os.logits, pseudo, { reduction: 'none' }).mul(mask.to(os.logits.dtype)).mean();
    const loss = lx.loss.add(lu.mul(this.lambdaU));
    // maskRate is read on the host every step: the trainer's pseudo-label monitor (on main) averages it over the epoch.
    const stats: StepStats = { ...lx.stats, maskRate: mask.to('float32').mean().item() };
    const acc = pseudoLabelAccuracy(pseudo, mask, u.trueLabels);
    if (acc !== undefined) stats.pseudoLabelAccuracy = acc;
    return { loss, terms: { Lx: lx.loss, Lu: lu, ...lx.terms }, stats };
  }

  state(): Record<string, unknown> {
    return { labelledLoss: this.labelledLoss.state() };
  }
  loadState(s: Record<string, unknown>): void {
    this.labelledLoss.loadState((s.labelledLoss as Record<string, unknown>) ?? {});
  }
}
