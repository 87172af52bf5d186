/**
 * One training run's progress on the terminal, shared by `semifer train`, its
 * --folds runs and `semifer demo`: decoding bars, the data line, then a step
 * bar with the loss terms, and a line per epoch.
 */
import { phaseProgress } from '../progress.js';
import type { CommandContext } from '../command.js';
import type { TrainEvents } from '../../train/index.js';

/** What the lines name: the run's method, dataset, folder and length. */
export interface RunNames {
  /** 'au' for an action-unit run (the rest: expressions). */
  task?: string;
  method: string;
  dataset: string;
  out: string;
  epochs: number;
}

/** One run's progress on the terminal: decoding bars, then a step bar labelled `label`; call done() after the run. */
export function cliTrainEvents(ctx: CommandContext<unknown>, o: RunNames, label = 'train'): { events: TrainEvents; done(): void } {
  let bar: ReturnType<typeof ctx.progress> | undefined;
  const decoding = phaseProgress((what, total) => ctx.progress({ total, label: what, unit: 'img' }));
  const events: TrainEvents = {
    onProgress: decoding.update,
    onData(d) {
      decoding.done();
      const what = o.task === 'au'
        ? `${d.labelled} FACS-coded training, ${d.validation} validation, ${d.test} test images, ${d.classes.length} action units (${d.classes.join(', ')})`
        : `${d.labelled} labelled, ${d.unlabelled} unlabelled, ${d.validation} validation, ${d.test} test images, ${d.classes.length} classes`;
      ctx.log(`${o.method} on ${o.dataset}: ${what}` +
        (d.skipped ? ` (${d.skipped} dataset entries skipped: missing, unreadable or malformed; listed in ${o.out}/skipped.jsonl)` : '') + (d.startStep ? `; resuming at step ${d.startStep}` : ''));
      bar = ctx.progress({ total: d.totalSteps, label, unit: 'step' });
      bar.update(d.startStep);
    },
    onStep(e) {
      const fields: Record<string, string | number> = { epoch: `${e.epoch}/${o.epochs}` };
      for (const [k, v] of Object.entries(e.terms)) if (k !== 'total') fields[k] = v;
      fields['img/s'] = Math.round(e.imgPerSec);
      bar?.update(e.step + 1, { fields });
    },
    // A notice is a warning: it prints under --quiet too (above the bar while there is one).
    onNotice: (text) => (bar && !ctx.quiet ? bar.log(ctx.errStyle.yellow(`warning: ${text}`)) : ctx.warn(text)),
    onEpoch(e) {
      const rate = e.health?.pseudoLabelRate !== undefined ? `pseudo-labels ${(100 * e.health.pseudoLabelRate).toFixed(0)}%` : '';
      if (e.student) {
        const t = e.teacher ? `, teacher ${(100 * e.teacher.accuracy).toFixed(1)}%` : '';
        bar?.log(`epoch ${e.epoch}: ${e.split} accuracy student ${(100 * e.student.accuracy).toFixed(1)}%${t}${rate ? `, ${rate}` : ''}`);
      } else if (e.meanAuF1 !== undefined) {
        bar?.log(`epoch ${e.epoch}: ${e.split} mean AU F1 ${(100 * e.meanAuF1).toFixed(1)}%`);
      } else if (rate) {
        bar?.log(`epoch ${e.epoch}: ${rate}`);
      }
      for (const w of e.health?.warnings ?? []) bar?.log(`warning: ${w}`);
    },
  };
  return { events, done: () => bar?.done() };
}
