/** SCN relabelling: how many stored labels changed per epoch, and in which classes. */
import type { TrainingSeries } from '../metricsSeries.js';
import { categoricalColor } from '../palette.js';
import { barChart } from '../svg/barChart.js';
import { absent, figure, section } from './common.js';

export function renderRelabel(t: TrainingSeries, classNames: string[]): string {
  const r = t.relabel;
  if (!r) return section('relabel', 'Relabelling', [absent('relabel', 'Relabelled samples')]);
  const cards: string[] = [];
  if (r.counts.some((v) => v !== null)) {
    const total = r.counts.reduce<number>((s, v) => s + (v ?? 0), 0);
    cards.push(figure('Relabelled per epoch', barChart({
      name: 'relabel-epochs',
      title: 'Number of training labels changed in each epoch',
      categories: r.epochs.map(String),
      groups: [{ name: 'relabelled', values: r.counts, color: categoricalColor(2) }],
      xLabel: 'epoch',
      yLabel: 'samples',
      valueLabels: true,
    }), `${total.toLocaleString('en-US')} label changes in total.`));
  }
  if (r.byClassTotal) {
    cards.push(figure('Relabelled by class', barChart({
      name: 'relabel-classes',
      title: 'Label changes summed over epochs, by class',
      categories: r.byClassTotal.map((_, c) => classNames[c] ?? `class ${c}`),
      groups: [{ name: 'relabelled', values: r.byClassTotal, color: categoricalColor(4) }],
      yLabel: 'samples',
      valueLabels: true,
    }), 'Counts as logged in relabelledByClass, summed over all epochs.'));
  }
  return section('relabel', 'Relabelling', cards);
}
