/**
 * DTA + SNL (Cai et al. 2026; this project's reading, docs/methods.md §3): a backbone
 * with local attention enhancement and random feature-map dropout; the EMA
 * teacher's weak-view probabilities drive per-class dynamic thresholds (updated
 * every step) for positive pseudo-labels on the student's strong view, and
 * selective negative learning from complementary labels of the samples below
 * threshold:  L = Lx + Lu + λn·L_SNL. Labelled data are sampled class-balanced.
 */
import { tensor } from '../torch/index.js';
import type { StepContext, StepResult, StepStats, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { forwardViews, teacherLogits, pseudoLabelAccuracy, TEACHER_BATCH_STATS_HYPER } from './views.js';
import { DynamicThreshold, DYNAMIC_THRESHOLD_HYPER, type DynamicThresholdState } from './losses/dynamicThreshold.js';
import { complementaryMask, negativeLearningLoss } from './losses/negativeLearning.js';
import { MethodBase, maskedCrossEntropy } from './methodBase.js';
import { declareMethod, hyperValues, type HyperTable } from './declaration.js';

export const DTA_SNL_HYPER = {
  lambdaU: { type: 'number', default: 1, doc: 'weight of the positive pseudo-label loss' },
  lambdaN: { type: 'number', default: 1, doc: 'weight of selective negative learning' },
  gamma: { type: 'number', default: 0.05, doc: 'complementary-label cut-off γ (p_k < γ)' },
  ...TEACHER_BATCH_STATS_HYPER,
  ...DYNAMIC_THRESHOLD_HYPER,
} as const satisfies HyperTable;

export class DtaSnl extends MethodBase {
  readonly name = 'dta-snl';
  readonly labelledViews: ViewKind[] = ['weak'];
  override readonly unlabelledViews: ViewKind[] = ['weak', 'strong'];
  override readonly usesTeacher = true;
  override readonly dta = true;
  override readonly classBalanced = true;
  readonly lambdaU: number;
  readonly lambdaN: number;
  readonly gamma: number;
  readonly teacherBatchStats: boolean;
  readonly dynamic: DynamicThreshold;

  constructor(readonly numClasses: number, labelledLoss: LabelledLoss = new CrossEntropyLoss(), hyper: Readonly<Record<string, number>> = {}) {
    super(labelledLoss, 'linear');
    const h = hyperValues(DTA_SNL_HYPER, hyper);
    this.lambdaU = h.lambdaU;
    this.lambdaN = h.lambdaN;
    this.gamma = h.gamma;
    this.teacherBatchStats = h.teacherBatchStats === 1;
    this.dynamic = new DynamicThreshold(numClasses, { min: h.min, max: h.max, momentum: h.thresholdMomentum });
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const u = batch.unlabelled!;
    const [ox, os] = forwardViews(ctx.student, [batch.labelled.views[0], u.views[1]]);
    const lx = this.labelledLoss.compute(ox, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    const pt = teacherLogits(ctx.teacher!, u.views[0], { batchStats: this.teacherBatchStats }).softmax(1);
    this.dynamic.update(pt.to('float32').data() as Float32Array);
    const thresholds = this.dynamic.thresholds();
    const { values, indices: pseudo } = pt.max(1);
    const mask = values.ge(tensor(thresholds, { dtype: values.dtype, device: values.device }).gather(0, pseudo));
    const lu = maskedCrossEntropy(os.logits, pseudo, mask).mean();
    const selected = mask.logicalNot();
    const K = complementaryMask(pt, selected, this.gamma);
    const lsnl = negativeLearningLoss(os.logits, K);
    const loss = lx.loss.add(lu.mul(this.lambdaU)).add(lsnl.mul(this.lambdaN));
    const stats: StepStats = {
      ...lx.stats,
      maskRate: mask.to('float32').mean().item(), // a host number: the pseudo-label monitor averages it every step
      snlRate: K.to('float32').sum(1).gt(0).to('float32').mean(),
      tau: this.dynamic.tau,
      thresholds,
    };
    const acc = pseudoLabelAccuracy(pseudo, mask, u.trueLabels);
    if (acc !== undefined) stats.pseudoLabelAccuracy = acc;
    return { loss, terms: { Lx: lx.loss, Lu: lu, Lsnl: lsnl, ...lx.terms }, stats };
  }

  confidenceThresholds(): { thresholds: number[]; source: string } {
    return { thresholds: this.dynamic.thresholds(), source: `DTA's dynamic thresholds (τ = ${this.dynamic.tau.toFixed(3)})` };
  }

  protected override ownState(): Record<string, unknown> {
    return { dynamic: this.dynamic.state() };
  }
  protected override loadOwnState(s: Record<string, unknown>): void {
    this.dynamic.load(s.dynamic as DynamicThresholdState);
  }
}

export const method = declareMethod({
  name: 'dta-snl',
  hyper: DTA_SNL_HYPER,
  create: (i) => new DtaSnl(i.numClasses, i.labelledLoss, i.hyper),
});
