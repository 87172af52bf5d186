/**
 * Data-parallel gradient averaging: after backward, each rank's gradients are
 * packed into buckets (flat tensors of at most `bucketBytes`, one dtype and
 * device each, in parameter order), every bucket's all-reduce is started at
 * once and awaited, and the sums, divided by the world size, are written back.
 *
 * Why not c10d's Reducer: it starts a bucket's all-reduce from autograd hooks
 * while backward still runs, which pays on GPUs with NCCL. It also refuses a
 * step where a parameter got no gradient unless it searches the graph for them
 * every step (find_unused_parameters). Here every bucket is in flight together
 * after backward; a parameter without a gradient on some rank counts as zero
 * there, and one without a gradient on every rank keeps none (so the optimiser
 * skips it exactly as a one-process run would).
 */
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { allReduce } from './processGroup.js';

/** PyTorch DistributedDataParallel's default bucket_cap_mb (25 MiB). */
export const DEFAULT_BUCKET_BYTES = 25 * 1024 * 1024;

const BYTES: Record<string, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2 };

/** Parameter positions grouped into buckets: same dtype and device, at most `bucketBytes` each (a larger parameter is a bucket of its own). */
export function planBuckets(params: Tensor[], bucketBytes: number): number[][] {
  const buckets: number[][] = [];
  const open = new Map<string, { at: number; bytes: number }>();
  params.forEach((p, i) => {
    const key = `${p.dtype}@${p.device}`;
    const bytes = p.numel * (BYTES[p.dtype] ?? 4);
    const cur = open.get(key);
    if (cur && cur.bytes + bytes <= bucketBytes) {
      buckets[cur.at]!.push(i);
      cur.bytes += bytes;
    } else {
      open.set(key, { at: buckets.length, bytes });
      buckets.push([i]);
    }
  });
  return buckets;
}

/** Averages the gradients of `params` over the group's `worldSize` ranks, in place. */
export function averageGradients(params: Tensor[], worldSize: number, bucketBytes = DEFAULT_BUCKET_BYTES): void {
  if (worldSize === 1 || params.length === 0) return;
  torch.tidy(() => {
    const grads = params.map((p) => p.grad);
    const present = torch.tensor(Float32Array.from(grads, (g) => (g ? 1 : 0)), { device: params[0]!.device });
    const buckets = planBuckets(params, bucketBytes);
    const flats = buckets.map((b) => torch.cat(b.map((i) => (grads[i] ?? torch.zeros(params[i]!.shape, { dtype: params[i]!.dtype, device: params[i]!.device })).flatten())));
    allReduce([present, ...flats]);
    const anyRank = present.toArray();
    buckets.forEach((b, k) => {
      const flat = flats[k]!.mul_(1 / worldSize);
      let offset = 0;
      for (const i of b) {
        const p = params[i]!;
        const n = p.numel;
        if (anyRank[i]! > 0) {
          const avg = flat.narrow(0, offset, n).view(p.shape);
          const g = grads[i];
          if (g) g.copy_(avg);
          else p.grad = avg.clone();
        }
        offset += n;
      }
    });
  });
}
