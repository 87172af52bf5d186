/**
 * Per-group evaluation: for each attribute the faces carry (gender, age, race,
 * skin tone, glasses, …), a table of n, accuracy and mean class accuracy per
 * group with the best–worst gap, and each group's confusion matrix. Left out
 * of the page entirely when the dataset has no attributes.
 */
import type { AttributeBreakdown } from '../../eval/groups.js';
import { esc } from '../escape.js';
import { heatMap } from '../svg/heatMap.js';
import { normalizeRows } from '../../eval/metrics.js';
import { figure, pct, section } from './common.js';

/** A gap between two accuracies, in percentage points. */
const points = (v: number): string => `${(v * 100).toFixed(1)} points`;

/** Confusion matrices drawn per attribute at most; more groups get the table only. */
const MAX_GROUP_MATRICES = 8;

function groupTable(b: AttributeBreakdown): string {
  const bestAcc = b.accuracyGap?.best;
  const worstAcc = b.accuracyGap?.worst;
  const rows = b.groups
    .map((g) => {
      const mark = g.group === bestAcc ? ' class="best"' : g.group === worstAcc ? ' class="worst"' : '';
      return `<tr><th scope="row">${esc(g.group)}</th><td>${g.numSamples}</td><td${mark}>${pct(g.accuracy, 1)}</td><td>${pct(g.meanClassAccuracy, 1)}</td></tr>`;
    })
    .join('');
  const foot = b.accuracyGap && b.meanClassAccuracyGap
    ? `<tfoot><tr><th scope="row">gap (best − worst)</th><td></td><td>${points(b.accuracyGap.value)}</td><td>${points(b.meanClassAccuracyGap.value)}</td></tr></tfoot>`
    : '';
  return (
    `<table class="numbers" data-table="group-${esc(b.attribute)}"><thead><tr><th>${esc(b.attribute)}</th><th>n</th><th>accuracy</th><th>mean class accuracy</th></tr></thead>` +
    `<tbody>${rows}</tbody>${foot}</table>`
  );
}

function gapNote(b: AttributeBreakdown): string {
  const unknown = b.unknown ? ` ${b.unknown} faces with no ${b.attribute} are left out.` : '';
  if (!b.accuracyGap || !b.meanClassAccuracyGap) return `Only one group.${unknown}`;
  return (
    `Accuracy gap ${points(b.accuracyGap.value)} (${b.accuracyGap.best} best, ${b.accuracyGap.worst} worst); ` +
    `mean class accuracy gap ${points(b.meanClassAccuracyGap.value)} (${b.meanClassAccuracyGap.best} − ${b.meanClassAccuracyGap.worst}).${unknown}`
  );
}

export function renderGroups(breakdowns: AttributeBreakdown[] | undefined, classNames: string[]): string {
  if (!breakdowns || breakdowns.length === 0) return '';
  const cards: string[] = [];
  for (const b of breakdowns) {
    cards.push(figure(`By ${b.attribute}`, groupTable(b), gapNote(b)));
    for (const g of b.groups.slice(0, MAX_GROUP_MATRICES)) {
      const names = g.confusion.map((_, c) => classNames[c] ?? `class ${c}`);
      const share = normalizeRows(g.confusion);
      cards.push(figure(`Confusion · ${b.attribute} = ${g.group} · n = ${g.numSamples}`, heatMap({
        name: `group-confusion-${b.attribute}-${g.group}`,
        title: `Confusion matrix of the faces with ${b.attribute} ${g.group}: rows true class, columns predicted class`,
        rowLabels: names,
        colLabels: names,
        values: share,
        text: g.confusion.map((row) => row.map(String)),
        rowTitle: 'true',
        colTitle: 'predicted',
        scaleLabel: 'share of true class',
        cell: 30,
      })));
    }
  }
  return section('groups', 'Per-group evaluation', cards, 'The test-set numbers for each group of faces the dataset describes; a large gap means the model serves some faces worse than others.');
}
