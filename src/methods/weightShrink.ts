/** Ada-CM's authors' extra, which the fair baselines share: the student's weights shrink by a factor after each optimiser step. */
import { native } from '../torch/native.js';
import { noGrad } from '../torch/autograd.js';
import type { nn } from '../torch/index.js';

export function shrinkWeights(model: nn.Module, factor: number): void {
  noGrad(() => native().foreachMulScalar_(model.parameters().map((p) => p.handle), factor));
}
