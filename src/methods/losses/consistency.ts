/**
 * Mean Teacher's consistency (Tarvainen & Valpola 2017): squared difference of
 * the student's and the teacher's softmax, averaged over classes and over the
 * batch (the authors' code divides the sum by the number of classes and by the
 * batch, so their weights — 100 on CIFAR-10 — mean the same here), weighted by
 * a sigmoid-shaped ramp-up
 *   w(t) = w_max · exp(−5 (1 − t/T)²) for t < T, then w_max.
 */
import type { Tensor } from '../../torch/index.js';

export function softmaxMse(studentLogits: Tensor, teacherLogits: Tensor): Tensor {
  return studentLogits.softmax(1).sub(teacherLogits.softmax(1).detach()).square().mean();
}

export function sigmoidRampup(t: number, length: number): number {
  if (length <= 0) return 1;
  const x = Math.min(Math.max(t / length, 0), 1);
  return Math.exp(-5 * (1 - x) * (1 - x));
}
