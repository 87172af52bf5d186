/**
 * `semifer eval` of an action-unit model: per-AU precision, recall and F1 at
 * threshold 0.5 and their mean, on the run's own test subjects or on a named
 * split of any dataset with AU labels (src/eval/scoreActionUnits.ts).
 */
import { EXIT } from '../exitCodes.js';
import type { CommandContext } from '../command.js';

export interface AuEvalRequest {
  weights: string;
  dataset: string;
  root: string;
  split: string;
  readerOptions: Record<string, unknown>;
  cacheDir: string;
  /** The run's own test images, when eval --run scores the run's dataset. */
  runTest?: { seed: number; cacheDir: string; readerOptions?: Record<string, unknown> };
}

export async function evalActionUnitModel(ctx: CommandContext<unknown>, r: AuEvalRequest): Promise<number> {
  const { readDataset } = await import('../../data/index.js');
  const { scoreActionUnitModel } = await import('../../eval/scoreActionUnits.js');
  const { formatActionUnitTable } = await import('../../eval/actionUnits.js');
  const { auReaderOptions } = await import('../../train/actionUnits/auData.js');
  // A run's own options already hold the AU run's; a named dataset gets them here.
  const readerOptions = auReaderOptions(r.dataset, r.readerOptions) ?? {};
  const ds = await readDataset(r.dataset, r.root, readerOptions);
  const bar = ctx.progress({ label: `decode ${r.dataset}/${r.split}`, unit: 'img' });
  const score = await scoreActionUnitModel(r.weights, ds, r.runTest ? { runTest: r.runTest } : { split: r.split, cacheDir: r.cacheDir, readerOptions }, {
    onDecodeProgress: (d, t) => bar.update(d, { total: t }),
    onPredict: () => bar.done(),
  }).finally(() => bar.done());
  const { result, skippedUnreadable } = score;
  if (ctx.json) {
    ctx.printJson({ ok: true, task: 'au', weights: r.weights, dataset: r.dataset, root: r.root, split: score.split, actionUnits: score.aus, images: result.numSamples, skippedUnreadable, ...result });
  } else {
    ctx.print(`${r.weights} on ${r.dataset} ${score.split} (${result.numSamples} FACS-coded images${skippedUnreadable ? `; ${skippedUnreadable} unreadable skipped` : ''})`);
    ctx.print(formatActionUnitTable(result));
  }
  return EXIT.OK;
}
