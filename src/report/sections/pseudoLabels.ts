/** What the semi-supervised machinery did: thresholds per class, subset sizes, pseudo-label quality. */
import type { TrainingSeries } from '../metricsSeries.js';
import { categoricalColor } from '../palette.js';
import { lineChart } from '../svg/lineChart.js';
import { absent, figure, section } from './common.js';

export function renderPseudoLabels(t: TrainingSeries, classNames: string[]): string {
  const cards: string[] = [];
  const th = t.thresholds;
  if (th) {
    const max = Math.max(...th.perClass.flat().filter((v): v is number => v !== null));
    cards.push(figure('Per-class thresholds', lineChart({
      name: 'thresholds',
      title: 'Per-class confidence thresholds over training',
      series: th.perClass.map((y, c) => ({ name: classNames[c] ?? `class ${c}`, x: th.x, y, color: categoricalColor(c), dash: undefined, markers: th.axis === 'epoch' })),
      xLabel: th.axis,
      yLabel: 'threshold',
      yMax: max <= 1 ? 1 : undefined,
      integerX: th.axis === 'epoch',
      legend: 'right',
      width: 1180,
      height: 320,
    }), th.axis === 'epoch' ? 'Thresholds in force during each epoch.' : 'Thresholds as logged per step.', true));
  } else {
    cards.push(absent('thresholds', 'Per-class thresholds', { wide: true }));
  }

  const subsets = [
    t.subsetI && { name: 'subset I (above margin)', x: t.subsetI.x, y: t.subsetI.y, smooth: true, color: categoricalColor(3) },
    t.subsetII && { name: 'subset II (below margin)', x: t.subsetII.x, y: t.subsetII.y, smooth: true, color: categoricalColor(4) },
  ].filter((s) => !!s);
  cards.push(subsets.length
    ? figure('Subset I / II sizes', lineChart({
        name: 'subsets',
        title: 'Unlabelled samples per batch above (I) and below (II) their class threshold',
        series: subsets,
        xLabel: 'step',
        yLabel: 'samples per batch',
        includeZero: true,
        legend: 'top',
      }), 'Subset I gets pseudo-label cross-entropy, subset II the contrastive loss.')
    : absent('subsets', 'Subset I / II sizes'));

  const quality = [
    t.pseudoLabelAccuracy && { name: 'pseudo-label accuracy', x: t.pseudoLabelAccuracy.x, y: t.pseudoLabelAccuracy.y, smooth: true, color: categoricalColor(3) },
    t.maskRate && { name: 'mask rate (accepted)', x: t.maskRate.x, y: t.maskRate.y, smooth: true, color: categoricalColor(0) },
  ].filter((s) => !!s);
  cards.push(quality.length
    ? figure('Pseudo-label quality', lineChart({
        name: 'pseudo-label-quality',
        title: 'Pseudo-label accuracy and fraction of unlabelled samples accepted',
        series: quality,
        xLabel: 'step',
        yLabel: 'fraction',
        yFormat: 'percent',
        yMin: 0,
        yMax: 1,
        legend: 'top',
      }), 'Accuracy of accepted pseudo-labels against the hidden true labels, and the share of samples above threshold.')
    : absent('pseudo-label-quality', 'Pseudo-label quality'));

  return section('pseudo-labels', 'Thresholds and pseudo-labels', cards);
}
