/** Runs several batches of views through a model in one forward pass and splits the outputs. */
import { cat, nn, noGrad, type Tensor } from '../torch/index.js';
import type { FerModel, HeadOutput } from '../models/index.js';
import type { HyperTable } from './declaration.js';

/**
 * The switch every EMA-teacher method declares (Ada-CM reads it only with its
 * teacher pseudo-labels). 1 (the default) since it measured better for DTA+SNL
 * and Mean Teacher (docs/methods.md): running statistics lag
 * behind weights that move fast, so a teacher in plain evaluation mode can put
 * every face in one class for epochs.
 */
export const TEACHER_BATCH_STATS_HYPER = {
  teacherBatchStats: { type: 'switch', default: 1, doc: "1: the teacher's batch norms normalise each unlabelled batch by its own statistics (the original Mean Teacher's EMA model in training mode); 0: by their running statistics" },
} as const satisfies HyperTable;

/** One view's rows of every output the head gave (a field left out here is lost to the loss that needs it). */
function slice(out: HeadOutput, start: number, length: number): HeadOutput {
  return {
    logits: out.logits.narrow(0, start, length),
    features: out.features.narrow(0, start, length),
    alpha: out.alpha?.narrow(0, start, length),
    rawLogits: out.rawLogits?.narrow(0, start, length),
  };
}

/**
 * One forward over the concatenation (as FixMatch's reference does: BatchNorm
 * sees labelled and unlabelled images together), split back per view.
 */
export function forwardViews(model: FerModel, views: Tensor[]): HeadOutput[] {
  const sizes = views.map((v) => v.shape[0]);
  const out = model.forward(views.length === 1 ? views[0] : cat(views, 0));
  const parts: HeadOutput[] = [];
  let start = 0;
  for (const n of sizes) {
    parts.push(slice(out, start, n));
    start += n;
  }
  return parts;
}

/**
 * One forward pass per view batch, in the order given, so BatchNorm normalises
 * each batch with its own statistics (and updates its running statistics once
 * per batch), as Ada-CM's authors' code does.
 */
export function forwardEachView(model: FerModel, views: Tensor[]): HeadOutput[] {
  return views.map((v) => model.forward(v));
}

/**
 * The EMA teacher's prediction, without gradients, in evaluation mode; with
 * `batchStats` its batch norms use this batch's statistics instead of their
 * running ones (as the original Mean Teacher runs its EMA model in training mode).
 */
export function teacherLogits(teacher: FerModel, x: Tensor, o: { batchStats?: boolean } = {}): Tensor {
  if (!o.batchStats) return noGrad(() => teacher.forward(x).logits);
  // The teacher stays in evaluation mode (no dropout), but its batch norms normalise by this batch.
  const bns = teacher.modules().filter((m): m is nn.BatchNorm2d => m instanceof nn.BatchNorm2d);
  for (const bn of bns) bn.evalBatchStats = true;
  try {
    return noGrad(() => teacher.forward(x).logits);
  } finally {
    for (const bn of bns) bn.evalBatchStats = false;
  }
}

/** Accuracy of pseudo-labels among selected samples, when the true labels are known; NaN-free (undefined when none). */
export function pseudoLabelAccuracy(pseudo: Tensor, mask: Tensor, trueLabels: Tensor | undefined): number | undefined {
  if (!trueLabels) return undefined;
  const n = mask.to('float32').sum().item();
  if (n === 0) return undefined;
  return pseudo.eq(trueLabels).logicalAnd(mask).to('float32').sum().item() / n;
}
