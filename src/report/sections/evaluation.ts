/** Test-split evaluation: confusion matrix, per-class precision/recall/F1, calibration. */
import type { EvalResult } from '../../eval/metrics.js';
import { esc } from '../escape.js';
import { categoricalColor } from '../palette.js';
import { barChart } from '../svg/barChart.js';
import { heatMap } from '../svg/heatMap.js';
import { lineChart } from '../svg/lineChart.js';
import { absent, figure, pct, section } from './common.js';

function perClassTable(e: EvalResult, names: string[]): string {
  const p = e.perClass;
  const rows = names
    .map((n, c) => `<tr><th scope="row">${esc(n)}</th><td>${pct(p.precision[c], 1)}</td><td>${pct(p.recall[c], 1)}</td><td>${pct(p.f1[c], 1)}</td><td>${p.support[c] ?? 0}</td><td>${p.predicted[c] ?? 0}</td></tr>`)
    .join('');
  const foot =
    `<tr class="total"><th scope="row">macro / total</th><td>${pct(p.precision.reduce((a, b) => a + b, 0) / Math.max(1, names.length), 1)}</td>` +
    `<td>${pct(e.meanClassAccuracy, 1)}</td><td>${pct(e.macroF1, 1)}</td><td>${e.numSamples}</td><td>${e.numSamples}</td></tr>`;
  return (
    '<table class="numbers" data-table="per-class"><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>predicted</th></tr></thead>' +
    `<tbody>${rows}</tbody><tfoot>${foot}</tfoot></table>`
  );
}

export function renderEvaluation(e: EvalResult | undefined, classNames: string[], model?: string): string {
  if (!e) {
    return section('evaluation', 'Test-set evaluation', [
      absent('confusion', 'Confusion matrix', { detail: 'No evaluation on a test split was saved.' }),
      absent('per-class', 'Per-class precision and recall'),
    ]);
  }
  const names = Array.from({ length: e.numClasses }, (_, c) => classNames[c] ?? `class ${c}`);
  const cards: string[] = [];

  cards.push(figure(`Confusion matrix${model ? ` · ${model}` : ''} · n = ${e.numSamples.toLocaleString('en-US')}`, heatMap({
    name: 'confusion',
    title: 'Confusion matrix: rows true class, columns predicted class',
    rowLabels: names,
    colLabels: names,
    values: e.confusionNormalized,
    text: e.confusion.map((row) => row.map(String)),
    subText: e.confusionNormalized.map((row) => row.map((v) => `${(v * 100).toFixed(1)}%`)),
    rowTitle: 'true',
    colTitle: 'predicted',
    scaleLabel: 'share of true class',
  }), 'Rows: true class; columns: predicted. Counts, with the share of the row below; colour follows the share.'));

  cards.push(figure('Per-class precision, recall and F1', barChart({
    name: 'per-class',
    title: 'Per-class precision, recall and F1 on the test split',
    categories: names,
    groups: [
      { name: 'precision', values: e.perClass.precision, color: categoricalColor(0) },
      { name: 'recall', values: e.perClass.recall, color: categoricalColor(1) },
      { name: 'F1', values: e.perClass.f1, color: categoricalColor(3) },
    ],
    yFormat: 'percent',
    yMin: 0,
    yMax: 1,
    height: 280,
  }) + perClassTable(e, names), `Accuracy ${pct(e.accuracy)} · mean class accuracy ${pct(e.meanClassAccuracy)} · macro-F1 ${pct(e.macroF1)}.`));

  const bins = (e.calibration ?? []).filter((b) => b.count > 0);
  if (bins.length && e.ece !== null) {
    cards.push(figure('Reliability diagram', lineChart({
      name: 'reliability',
      title: 'Accuracy against confidence (15 equal-width bins)',
      series: [
        { name: 'perfect calibration', x: [0, 1], y: [0, 1], color: '#9aa5b1', dash: '4 4' },
        { name: 'accuracy per bin', x: bins.map((b) => b.confidence), y: bins.map((b) => b.accuracy), color: categoricalColor(2), markers: true },
      ],
      xLabel: 'confidence (top-1 probability)',
      yLabel: 'accuracy',
      xFormat: 'percent',
      yFormat: 'percent',
      xMin: 0,
      xMax: 1,
      yMin: 0,
      yMax: 1,
      legend: 'top',
      height: 320,
    }), `ECE ${pct(e.ece)}${e.nll !== null ? ` · NLL ${e.nll.toFixed(3)} nats` : ''}. Points below the diagonal are over-confident.`));
  } else {
    cards.push(absent('reliability', 'Reliability diagram', { detail: 'Only hard predictions were saved.' }));
  }
  return section('evaluation', 'Test-set evaluation', cards);
}
