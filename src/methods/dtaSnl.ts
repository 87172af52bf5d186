/**
 * DTA + SNL (Cai et al. 2026; this project's reading, METHODS.md §3): a backbone
 * with local attention enhancement and random feature-map dropout; the EMA
 * teacher's weak-view probabilities drive per-class dynamic thresholds (updated
 * every step) for positive pseudo-labels on the student's strong view, and
 * selective negative learning from complementary labels of the samples below
 * threshold:  L = Lx + Lu + λn·L_SNL. Labelled data are sampled class-balanced.
 */
import { F, tensor, type Tensor } from '../torch/index.js';
import type { Method, StepContext, StepResult, StepStats, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { forwardViews, teacherLogits, pseudoLabelAccuracy } from './views.js';
import { DynamicThreshold, type DynamicThresholdOptions, type DynamicThresholdState } from './losses/dynamicThreshold.js';
import { complementaryMask, negativeLearningLoss } from './losses/negativeLearning.js';
import type { HeadKind } from '../models/index.js';

export interface DtaSnlOptions extends Omit<DynamicThresholdOptions, 'momentum'> {
  lambdaU?: number;
  lambdaN?: number;
  /** Complementary-label cut-off γ (p_k < γ). */
  gamma?: number;
  /** The EMA momentum m of τ and ρ (DynamicThresholdOptions.momentum; one name for the API, the config and --hyper). */
  thresholdMomentum?: number;
}

export class DtaSnl implements Method {
  readonly name = 'dta-snl';
  readonly labelledViews: ViewKind[] = ['weak'];
  readonly unlabelledViews: ViewKind[] = ['weak', 'strong'];
  readonly usesTeacher = true;
  readonly head: HeadKind;
  readonly dta = true;
  readonly classBalanced = true;
  readonly studentShrink = 0;
  readonly lambdaU: number;
  readonly lambdaN: number;
  readonly gamma: number;
  readonly dynamic: DynamicThreshold;

  constructor(readonly numClasses: number, readonly labelledLoss: LabelledLoss = new CrossEntropyLoss(), o: DtaSnlOptions = {}) {
    this.lambdaU = o.lambdaU ?? 1;
    this.lambdaN = o.lambdaN ?? 1;
    this.gamma = o.gamma ?? 0.05;
    this.dynamic = new DynamicThreshold(numClasses, { min: o.min, max: o.max, momentum: o.thresholdMomentum });
    this.head = labelledLoss.kind === 'scn' ? 'scn' : 'linear';
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const u = batch.unlabelled!;
    const [ox, os] = forwardViews(ctx.student, [batch.labelled.views[0], u.views[1]]);
    const lx = this.labelledLoss.compute(ox, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    const pt = teacherLogits(ctx.teacher!, u.views[0]).softmax(1);
    this.dynamic.update(pt.to('float32').data() as Float32Array);
    const thresholds = this.dynamic.thresholds();
    const { values, indices: pseudo } = pt.max(1);
    const mask = values.ge(tensor(thresholds, { dtype: values.dtype, device: values.device }).gather(0, pseudo));
    const lu = F.crossEntropy(os.logits, pseudo, { reduction: 'none' }).mul(mask.to(os.logits.dtype)).mean();
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

  state(): Record<string, unknown> {
    return { dynamic: this.dynamic.state(), labelledLoss: this.labelledLoss.state() };
  }
  loadState(s: Record<string, unknown>): void {
    this.dynamic.load(s.dynamic as DynamicThresholdState);
    this.labelledLoss.loadState((s.labelledLoss as Record<string, unknown>) ?? {});
  }
}
