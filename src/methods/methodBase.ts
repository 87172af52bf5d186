/**
 * What every method shares: the supervised term (cross-entropy or SCN's), the
 * head that term needs, the model and optimiser-step hooks the loop calls, and
 * the checkpoint state. A method file extends it with its views, its step and
 * its own state.
 */
import { F, type Tensor } from '../torch/index.js';
import type { FerModel, FerModelConfig, HeadKind } from '../models/index.js';
import type { Method, RelabelSummary, StepContext, StepResult, TrainBatch, ViewKind } from './method.js';
import type { LabelledLoss } from './labelledLoss.js';
import { shrinkWeights } from './weightShrink.js';

export abstract class MethodBase implements Method {
  abstract readonly name: string;
  abstract readonly labelledViews: ViewKind[];
  readonly unlabelledViews: ViewKind[] = [];
  readonly usesTeacher: boolean = false;
  /** The head the model needs: SCN's whenever the supervised term is SCN's (it reads the head's importance α). */
  readonly head: HeadKind;
  /** Whether the backbone gets DTA's attention enhancement and feature dropout. */
  readonly dta: boolean = false;
  readonly classBalanced: boolean = false;
  /** The student's weights shrink by (1 − k·lr) after each optimiser step (Ada-CM's authors); k here, 0 = off. */
  readonly studentShrink: number = 0;

  /** `head`: the head this method trains with cross-entropy. */
  constructor(readonly labelledLoss: LabelledLoss, head: HeadKind) {
    this.head = labelledLoss.kind === 'scn' ? 'scn' : head;
  }

  abstract step(batch: TrainBatch, ctx: StepContext): StepResult;

  modelOptions(): Pick<FerModelConfig, 'head' | 'dta'> {
    return { head: this.head, dta: this.dta ? {} : false };
  }

  afterOptimizerStep(student: FerModel, lr: number): void {
    if (this.studentShrink) shrinkWeights(student, 1 - this.studentShrink * lr);
  }

  relabelSummary(): RelabelSummary | undefined {
    return this.labelledLoss.summary?.();
  }

  /** The method's own state, saved before the supervised term's. */
  protected ownState(): Record<string, unknown> {
    return {};
  }
  protected loadOwnState(_s: Record<string, unknown>): void {}

  state(): Record<string, unknown> {
    return { ...this.ownState(), labelledLoss: this.labelledLoss.state() };
  }
  loadState(s: Record<string, unknown>): void {
    this.loadOwnState(s);
    this.labelledLoss.loadState((s.labelledLoss as Record<string, unknown>) ?? {});
  }
}

/** Per-sample cross-entropy of `logits` against pseudo-labels, zero where `mask` is false (reduce it as the method's paper does). */
export function maskedCrossEntropy(logits: Tensor, pseudo: Tensor, mask: Tensor): Tensor {
  return F.crossEntropy(logits, pseudo, { reduction: 'none' }).mul(mask.to(logits.dtype));
}
