/**
 * Ada-CM — adaptive confidence margin (Li et al., CVPR 2022; docs/methods.md §1).
 * Per unlabelled image: views a, b (weak) and c (strong); q = ½(p(a) + p(b))
 * from the student, ĉ = argmax q, s = max q.
 *   subset I  (s ≥ T_ĉ): Lu = (1/μB) Σ 1[s ≥ T_ĉ] · CE(f(c), ĉ)
 *   subset II (s < T_ĉ): Ls = unsupervised SupCon on the L2-normalised features of a and b
 *   L = λ1·Lx + λ2·Lu + λ3·Ls
 * The per-class margins T are learnt after each epoch from the EMA teacher on the
 * labelled set (losses/adaptiveMargin.ts). The authors' EMA also shrinks the
 * student's weights by (1 − k·lr) every step (`studentShrink` = k); their step
 * forwards each view batch on its own, so BatchNorm normalises each with its
 * own statistics (`forwardPerView`, on by default).
 * Every weight and margin knob is a hyper-parameter, declared in ADACM_HYPER with its default.
 */
import { tensor, scalarTensor, type Tensor } from '../torch/index.js';
import type { EpochContext, StepContext, StepResult, StepStats, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { forwardEachView, forwardViews, pseudoLabelAccuracy, teacherLogits, TEACHER_BATCH_STATS_HYPER } from './views.js';
import { unsupervisedSupCon } from './losses/supcon.js';
import { updateMargins, MARGIN_HYPER } from './losses/adaptiveMargin.js';
import type { HeadOutput } from '../models/index.js';
import { MethodBase, maskedCrossEntropy } from './methodBase.js';
import { declareMethod, hyperValues, type HyperTable, type HyperValues } from './declaration.js';

export const ADACM_HYPER = {
  lambdaX: { type: 'number', default: 0.5, doc: 'λ1, weight of the labelled loss' },
  lambdaU: { type: 'number', default: 1, doc: 'λ2, weight of subset I\'s pseudo-label loss' },
  lambdaS: { type: 'number', default: 0.1, doc: 'λ3, weight of subset II\'s contrastive loss' },
  temperature: { type: 'number', default: 0.07, doc: 'contrastive temperature' },
  baseTemperature: { type: 'number', default: 0.07, doc: 'contrastive base temperature' },
  // From the authors' EMA code; also the fair baselines' (fairBaseline.ts).
  studentShrink: { type: 'number', default: 0.02, doc: 'per-step student weight shrink factor times lr' },
  ...MARGIN_HYPER,
  // This project's variant, for from-scratch runs (docs/results.md); the paper takes q from the student in training mode (with its dropout).
  teacherPseudoLabels: { type: 'switch', default: 0, doc: '1: q from the EMA teacher in evaluation mode, as DTA+SNL and Mean Teacher do (this project\'s variant); 0: from the student, as the paper' },
  teacherBatchStats: { ...TEACHER_BATCH_STATS_HYPER.teacherBatchStats, readOnlyWith: { teacherPseudoLabels: 1 } },
  // docs/methods.md notes the papers do not say; the authors' code forwards a, b, labelled, strong in that order.
  forwardPerView: { type: 'switch', default: 1, doc: '1: one forward pass per view batch, so BatchNorm normalises each on its own, as the authors\' code; 0: one pass over all views, as FixMatch\'s reference' },
  // The authors' code reuses the labelled training loader for the margins.
  marginAugment: { type: 'switch', default: 0, doc: '1: learn the margins from the teacher on weakly augmented labelled faces, as the authors\' code; 0: without augmentation, as docs/methods.md' },
  // With a few labels per class the teacher has memorised its labelled images: their mean confidence m_c nears 1 and
  // T_c climbs to ≈ 0.95 while unlabelled faces score like unseen ones, so pseudo-labels stop (3 % of the unlabelled
  // faces in the demo's run). Held-out images give the confidence of correct predictions on unseen faces (docs/defaults.md).
  marginFromValidation: { type: 'switch', default: 1, doc: '1: learn the margins on the validation images when the run has them; 0: on the labelled training images, as the paper' },
} as const satisfies HyperTable;

export type AdaCmOptions = HyperValues<typeof ADACM_HYPER>;

/** Subset I mask from the averaged weak-view probabilities and per-class thresholds. */
export function adacmSubsets(pa: Tensor, pb: Tensor, thresholds: number[]): { q: Tensor; pseudo: Tensor; maxProb: Tensor; subsetI: Tensor } {
  const q = pa.add(pb).mul(0.5);
  const { values, indices } = q.max(1);
  const t = tensor(thresholds, { dtype: values.dtype, device: values.device }).gather(0, indices);
  return { q, pseudo: indices, maxProb: values, subsetI: values.ge(t) };
}

export class AdaCm extends MethodBase {
  readonly name = 'adacm';
  readonly labelledViews: ViewKind[] = ['weak'];
  override readonly unlabelledViews: ViewKind[] = ['weak', 'weak', 'strong'];
  override readonly usesTeacher = true;
  override readonly studentShrink: number;
  readonly lambdaX: number;
  readonly lambdaU: number;
  readonly lambdaS: number;
  readonly temperature: number;
  readonly baseTemperature: number;
  readonly teacherPseudoLabels: boolean;
  readonly teacherBatchStats: boolean;
  readonly forwardPerView: boolean;
  readonly marginAugment: boolean;
  readonly marginFromValidation: boolean;
  /** Every hyper-parameter's value (given, or ADACM_HYPER's default); the margin ones go to updateMargins. */
  readonly o: AdaCmOptions;
  thresholds: number[];

  constructor(readonly numClasses: number, labelledLoss: LabelledLoss = new CrossEntropyLoss(), hyper: Readonly<Record<string, number>> = {}) {
    super(labelledLoss, 'adacm');
    const o = (this.o = hyperValues(ADACM_HYPER, hyper));
    this.lambdaX = o.lambdaX;
    this.lambdaU = o.lambdaU;
    this.lambdaS = o.lambdaS;
    this.temperature = o.temperature;
    this.baseTemperature = o.baseTemperature;
    this.studentShrink = o.studentShrink;
    this.teacherPseudoLabels = o.teacherPseudoLabels === 1;
    this.teacherBatchStats = o.teacherBatchStats === 1;
    this.forwardPerView = o.forwardPerView === 1;
    this.marginAugment = o.marginAugment === 1;
    this.marginFromValidation = o.marginFromValidation === 1;
    this.thresholds = new Array(numClasses).fill(o.base);
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const u = batch.unlabelled!;
    const x = batch.labelled.views[0];
    const [a, b, c] = u.views;
    let ox: HeadOutput, oa: HeadOutput, ob: HeadOutput, oc: HeadOutput;
    if (this.forwardPerView) [oa, ob, ox, oc] = forwardEachView(ctx.student, [a, b, x, c]);
    else [ox, oa, ob, oc] = forwardViews(ctx.student, [x, a, b, c]);
    const lx = this.labelledLoss.compute(ox, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    const fromTeacher = (v: typeof a) => teacherLogits(ctx.teacher!, v, { batchStats: this.teacherBatchStats });
    const [la, lb] = this.teacherPseudoLabels ? [fromTeacher(a), fromTeacher(b)] : [oa.logits.detach(), ob.logits.detach()];
    const { pseudo, subsetI } = adacmSubsets(la.softmax(1), lb.softmax(1), this.thresholds);
    const muB = pseudo.shape[0];
    const lu = maskedCrossEntropy(oc.logits, pseudo, subsetI).sum().div(muB);
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
    const held = this.marginFromValidation ? await ctx.predictValidation(model) : null;
    const { probs, labels } = held ?? (await ctx.predictLabelled(model, { weak: this.marginAugment }));
    this.thresholds = updateMargins(probs, labels, this.numClasses, ctx.epoch, this.o);
    return { thresholds: [...this.thresholds] };
  }

  confidenceThresholds(o: { epoch: number }): { thresholds: number[]; source: string } {
    return { thresholds: [...this.thresholds], source: `Ada-CM's learnt margins (epoch ${o.epoch})` };
  }

  protected override ownState(): Record<string, unknown> {
    return { thresholds: this.thresholds };
  }
  protected override loadOwnState(s: Record<string, unknown>): void {
    this.thresholds = [...(s.thresholds as number[])];
  }
}

export const method = declareMethod({
  name: 'adacm',
  hyper: ADACM_HYPER,
  create: (i) => new AdaCm(i.numClasses, i.labelledLoss, i.hyper),
});
