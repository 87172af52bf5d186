/**
 * Dropout as one process would draw it for the global batch: every rank draws
 * the mask of all W·N rows from the default generator (seeded alike on every
 * rank, so the streams stay in step) and keeps its own N rows. Rank r's images
 * then lose exactly the units they lose in a one-process run over the global
 * batch, no two ranks share a mask, and every rank's generator state is the
 * same (the checkpoint's, rank 0's, resumes them all).
 *
 * It holds for a forward pass over one view batch (rank slices of the loader's
 * global batch, as Ada-CM's default forwardPerView=1 does); a pass over views
 * concatenated per rank is still a correct dropout, but not row for row the
 * one-process mask.
 */
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { dropoutOverride } from '../torch/nn/layers.js';

export function globalBatchDropout(rank: number, worldSize: number): (x: Tensor, p: number) => Tensor {
  return (x, p) => {
    const [n, ...rest] = x.shape as [number, ...number[]];
    if (p >= 1) return x.mul(0);
    const keep = torch.rand([n * worldSize, ...rest], { device: x.device }).narrow(0, rank * n, n).ge(p);
    return x.mul(keep.to(x.dtype)).div(1 - p);
  };
}

/** Dropout layers draw the global batch's mask (on) or their own (off). */
export function useGlobalBatchDropout(on: { rank: number; worldSize: number } | null): void {
  dropoutOverride.training = on ? globalBatchDropout(on.rank, on.worldSize) : null;
}
