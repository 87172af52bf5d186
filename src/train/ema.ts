/**
 * The EMA teacher: after every optimiser step
 *   θ' ← d·θ' + (1 − d)·θ      (parameters)
 *   b' ← b                     (buffers: BatchNorm statistics are copied)
 * or, with `averageBuffers`, b' ← d·b' + (1 − d)·b for the floating-point
 * buffers too (the running mean and variance; counters are copied), as the
 * Ada-CM authors' EMA does, so the teacher's normalisation statistics belong
 * to its averaged weights rather than to the student's current ones (the
 * trainer's default, `--ema-buffers`; docs/defaults.md);
 * with Mean Teacher's warm-up d_t = min(d, 1 − 1/(t + 1)), so the teacher is
 * not stuck near the random initialisation in short runs.
 */
import { noGrad, native } from './emaNative.js';
import type { nn } from '../torch/index.js';

export function emaDecayAt(step: number, decay: number): number {
  return Math.min(decay, 1 - 1 / (step + 1));
}

export function emaUpdate(teacher: nn.Module, student: nn.Module, decay: number, averageBuffers = false): void {
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
    tb.forEach((b, i) => {
      if (averageBuffers && (b.dtype === 'float32' || b.dtype === 'float64')) b.mul_(decay).add_(sb[i], 1 - decay);
      else b.copy_(sb[i]);
    });
  });
}
