/**
 * Supervised action-unit learning as a Method, so the AU run goes through the
 * same step loop as an expression run (trainStep.ts: stop with a checkpoint,
 * warm-up, loss terms kept on the device, NaN/Inf check, resume). The loader
 * serves each training image's row number as its "label"; the step looks the
 * image's AU targets up by it: L = BCE(σ(f(x)), y) (losses/actionUnitBce.ts).
 */
import * as torch from '../../torch/index.js';
import type { FerModelConfig } from '../../models/index.js';
import type { Method, StepContext, StepResult, TrainBatch, ViewKind } from '../../methods/method.js';
import { actionUnitBce } from '../../methods/losses/actionUnitBce.js';

export class ActionUnitSupervised implements Method {
  readonly name = 'supervised';
  readonly labelledViews: ViewKind[] = ['weak'];
  readonly unlabelledViews: ViewKind[] = [];
  readonly usesTeacher = false;
  readonly head = 'linear' as const;
  readonly dta = false;
  readonly classBalanced = false;
  readonly studentShrink = 0;
  readonly #targets: torch.Tensor;
  readonly #posWeight: torch.Tensor | null;

  /** `targets`: N × K 0/1 of the training images; `posWeight`: K weights of each AU's positives, or null for plain BCE. */
  constructor(targets: Float32Array, numAus: number, posWeight: Float32Array | null, device: string) {
    const n = targets.length / numAus;
    this.#targets = torch.keep(torch.tensor(targets, { shape: [n, numAus] }).to(device));
    this.#posWeight = posWeight ? torch.keep(torch.tensor(posWeight).to(device)) : null;
  }

  step(batch: TrainBatch, ctx: StepContext): StepResult {
    const logits = ctx.student.forward(batch.labelled.views[0]!).logits;
    const bce = actionUnitBce(logits, this.#targets.indexSelect(0, batch.labelled.labels), this.#posWeight);
    return { loss: bce, terms: { bce }, stats: {} };
  }

  modelOptions(): Pick<FerModelConfig, 'head' | 'dta'> {
    return { head: this.head };
  }

  state(): Record<string, unknown> {
    return {};
  }

  loadState(): void {}

  dispose(): void {
    this.#targets.dispose();
    this.#posWeight?.dispose();
  }
}
