/**
 * The SupCon loss with no labels (= NT-Xent), as Ada-CM uses it on subset II
 * (docs/methods.md §1): 2N L2-normalised views; each view's positive is the other
 * view of the same image, every other view is a negative:
 *   L = −(τ/τ_base) · mean_i log( exp(z_i·z_p(i)/τ) / Σ_{j≠i} exp(z_i·z_j/τ) )
 */
import { cat, arange, type Tensor } from '../../torch/index.js';

export function unsupervisedSupCon(fa: Tensor, fb: Tensor, temperature = 0.07, baseTemperature = 0.07): Tensor {
  const n = fa.shape[0];
  if (n === 0) throw new Error('unsupervisedSupCon: needs at least one pair');
  const z = cat([fa, fb], 0); // 2N×D, rows i and i+N are the two views of sample i
  const logits = z.matmul(z.t()).div(temperature);
  // Subtract each row's max for stability (a constant per row: the loss is unchanged).
  const stable = logits.sub(logits.max(1, true).values.detach());
  const idx = arange(2 * n, undefined, 1, { device: z.device });
  const self = idx.unsqueeze(1).eq(idx.unsqueeze(0));
  const denom = stable.maskedFill(self, -Infinity).logsumexp(1);
  const positive = idx.add(n).remainder(2 * n); // i ↔ i+N
  const logProbPos = stable.gather(1, positive.unsqueeze(1)).squeeze(1).sub(denom);
  return logProbPos.mean().mul(-(temperature / baseTemperature));
}
