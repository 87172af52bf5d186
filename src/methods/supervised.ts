/**
 * Supervised baseline (docs/methods.md §4): labelled data only, weak augmentation,
 * Lx = CE(f(x), y). With the SCN labelled loss this is SCN itself (see scn.ts).
 */
import type { StepContext, StepResult, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import { baselineModel } from './fairBaseline.js';
import { MethodBase } from './methodBase.js';
import { declareMethod } from './declaration.js';

export class Supervised extends MethodBase {
  readonly name: string = 'supervised';
  readonly labelledViews: ViewKind[] = ['weak'];
  override readonly studentShrink: number;

  /** `fairBaseline`: Ada-CM's head and weight shrink (fairBaseline.ts); SCN passes false. */
  constructor(labelledLoss: LabelledLoss = new CrossEntropyLoss(), fairBaseline = false) {
    const model = baselineModel(fairBaseline);
    super(labelledLoss, model.head);
    this.studentShrink = model.studentShrink;
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const out = ctx.student.forward(batch.labelled.views[0]);
    const lx = this.labelledLoss.compute(out, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    return { loss: lx.loss, terms: { Lx: lx.loss, ...lx.terms }, stats: lx.stats };
  }
}

export const method = declareMethod({
  name: 'supervised',
  hyper: {},
  create: (i) => new Supervised(i.labelledLoss, i.fairBaseline),
});
