/**
 * The EMA teacher: after every optimiser step
 *   θ' ← d·θ' + (1 − d)·θ      (parameters)
 *   b' ← b                     (buffers: BatchNorm statistics are copied)
 * with Mean Teacher's warm-up d_t = min(d, 1 − 1/(t + 1)), so the teacher is
 * not stuck near the random initialisation in short runs.
 */
import { noGrad, native } from './emaNative.js';
import type { nn } from '../torch/index.js';

export function emaDecayAt(step: number, decay: number): number {
  return Math.min(decay, 1 - 1 / (step + 1));
}

export function emaUpdate(teacher: nn.Module, student: nn.Module, decay: number): void {
  const tp = teacher.parameters();
  const sp = student.parameters();
  if (tp.length !== sp.length) throw new Error(`emaUpdate: teacher has ${tp.length} parameters, student ${sp.length}`);
  noGrad(() => {
    const N = native();
    const th = tp.map((t) => t.handle);
    N.foreachMulScalar_(th, decay);
    N.foreachAddList_(th, sp.map((t) => t.handle), 1 - decay);
    const tb = teacher.buffers();
    const sb = student.buffers();
    tb.forEach((b, i) => b.copy_(sb[i]));
  });
}

/** Ada-CM's authors' extra: the student's weights shrink by (1 − k·lr) each step. */
export function shrinkWeights(model: nn.Module, factor: number): void {
  noGrad(() => native().foreachMulScalar_(model.parameters().map((p) => p.handle), factor));
}
