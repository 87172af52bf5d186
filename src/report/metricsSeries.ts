/**
 * Turns metrics.jsonl rows into plot-ready series: x = global step for
 * per-step values and epoch for per-epoch values. Knows nothing about SVG.
 */
import type { EpochRow, MetricsRow, StepRow } from './types.js';

export interface XY {
  x: number[];
  y: (number | null)[];
}

export interface ThresholdSeries {
  /** Whether thresholds were logged per step (DTA, every step) or per epoch (Ada-CM margins). */
  axis: 'step' | 'epoch';
  x: number[];
  /** perClass[c][i] = threshold of class c at x[i]. */
  perClass: (number | null)[][];
}

export interface TrainingSeries {
  /** Loss terms in display order ("total" first, then as first seen). */
  loss: { name: string; xy: XY }[];
  lr?: XY;
  imgPerSec?: XY;
  subsetI?: XY;
  subsetII?: XY;
  pseudoLabelAccuracy?: XY;
  maskRate?: XY;
  thresholds?: ThresholdSeries;
  epochs: number[];
  /** What the per-epoch accuracies were measured on (the last scored epoch's split; 'test' for runs from before validation splits). */
  evalSplit: 'validation' | 'test';
  student: { accuracy: (number | null)[]; meanClassAccuracy: (number | null)[] };
  teacher?: { accuracy: (number | null)[]; meanClassAccuracy: (number | null)[] };
  relabel?: { epochs: number[]; counts: (number | null)[]; byClassTotal?: number[] };
}

/**
 * Global step of every step row. Steps should count from the start of the run;
 * if they restart each epoch (they drop), each restart continues from the last
 * step seen, so the curves still read left to right.
 */
export function globalSteps(rows: StepRow[]): number[] {
  const out: number[] = [];
  let offset = 0;
  let prev = -Infinity;
  for (const r of rows) {
    if (r.step + offset < prev) offset = prev;
    const x = r.step + offset;
    out.push(x);
    prev = x;
  }
  return out;
}

/** A series of an optional field, or undefined when no row has it (the chart is then "not recorded"). */
function optional(rows: StepRow[], x: number[], get: (r: StepRow) => number | undefined): XY | undefined {
  const y = rows.map((r) => get(r) ?? null);
  return y.some((v) => v !== null) ? { x, y } : undefined;
}

function thresholdSeries(x: number[], lists: (number[] | undefined)[], axis: 'step' | 'epoch'): ThresholdSeries | undefined {
  const keep = lists.map((t, i) => ({ t, x: x[i]! })).filter((e) => e.t && e.t.length);
  if (!keep.length) return undefined;
  const classes = Math.max(...keep.map((e) => e.t!.length));
  return {
    axis,
    x: keep.map((e) => e.x),
    perClass: Array.from({ length: classes }, (_, c) => keep.map((e) => e.t![c] ?? null)),
  };
}

export function trainingSeries(rows: MetricsRow[]): TrainingSeries {
  const steps = rows.filter((r): r is StepRow => r.kind === 'step');
  const epochRows = rows.filter((r): r is EpochRow => r.kind === 'epoch');
  const x = globalSteps(steps);

  const names: string[] = [];
  for (const r of steps) for (const k of Object.keys(r.loss)) if (!names.includes(k)) names.push(k);
  names.sort((a, b) => (a === 'total' ? -1 : b === 'total' ? 1 : 0));
  const loss = names
    .map((name) => ({ name, xy: { x, y: steps.map((r) => r.loss[name] ?? null) } }))
    .filter((s) => s.xy.y.some((v) => v !== null));

  const epochs = epochRows.map((r) => r.epoch);
  const hasTeacher = epochRows.some((r) => r.teacher);
  const relabelCounts = epochRows.map((r) => r.relabelled ?? null);
  const byClass = epochRows.filter((r) => r.relabelledByClass).map((r) => r.relabelledByClass!);
  const hasRelabel = relabelCounts.some((v) => v !== null) || byClass.length > 0;

  const out: TrainingSeries = {
    loss,
    lr: optional(steps, x, (r) => r.lr),
    imgPerSec: optional(steps, x, (r) => r.imgPerSec),
    subsetI: optional(steps, x, (r) => r.subsetI),
    subsetII: optional(steps, x, (r) => r.subsetII),
    pseudoLabelAccuracy: optional(steps, x, (r) => r.pseudoLabelAccuracy),
    maskRate: optional(steps, x, (r) => r.maskRate),
    thresholds:
      thresholdSeries(x, steps.map((r) => r.thresholds), 'step') ??
      thresholdSeries(epochs, epochRows.map((r) => r.thresholds), 'epoch'),
    epochs,
    evalSplit: [...epochRows].reverse().find((r) => r.student)?.split === 'validation' ? 'validation' : 'test',
    student: {
      accuracy: epochRows.map((r) => r.student?.accuracy ?? null),
      meanClassAccuracy: epochRows.map((r) => r.student?.meanClassAccuracy ?? null),
    },
  };
  if (hasTeacher) {
    out.teacher = {
      accuracy: epochRows.map((r) => r.teacher?.accuracy ?? null),
      meanClassAccuracy: epochRows.map((r) => r.teacher?.meanClassAccuracy ?? null),
    };
  }
  if (hasRelabel) {
    const classes = Math.max(0, ...byClass.map((b) => b.length));
    out.relabel = {
      epochs,
      counts: relabelCounts,
      byClassTotal: byClass.length ? Array.from({ length: classes }, (_, c) => byClass.reduce((s, b) => s + (b[c] ?? 0), 0)) : undefined,
    };
  }
  return out;
}
