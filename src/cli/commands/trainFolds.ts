/**
 * `semifer train --folds K`: subject-independent K-fold cross-validation, one
 * ordinary run per fold in RUNDIR/fold-<k>/ with the usual progress bar, then
 * the per-fold table and `accuracy mean ± std` (RUNDIR/summary.json; --json
 * prints it). The orchestration itself is src/train/folds.ts.
 */
import { EXIT } from '../exitCodes.js';
import type { CommandContext } from '../command.js';
import type { TrainConfig } from '../../train/index.js';
import { cliTrainEvents, type RunNames } from './trainProgress.js';

/** The flags the fold runs read beyond the resolved config. */
export interface FoldFlags extends RunNames {
  folds: number;
  seed: number;
  resume?: boolean;
}

export async function runFoldTraining(ctx: CommandContext<unknown>, o: FoldFlags, cfg: TrainConfig, command: string): Promise<number> {
  const { trainFolds, formatFoldTable } = await import('../../train/index.js');
  const folds = o.folds;
  let ui: ReturnType<typeof cliTrainEvents> | undefined;
  const summary = await trainFolds(cfg, folds, {
    resume: o.resume,
    command,
    signal: ctx.signal,
    events: {
      onPlan(plan) {
        if (plan.ignoredSplits.length) {
          ctx.log(`note: folds are built over the train split; the dataset's ${plan.ignoredSplits.join(' and ')} split is not used`);
        }
        const sizes = plan.test.map((f) => `${f.subjects.length} subjects/${f.ids.length} images`).join(', ');
        ctx.log(`${folds} subject-independent folds of ${o.dataset} (seed ${o.seed}): ${sizes}`);
      },
      onFoldStart(f) {
        ctx.log(`fold ${f.k}/${f.folds}: testing on ${f.subjects} subjects (${f.testImages} images)${f.resumed ? ', resuming' : ''}`);
      },
      train(k) {
        ui = cliTrainEvents(ctx, o, `fold ${k}/${folds} train`);
        return ui.events;
      },
      onFoldEnd(r, skipped) {
        ui?.done();
        ui = undefined;
        ctx.log(`fold ${r.fold}/${folds}: accuracy ${(100 * r.accuracy).toFixed(2)}%${skipped ? ' (finished earlier)' : ''}`);
      },
    },
  });
  if (ctx.json) ctx.printJson(summary);
  else ctx.print(`${formatFoldTable(summary)}\nrun folder: ${o.out} (each fold: ${o.out}/fold-<k>; report: semifer report --run ${o.out}/fold-1)`);
  return EXIT.OK;
}
