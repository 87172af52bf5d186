/**
 * Synchronised batch norm: in training, every BatchNorm2d normalises with the
 * mean and variance of the whole global batch (all ranks' images), so a run on
 * W ranks with B/W images each computes what one process computes on B.
 *
 * Two differentiable all-reduces per layer (sum and count, then the sum of
 * squared deviations from the global mean) keep the two-pass variance of
 * LibTorch's own batch_norm (no E[x²]−E[x]² cancellation). Their backward is an
 * all-reduce too, which gives each rank the other ranks' dL/d(statistics).
 * Running statistics follow PyTorch: momentum, unbiased global variance.
 */
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { batchNormOverride, type BatchNorm2d } from '../torch/nn/layers.js';
import { allReduceSumDifferentiable } from './processGroup.js';

// Counts this process's synchronised all-reduces: the tag of each (processGroup.ts), so
// ranks whose passes diverge fail at once. Below 2^16, so tag × world size stays exact in float32.
let calls = 0;
const nextTag = (): number => (calls = (calls + 1) % 65_536);

/** BatchNorm2d's training forward over every rank's batch. */
export function syncBatchNorm(bn: BatchNorm2d, input: Tensor): Tensor {
  const x = input.dtype === 'float32' ? input : input.to('float32');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const ones = torch.full([1], n * h * w, { device: x.device });
  const sums = allReduceSumDifferentiable(torch.cat([x.sum([0, 2, 3]), ones]), nextTag());
  const count = sums.narrow(0, c, 1);
  const mean = sums.narrow(0, 0, c).div(count).view(1, c, 1, 1);
  const centred = x.sub(mean);
  const variance = allReduceSumDifferentiable(centred.mul(centred).sum([0, 2, 3]), nextTag()).div(count);
  let y = centred.mul(variance.add(bn.eps).rsqrt().view(1, c, 1, 1));
  if (bn.weight) y = y.mul(bn.weight.view(1, c, 1, 1));
  if (bn.bias) y = y.add(bn.bias.view(1, c, 1, 1));
  if (bn.runningMean && bn.runningVar) {
    torch.noGrad(() => {
      const total = count.item() as number;
      const m = bn.momentum;
      bn.runningMean!.mul_(1 - m).add_(mean.view(c).detach().mul(m));
      bn.runningVar!.mul_(1 - m).add_(variance.detach().mul(m * total / Math.max(total - 1, 1)));
    });
  }
  return input.dtype === 'float32' ? y : y.to(input.dtype);
}

/** Turns synchronised batch norm on (every BatchNorm2d in training mode) or off. */
export function useSyncBatchNorm(on: boolean): void {
  batchNormOverride.training = on ? syncBatchNorm : null;
}
