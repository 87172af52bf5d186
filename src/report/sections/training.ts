/** Training curves: every loss term against step, accuracy per epoch, learning rate and speed. */
import { slug } from '../escape.js';
import type { TrainingSeries } from '../metricsSeries.js';
import { categoricalColor } from '../palette.js';
import { lineChart } from '../svg/lineChart.js';
import { absent, figure, section } from './common.js';

const SMOOTH_NOTE = 'Faint: logged values (bucket-averaged); bold: moving average.';

export function renderTraining(t: TrainingSeries): string {
  const cards: string[] = [];

  if (t.loss.length) {
    cards.push(figure('Loss terms', lineChart({
      name: 'loss',
      title: 'Loss terms against training step',
      series: t.loss.map((l) => ({ name: l.name, x: l.xy.x, y: l.xy.y, smooth: true })),
      xLabel: 'step',
      yLabel: 'loss',
      includeZero: true,
    }), `${t.loss.map((l) => l.name).join(', ')}. ${SMOOTH_NOTE}`));
  } else {
    cards.push(absent('loss', 'Loss terms'));
  }

  const acc = [
    { name: 'student accuracy', y: t.student.accuracy, color: categoricalColor(0) },
    { name: 'student mean class acc.', y: t.student.meanClassAccuracy, color: categoricalColor(0), dash: '6 4' },
    ...(t.teacher
      ? [
          { name: 'teacher accuracy', y: t.teacher.accuracy, color: categoricalColor(1) },
          { name: 'teacher mean class acc.', y: t.teacher.meanClassAccuracy, color: categoricalColor(1), dash: '6 4' },
        ]
      : []),
  ].filter((s) => s.y.some((v) => v !== null));
  if (t.epochs.length && acc.length) {
    cards.push(figure('Accuracy per epoch', lineChart({
      name: 'accuracy',
      title: `Accuracy of student and teacher per epoch on the ${t.evalSplit} split`,
      series: acc.map((s) => ({ ...s, x: t.epochs, markers: true })),
      xLabel: 'epoch',
      yLabel: 'accuracy',
      yFormat: 'percent',
      integerX: true,
      legend: 'top',
    }), 'Solid: accuracy; dashed: mean class accuracy (mean per-class recall).'));
  } else {
    cards.push(absent('accuracy', 'Accuracy per epoch', { detail: 'No epoch rows in metrics.jsonl.' }));
  }

  // One small chart per term when there are several: terms of very different
  // size (a contrastive loss next to a cross-entropy) each get their own y-scale.
  if (t.loss.length > 1) {
    for (const [i, l] of t.loss.entries()) {
      cards.push(figure(`Loss: ${l.name}`, lineChart({
        name: `loss-${slug(l.name)}`,
        title: `Loss term ${l.name} against training step`,
        series: [{ name: l.name, x: l.xy.x, y: l.xy.y, smooth: true, color: categoricalColor(i) }],
        xLabel: 'step',
        includeZero: true,
        height: 220,
      })));
    }
  }

  cards.push(t.lr
    ? figure('Learning rate', lineChart({ name: 'learning-rate', title: 'Learning rate against step', series: [{ name: 'lr', x: t.lr.x, y: t.lr.y }], xLabel: 'step', yLabel: 'learning rate', includeZero: true, height: 220 }))
    : absent('learning-rate', 'Learning rate'));
  cards.push(t.imgPerSec
    ? figure('Throughput', lineChart({ name: 'throughput', title: 'Training throughput (images per second)', series: [{ name: 'img/s', x: t.imgPerSec.x, y: t.imgPerSec.y, smooth: true }], xLabel: 'step', yLabel: 'images / s', includeZero: true, height: 220 }))
    : absent('throughput', 'Throughput'));

  return section('training', 'Training curves', cards);
}
