/**
 * Ada-CM — adaptive confidence margin (Li et al., CVPR 2022; METHODS.md §1).
 * Per unlabelled image: views a, b (weak) and c (strong); q = ½(p(a) + p(b))
 * from the student, ĉ = argmax q, s = max q.
 *   subset I  (s ≥ T_ĉ): Lu = (1/μB) Σ 1[s ≥ T_ĉ] · CE(f(c), ĉ)
 *   subset II (s < T_ĉ): Ls = unsupervised SupCon on the L2-normalised features of a and b
 *   L = λ1·Lx + λ2·Lu + λ3·Ls  (0.5, 1, 0.1)
 * The per-class margins T are learnt after each epoch from the EMA teacher on the
 * labelled set (losses/adaptiveMargin.ts). The authors' EMA also shrinks the
 * student's weights by (1 − 0.02·lr) every step (`studentShrink`); their step
 * forwards each view batch on its own, so BatchNorm normalises each with its
 * own statistics (`forwardPerView`, on by default).
 * Every weight and margin knob is an option (hyperParameters.ts lists them).
 */
import { F, tensor, type Tensor } from '../torch/index.js';
import type { EpochContext, Method, StepContext, StepResult, StepStats, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { forwardEachView, forwardViews, pseudoLabelAccuracy, teacherLogits } from './views.js';
import { unsupervisedSupCon } from './losses/supcon.js';
import { updateMargins, type MarginOptions } from './losses/adaptiveMargin.js';
import type { HeadKind, HeadOutput } from '../models/index.js';

export interface AdaCmOptions extends MarginOptions {
  lambdaX?: number;
  lambdaU?: number;
  lambdaS?: number;
  temperature?: number;
  baseTemperature?: number;
  studentShrink?: number;
  /**
   * 1: q = ½(p(a) + p(b)) from the EMA teacher in evaluation mode, as DTA+SNL
   * and Mean Teacher do; 0 (default): from the student in training mode (with
   * its dropout), as the paper. This project's variant, for from-scratch runs
   * (docs/results.md).
   */
  teacherPseudoLabels?: number;
  /**
   * 1 (default): one forward pass per view batch (a, b, labelled, strong, the
   * authors' code's order), so BatchNorm normalises each on its own statistics,
   * as the authors' code does (METHODS.md does not say); 0: one pass over all
   * views, as FixMatch's reference and the other methods here.
   */
  forwardPerView?: number;
  /**
   * 1: the teacher predicts the labelled set under the weak augmentation when
   * the margins are learnt, as the authors' code (it reuses the labelled
   * training loader); 0 (default): without augmentation, as METHODS.md says.
   */
  marginAugment?: number;
}

/** Subset I mask from the averaged weak-view probabilities and per-class thresholds. */
export function adacmSubsets(pa: Tensor, pb: Tensor, thresholds: number[]): { q: Tensor; pseudo: Tensor; maxProb: Tensor; subsetI: Tensor } {
  const q = pa.add(pb).mul(0.5);
  const { values, indices } = q.max(1);
  const t = tensor(thresholds, { dtype: values.dtype, device: values.device }).gather(0, indices);
  return { q, pseudo: indices, maxProb: values, subsetI: values.ge(t) };
}

/** Ada-CM's per-step student weight shrink factor (× lr), from the authors' EMA code; also the fair baselines' (fairBaseline.ts). */
export const ADACM_STUDENT_SHRINK = 0.02;

export class AdaCm implements Method {
  readonly name = 'adacm';
  readonly labelledViews: ViewKind[] = ['weak'];
  readonly unlabelledViews: ViewKind[] = ['weak', 'weak', 'strong'];
  readonly usesTeacher = true;
  readonly head: HeadKind;
  readonly dta = false;
  readonly classBalanced = false;
  readonly studentShrink: number;
  readonly lambdaX: number;
  readonly lambdaU: number;
  readonly lambdaS: number;
  readonly temperature: number;
  readonly baseTemperature: number;
  readonly teacherPseudoLabels: boolean;
  readonly forwardPerView: boolean;
  readonly marginAugment: boolean;
  thresholds: number[];

  constructor(readonly numClasses: number, readonly labelledLoss: LabelledLoss = new CrossEntropyLoss(), readonly o: AdaCmOptions = {}) {
    this.lambdaX = o.lambdaX ?? 0.5;
    this.lambdaU = o.lambdaU ?? 1;
    this.lambdaS = o.lambdaS ?? 0.1;
    this.temperature = o.temperature ?? 0.07;
    this.baseTemperature = o.baseTemperature ?? 0.07;
    this.studentShrink = o.studentShrink ?? ADACM_STUDENT_SHRINK;
    this.teacherPseudoLabels = (o.teacherPseudoLabels ?? 0) === 1;
    this.forwardPerView = (o.forwardPerView ?? 1) === 1;
    this.marginAugment = (o.marginAugment ?? 0) === 1;
    this.thresholds = new Array(numClasses).fill(o.base ?? 0.8);
    this.head = labelledLoss.kind === 'scn' ? 'scn' : 'adacm';
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const u = batch.unlabelled!;
    const x = batch.labelled.views[0];
    const [a, b, c] = u.views;
    let ox: HeadOutput, oa: HeadOutput, ob: HeadOutput, oc: HeadOutput;
    if (this.forwardPerView) [oa, ob, ox, oc] = forwardEachView(ctx.student, [a, b, x, c]);
    else [ox, oa, ob, oc] = forwardViews(ctx.student, [x, a, b, c]);
    const lx = this.labelledLoss.compute(ox, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    const [la, lb] = this.teacherPseudoLabels ? [teacherLogits(ctx.teacher!, a), teacherLogits(ctx.teacher!, b)] : [oa.logits.detach(), ob.logits.detach()];
    const { pseudo, subsetI } = adacmSubsets(la.softmax(1), lb.softmax(1), this.thresholds);
    const muB = pseudo.shape[0];
    const lu = F.crossEntropy(oc.logits, pseudo, { reduction: 'none' }).mul(subsetI.to(oc.logits.dtype)).sum().div(muB);
    const countI = subsetI.to('float32').sum().item();
    let ls: Tensor;
    if (countI < muB) {
      const ii = subsetI.logicalNot().nonzero().squeeze(1);
      ls = unsupervisedSupCon(oa.features.indexSelect(0, ii), ob.features.indexSelect(0, ii), this.temperature, this.baseTemperature);
    } else {
      // Zero, but still reaching a's and b's passes: with synchronised batch norm every rank's
      // backward must reach the same layers, whether or not its own subset II is empty.
      ls = oa.features.sum().add(ob.features.sum()).mul(0);
    }
    const loss = lx.loss.mul(this.lambdaX).add(lu.mul(this.lambdaU)).add(ls.mul(this.lambdaS));
    const stats: StepStats = { ...lx.stats, subsetI: countI, subsetII: muB - countI, maskRate: countI / muB, thresholds: [...this.thresholds] };
    const acc = pseudoLabelAccuracy(pseudo, subsetI, u.trueLabels);
    if (acc !== undefined) stats.pseudoLabelAccuracy = acc;
    return { loss, terms: { Lx: lx.loss, Lu: lu, Ls: ls, ...lx.terms }, stats };
  }

  async onEpochEnd(ctx: EpochContext): Promise<Record<string, number | number[]>> {
    const model = ctx.teacher ?? ctx.student;
    const { probs, labels } = await ctx.predictLabelled(model, { weak: this.marginAugment });
    this.thresholds = updateMargins(probs, labels, this.numClasses, ctx.epoch, this.o);
    return { thresholds: [...this.thresholds] };
  }

  state(): Record<string, unknown> {
    return { thresholds: this.thresholds, labelledLoss: this.labelledLoss.state() };
  }
  loadState(s: Record<string, unknown>): void {
    this.thresholds = [...(s.thresholds as number[])];
    this.labelledLoss.loadState((s.labelledLoss as Record<string, unknown>) ?? {});
  }
}
