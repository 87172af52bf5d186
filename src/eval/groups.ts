/**
 * Per-group evaluation: accuracy, mean class accuracy and the confusion matrix
 * of each group of each attribute (gender, age group, race, skin tone, …), and
 * the gap between the best and the worst group, so a model that serves one
 * group worse than another shows it. Faces whose value of an attribute is
 * unknown are left out of that attribute's groups and counted.
 */
import { compareGroupNames } from '../data/attributes.js';
import { evaluatePredictions } from './metrics.js';

export interface GroupScores {
  /** The attribute's value that names the group. */
  group: string;
  numSamples: number;
  accuracy: number;
  /** Mean recall over the classes present in this group. */
  meanClassAccuracy: number;
  /** Counts, rows = true class, columns = predicted class. */
  confusion: number[][];
}

export interface GroupGap {
  /** Highest minus lowest group score. */
  value: number;
  best: string;
  worst: string;
}

export interface AttributeBreakdown {
  attribute: string;
  /** Groups in order of their value (numbers numerically, then text). */
  groups: GroupScores[];
  /** Faces with no value for this attribute. */
  unknown: number;
  /** Best minus worst group; null with fewer than two groups. */
  accuracyGap: GroupGap | null;
  meanClassAccuracyGap: GroupGap | null;
}

/**
 * Breaks hard predictions down by every attribute in `attributeNames`.
 * `attributes[i]` holds sample i's values (undefined: none known).
 */
export function evaluateByGroup(
  preds: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  attributes: ReadonlyArray<Readonly<Record<string, string>> | undefined>,
  attributeNames: readonly string[],
): AttributeBreakdown[] {
  if (attributes.length !== labels.length) throw new RangeError(`attributes (${attributes.length}) and labels (${labels.length}) differ in length`);
  return attributeNames.map((attribute) => {
    const members = new Map<string, number[]>();
    let unknown = 0;
    for (let i = 0; i < labels.length; i++) {
      const v = attributes[i]?.[attribute];
      if (v === undefined) unknown++;
      else {
        const list = members.get(v);
        if (list) list.push(i);
        else members.set(v, [i]);
      }
    }
    const groups = [...members.entries()].sort(([a], [b]) => compareGroupNames(a, b)).map(([group, rows]): GroupScores => {
      const r = evaluatePredictions(rows.map((i) => preds[i]!), rows.map((i) => labels[i]!), numClasses);
      return { group, numSamples: rows.length, accuracy: r.accuracy, meanClassAccuracy: r.meanClassAccuracy, confusion: r.confusion };
    });
    return { attribute, groups, unknown, accuracyGap: gap(groups, (g) => g.accuracy), meanClassAccuracyGap: gap(groups, (g) => g.meanClassAccuracy) };
  });
}

function gap(groups: GroupScores[], score: (g: GroupScores) => number): GroupGap | null {
  if (groups.length < 2) return null;
  let best = groups[0]!;
  let worst = groups[0]!;
  for (const g of groups) {
    if (score(g) > score(best)) best = g;
    if (score(g) < score(worst)) worst = g;
  }
  return { value: score(best) - score(worst), best: best.group, worst: worst.group };
}

function pct(x: number): string {
  return (100 * x).toFixed(2);
}

/** Plain-text tables, one per attribute: n, accuracy and mean class accuracy per group, then the gaps. */
export function formatGroupTables(breakdowns: readonly AttributeBreakdown[]): string {
  const out: string[] = [];
  for (const b of breakdowns) {
    const w = Math.max(5, ...b.groups.map((g) => g.group.length));
    out.push('', `by ${b.attribute}${b.unknown ? ` (${b.unknown} faces with no value left out)` : ''}`);
    out.push(`${'group'.padEnd(w)}  ${'n'.padStart(6)}  ${'acc %'.padStart(7)}  ${'mean class acc %'.padStart(16)}`);
    for (const g of b.groups) out.push(`${g.group.padEnd(w)}  ${String(g.numSamples).padStart(6)}  ${pct(g.accuracy).padStart(7)}  ${pct(g.meanClassAccuracy).padStart(16)}`);
    if (b.accuracyGap && b.meanClassAccuracyGap) {
      out.push(`gap (best − worst): accuracy ${pct(b.accuracyGap.value)} points (${b.accuracyGap.best} − ${b.accuracyGap.worst}), mean class accuracy ${pct(b.meanClassAccuracyGap.value)} points (${b.meanClassAccuracyGap.best} − ${b.meanClassAccuracyGap.worst})`);
    }
  }
  return out.join('\n');
}
