/** t-SNE of test-set features, coloured by true class. */
import { scatterPlot } from '../svg/scatterPlot.js';
import type { TsneData } from '../types.js';
import { absent, figure, section } from './common.js';

export function renderTsne(t: TsneData | undefined, classNames: string[]): string {
  const n = t ? Math.min(Math.floor(t.points.length / 2), t.labels.length) : 0;
  if (!t || n === 0) return section('tsne', 't-SNE of features', [absent('tsne', 't-SNE of test features', { wide: true })]);
  const wrong = t.predicted ? Array.from({ length: n }, (_, i) => t.predicted![i] !== t.labels[i]) : undefined;
  const nWrong = wrong?.filter(Boolean).length ?? 0;
  const svg = scatterPlot({
    name: 'tsne',
    title: 't-SNE of test-set features coloured by true class',
    points: Array.from({ length: 2 * n }, (_, i) => t.points[i]!),
    groups: Array.from({ length: n }, (_, i) => t.labels[i]!),
    groupNames: classNames,
    highlight: wrong,
    highlightLabel: `misclassified (${nWrong})`,
    xLabel: 't-SNE 1',
    yLabel: 't-SNE 2',
    width: 760,
    height: 540,
  });
  const note = `${n.toLocaleString('en-US')} points${t.description ? ` · ${t.description}` : ''}${wrong ? ' · dark rings mark misclassified samples' : ''}.`;
  return section('tsne', 't-SNE of features', [figure('t-SNE of test features', svg, note, true)]);
}
