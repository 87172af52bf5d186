/**
 * Supervised baseline (METHODS.md §4): labelled data only, weak augmentation,
 * Lx = CE(f(x), y). With the SCN labelled loss this is SCN itself (see scn.ts).
 */
import type { Method, StepContext, StepResult, TrainBatch, ViewKind } from './method.js';
import { type LabelledLoss, CrossEntropyLoss } from './labelledLoss.js';
import type { HeadKind } from '../models/index.js';
import { baselineModel } from './fairBaseline.js';

export class Supervised implements Method {
  readonly name: string = 'supervised';
  readonly labelledViews: ViewKind[] = ['weak'];
  readonly unlabelledViews: ViewKind[] = [];
  readonly usesTeacher: boolean = false;
  readonly head: HeadKind;
  readonly dta = false;
  readonly classBalanced = false;
  readonly studentShrink: number;

  /** `fairBaseline`: Ada-CM's head and weight shrink (fairBaseline.ts); SCN passes false. */
  constructor(readonly labelledLoss: LabelledLoss = new CrossEntropyLoss(), fairBaseline = false) {
    ({ head: this.head, studentShrink: this.studentShrink } = baselineModel(labelledLoss, fairBaseline));
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const out = ctx.student.forward(batch.labelled.views[0]);
    const lx = this.labelledLoss.compute(out, batch.labelled.labels, batch.labelled.indices, ctx.epoch);
    return { loss: lx.loss, terms: { Lx: lx.loss, ...lx.terms }, stats: lx.stats };
  }

  state(): Record<string, unknown> {
    return { labelledLoss: this.labelledLoss.state() };
  }
  loadState(s: Record<string, unknown>): void {
    this.labelledLoss.loadState((s.labelledLoss as Record<string, unknown>) ?? {});
  }
}
