/** `semifer label status`: labels per class, and with --run a cross-validated accuracy (src/label/status.ts). */
import { defineCommand } from '../../command.js';
import { CliError } from '../../errors.js';
import { EXIT } from '../../exitCodes.js';
import { LABELS_FILE_OPTION, UNLABELLED_OPTION } from './options.js';

export const labelStatusCommand = defineCommand({
  name: 'status',
  summary: 'Labels per class, and how well a run separates them (k-fold cross-validation)',
  usage: 'semifer label status --unlabelled DIR [--run RUNDIR] [--folds K] [--labels-file FILE]',
  description:
    'Counts the answers of the labels file per class and per non-class answer. With --run: the run\'s accuracy on the labelled faces ' +
    '(optimistic if it trained on them), and a K-fold stratified cross-validation of a nearest-class-mean classifier on the run\'s ' +
    'backbone features — milliseconds, no retraining.',
  examples: [
    'semifer label status --unlabelled faces',
    'semifer label status --unlabelled faces --run runs/round2 --json',
  ],
  options: [
    UNLABELLED_OPTION,
    { name: 'run', type: 'path', placeholder: 'RUNDIR', description: 'A trained run with the same classes' },
    { name: 'folds', type: 'int', min: 2, default: 5, placeholder: 'K', description: 'Cross-validation folds' },
    LABELS_FILE_OPTION,
  ],
  async run(ctx) {
    const o = ctx.options;
    const { openFaceFolder } = await import('../../../label/faceFolder.js');
    const { labelStatus } = await import('../../../label/status.js');
    let s;
    try {
      s = await labelStatus(openFaceFolder(o.unlabelled, o.labelsFile), { run: o.run, folds: o.folds });
    } catch (err) {
      throw new CliError((err as Error).message, EXIT.USAGE);
    }
    if (ctx.json) {
      ctx.printJson(s);
      return EXIT.OK;
    }
    const total = Object.values(s.perClass).reduce((a, b) => a + b, 0);
    const w = Math.max(...[...s.classes, 'not-a-face'].map((c) => c.length));
    const lines = [`${s.labelsFile}: ${total} labels, ${s.unanswered} of ${s.faces} faces unanswered`];
    for (const c of s.classes) lines.push(`  ${c.padEnd(w)}  ${String(s.perClass[c]).padStart(5)}`);
    for (const [c, n] of Object.entries(s.other)) if (n) lines.push(`  ${c.padEnd(w)}  ${String(n).padStart(5)}  (not used for training)`);
    if (s.run) {
      const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
      lines.push(`${s.run.run}: accuracy on the labelled faces ${pct(s.run.modelAccuracy)} (optimistic if it trained on them)`);
      if (s.run.crossValidation) {
        const cv = s.run.crossValidation;
        lines.push(`${cv.folds}-fold cross-validation, nearest class mean on its features: ${pct(cv.accuracy)}`);
        lines.push(`  per class: ${s.classes.map((c, i) => `${c} ${cv.perClass[i]!.total ? pct(cv.perClass[i]!.correct / cv.perClass[i]!.total) : '–'}`).join(', ')}`);
      }
      if (s.run.note) lines.push(`  note: ${s.run.note}`);
    }
    ctx.print(lines.join('\n'));
    return EXIT.OK;
  },
});
