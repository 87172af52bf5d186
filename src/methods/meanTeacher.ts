/**
 * Mean Teacher (Tarvainen & Valpola 2017; docs/methods.md §4): the student on one
 * weak view, the EMA teacher on another; L = Lx + w(t)·(1/C)Σ_c (p_s − p_t)² with w
 * ramped up sigmoid-shaped over the first epochs.
 *
 * With `weightFromValidation` (the default) w is also scaled by κ, how far the
 * teacher's accuracy on the held-out validation images is above chance,
 * κ = (acc − 1/C)/(1 − 1/C), measured at each epoch's end: the student is pulled
 * towards the teacher only as far as the teacher is right (docs/defaults.md).
 */
import type { EpochContext, StepContext, StepResult, TrainBatch, ViewKind } from './method.js';
import { argmaxRows } from '../eval/metrics.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { forwardViews, teacherLogits, TEACHER_BATCH_STATS_HYPER } from './views.js';
import { softmaxMse, sigmoidRampup } from './losses/consistency.js';
import { baselineModel } from './fairBaseline.js';
import { MethodBase } from './methodBase.js';
import { declareMethod, hyperValues, type HyperTable } from './declaration.js';

export const MEAN_TEACHER_HYPER = {
  // A tenth of the paper's CIFAR-10 value (100: --hyper consistencyWeight=100 or the meanteacher-paper preset). With the
  // paper's, 600 steps from random weights collapsed (MNIST digits, 10 labels per class: 65.6 % against supervised's
  // 85.1): the student is held to a teacher that knows little yet (docs/defaults.md).
  consistencyWeight: { type: 'number', default: 10, doc: 'weight of the consistency loss after ramp-up (the paper\'s CIFAR-10 value: 100)' },
  rampupEpochs: { type: 'number', default: 5, doc: 'sigmoid ramp-up length in epochs' },
  weightFromValidation: { type: 'switch', default: 1, doc: "1: scale the consistency weight by the teacher's validation accuracy above chance, κ = (acc − 1/C)/(1 − 1/C), when the run has validation images; 0: the paper's fixed weight" },
  ...TEACHER_BATCH_STATS_HYPER,
} as const satisfies HyperTable;

export class MeanTeacher extends MethodBase {
  readonly name = 'meanteacher';
  readonly labelledViews: ViewKind[] = ['weak'];
  override readonly unlabelledViews: ViewKind[] = ['weak', 'weak'];
  override readonly usesTeacher = true;
  override readonly studentShrink: number;
  readonly consistencyWeight: number;
  readonly rampupEpochs: number;
  readonly weightFromValidation: boolean;
  readonly teacherBatchStats: boolean;
  /** κ: the share of the consistency weight the teacher has earned so far (0 until its first validation score). */
  trust: number;

  constructor(readonly numClasses: number, labelledLoss: LabelledLoss = new CrossEntropyLoss(), hyper: Readonly<Record<string, number>> = {}, fairBaseline = false) {
    const model = baselineModel(fairBaseline);
    super(labelledLoss, model.head);
    const h = hyperValues(MEAN_TEACHER_HYPER, hyper);
    this.consistencyWeight = h.consistencyWeight;
    this.rampupEpochs = h.rampupEpochs;
    this.weightFromValidation = h.weightFromValidation === 1;
    this.teacherBatchStats = h.teacherBatchStats === 1;
    this.trust = this.weightFromValidation ? 0 : 1;
    this.studentShrink = model.studentShrink;
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const u = batch.unlabelled!;
    const [ox, ou] = forwardViews(ctx.student, [batch.labelled.views[0], u.views[0]]);
    const lx = this.labelledLoss.compute(ox, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    const t = teacherLogits(ctx.teacher!, u.views[1], { batchStats: this.teacherBatchStats });
    const lcons = softmaxMse(ou.logits, t);
    const w = this.trust * this.consistencyWeight * sigmoidRampup(ctx.step / ctx.stepsPerEpoch, Math.min(this.rampupEpochs, ctx.totalSteps / ctx.stepsPerEpoch / 2));
    return { loss: lx.loss.add(lcons.mul(w)), terms: { Lx: lx.loss, Lcons: lcons, ...lx.terms }, stats: { ...lx.stats, consistencyWeight: w } };
  }

  async onEpochEnd(ctx: EpochContext): Promise<Record<string, number | number[]>> {
    if (!this.weightFromValidation) return {};
    const held = await ctx.predictValidation(ctx.teacher ?? ctx.student);
    // Without validation images there is nothing held out to judge the teacher on: the paper's fixed weight.
    this.trust = held ? teacherTrust(held.probs, held.labels, this.numClasses) : 1;
    return { consistencyTrust: this.trust };
  }

  protected override ownState(): Record<string, unknown> {
    return { trust: this.trust };
  }
  protected override loadOwnState(s: Record<string, unknown>): void {
    if (typeof s.trust === 'number') this.trust = s.trust;
  }
}

/** κ = (acc − 1/C)/(1 − 1/C), clamped to [0, 1]: 0 for a teacher at chance, 1 for one that is always right. */
export function teacherTrust(probs: Float32Array, labels: Int32Array, numClasses: number): number {
  if (labels.length === 0) return 1;
  const predicted = argmaxRows(probs, numClasses);
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  const chance = 1 / numClasses;
  return Math.min(1, Math.max(0, (right / labels.length - chance) / (1 - chance)));
}

export const method = declareMethod({
  name: 'meanteacher',
  hyper: MEAN_TEACHER_HYPER,
  create: (i) => new MeanTeacher(i.numClasses, i.labelledLoss, i.hyper, i.fairBaseline),
});
