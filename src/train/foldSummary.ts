/** What a k-fold run reports (RUNDIR/summary.json) and its terminal table. */

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n − 1), as cross-validation results are reported. */
  std: number;
}

export interface FoldResult {
  /** 1-based. */
  fold: number;
  /** The fold's run folder, relative to RUNDIR. */
  run: string;
  /** The subjects this fold tests on. */
  subjects: string[];
  numTest: number;
  numLabelled: number;
  numUnlabelled: number;
  accuracy: number;
  meanClassAccuracy: number;
  macroF1: number;
}

export interface FoldsSummary {
  kind: 'subject-k-fold';
  folds: number;
  dataset: string;
  root: string;
  method: string;
  model: string;
  labels: string;
  seed: number;
  /** Official splits of the dataset (test, val) that the folds leave out. */
  ignoredSplits: string[];
  perFold: FoldResult[];
  accuracy: MeanStd;
  meanClassAccuracy: MeanStd;
  macroF1: MeanStd;
  /** Wall time of this command (a resumed run counts only what it trained now). */
  seconds: number;
  endTime: string;
}

export function meanStd(xs: readonly number[]): MeanStd {
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}

const pct = (v: number) => (100 * v).toFixed(2);
const pm = (s: MeanStd) => `${pct(s.mean)} ± ${pct(s.std)}`;

/** Per-fold table with a mean ± std row, then the headline line `accuracy mean ± std`. */
export function formatFoldTable(s: FoldsSummary): string {
  const head = ['fold', 'subjects', 'test', 'labelled', 'unlabelled', 'accuracy %', 'mean class acc %', 'macro-F1 %'];
  const body = s.perFold.map((r) => [String(r.fold), String(r.subjects.length), String(r.numTest), String(r.numLabelled), String(r.numUnlabelled), pct(r.accuracy), pct(r.meanClassAccuracy), pct(r.macroF1)]);
  const foot = ['mean ± std', '', '', '', '', pm(s.accuracy), pm(s.meanClassAccuracy), pm(s.macroF1)];
  const rows = [head, ...body, foot];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [
    line(head), rule, ...body.map(line), rule, line(foot), '',
    `${s.method} (${s.model}) on ${s.dataset}, ${s.folds} subject-independent folds: accuracy ${pct(s.accuracy.mean)}% ± ${pct(s.accuracy.std)}%, ` +
      `mean class accuracy ${pct(s.meanClassAccuracy.mean)}% ± ${pct(s.meanClassAccuracy.std)}% (mean ± sample std)`,
  ].join('\n');
}
