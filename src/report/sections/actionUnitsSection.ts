/**
 * The test-set evaluation of an action-unit model (train --task au): per-AU
 * precision, recall and F1 at threshold 0.5, with how many test images code
 * each AU and how many the model marked, the mean F1, and a bar chart of the three.
 */
import { AU_THRESHOLD, type ActionUnitResult } from '../../eval/actionUnits.js';
import { actionUnitName } from '../../models/task.js';
import { esc } from '../escape.js';
import { barChart } from '../svg/barChart.js';
import { figure, pct, section } from './common.js';

function auTable(r: ActionUnitResult): string {
  const rows = r.perAu
    .map((a) => `<tr><th scope="row">${esc(actionUnitName(a.au))}</th><td>${pct(a.precision, 1)}</td><td>${pct(a.recall, 1)}</td><td>${pct(a.f1, 1)}</td><td>${a.support}</td><td>${a.predicted}</td></tr>`)
    .join('');
  return (
    '<table class="numbers" data-table="action-units"><thead><tr><th>AU</th><th>precision</th><th>recall</th><th>F1</th><th>coded</th><th>predicted</th></tr></thead>' +
    `<tbody>${rows}</tbody><tfoot><tr><th scope="row">mean F1</th><td></td><td></td><td data-mean-f1>${pct(r.meanF1, 2)}</td><td></td><td></td></tr></tfoot></table>`
  );
}

export function renderActionUnits(r: ActionUnitResult | undefined, model: string | undefined): string {
  if (!r) return '';
  const names = r.perAu.map((a) => actionUnitName(a.au));
  const chart = barChart({
    name: 'action-units',
    title: 'Precision, recall and F1 of each action unit on the test images',
    categories: names,
    groups: [
      { name: 'precision', values: r.perAu.map((a) => a.precision) },
      { name: 'recall', values: r.perAu.map((a) => a.recall) },
      { name: 'F1', values: r.perAu.map((a) => a.f1) },
    ],
    yFormat: 'percent', yMin: 0, yMax: 1, xLabel: 'action unit',
  });
  const scored = r.perAu.filter((a) => a.support > 0 || a.predicted > 0).length;
  return section('action-units', 'Action units (test images)', [
    figure('Per action unit', auTable(r), `${r.numSamples} FACS-coded test images; an AU counts as present where its sigmoid is ≥ ${AU_THRESHOLD}. The mean F1 is over the ${scored} AUs coded or predicted in them.`),
    figure('Precision, recall and F1', chart, undefined, true),
  ], model ? esc(model) : undefined);
}
