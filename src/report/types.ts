/**
 * What a training run hands to the report: run facts, the rows of its
 * `metrics.jsonl`, the test-set evaluation, a t-SNE of test features and a few
 * example faces. Every field past `run`, `classNames` and `metrics` is optional:
 * a section without data says so instead of drawing an empty chart.
 */
import type { AttributeBreakdown } from '../eval/groups.js';
import type { EvalResult } from '../eval/metrics.js';
import type { ActionUnitResult } from '../eval/actionUnits.js';

/** Headline numbers of one model (student or EMA teacher) on the test split. */
export interface SummaryMetrics {
  accuracy: number;
  meanClassAccuracy: number;
  macroF1: number;
  ece?: number | null;
}

export interface RunInfo {
  /** Run id or folder name (shown in titles and the compare table). */
  name?: string;
  method: string;
  model: string;
  dataset: string;
  /** Labelled images: a count (400) or a protocol string ("10%", "25/class"). */
  labelBudget: number | string;
  seed: number;
  epochs: number;
  /** ISO 8601 times. */
  startTime: string;
  endTime?: string;
  /** The command line that started the run, as typed. */
  command: string;
  summary: { student: SummaryMetrics; teacher?: SummaryMetrics };
  /** AU runs (train --task au): the test images' mean per-AU F1, which the header shows instead of the expression scores. */
  actionUnits?: { meanF1: number; aus: number[] };
}

/** One line of metrics.jsonl written during training (every N steps). */
export interface StepRow {
  kind: 'step';
  epoch: number;
  /** Optimiser step, counted from the start of the run (per-epoch counts are also understood). */
  step: number;
  lr?: number;
  /** Loss terms by name; names vary by method (total, Lx, Lu, Ls, Lsnl, Lrr, …); null = not finite. */
  loss: Record<string, number | null>;
  /** Per-class confidence thresholds in use at this step. */
  thresholds?: number[];
  /** Ada-CM: unlabelled samples above (I) / below (II) their class margin in this batch. */
  subsetI?: number;
  subsetII?: number;
  /** Fraction of accepted pseudo-labels that match the hidden true label (synthetic/benchmark data). */
  pseudoLabelAccuracy?: number;
  /** Fraction of unlabelled samples that passed the threshold. */
  maskRate?: number;
  imgPerSec?: number;
}

/** Scores of one model after an epoch (validation or test split). */
export interface ModelScores {
  accuracy: number;
  meanClassAccuracy?: number;
  macroF1?: number;
  ece?: number;
}

/** One line of metrics.jsonl written after each epoch. */
export interface EpochRow {
  kind: 'epoch';
  epoch: number;
  /** The split the scores are on: 'validation', or 'test' (also when absent: runs from before validation splits); null: not scored. */
  split?: 'validation' | 'test' | null;
  /** Absent when the epoch was not scored (a run without validation images). */
  student?: ModelScores;
  teacher?: ModelScores;
  thresholds?: number[];
  /** SCN: how many stored labels were changed in this epoch, and per class. */
  relabelled?: number;
  relabelledByClass?: number[];
}

/** A warning the trainer gave at an epoch's end (e.g. no pseudo-label accepted; train/semiSupervisedMonitor.ts). */
export interface WarningRow {
  kind: 'warning';
  epoch: number;
  message: string;
}

export type MetricsRow = StepRow | EpochRow | WarningRow;

/** A line of metrics.jsonl that could not be used, with why. */
export interface SkippedLine {
  line: number;
  reason: string;
}

export interface FaceExample {
  /** PNG bytes (a Buffer is a Uint8Array) or a base64 string, with or without the data: prefix. */
  png: Uint8Array | string;
  trueLabel: number;
  predLabel: number;
  /** Top-1 probability. */
  confidence: number;
  /** Sample id (file name), shown as a tooltip. */
  id?: string;
}

export interface FaceLists {
  /** Highest-confidence correct predictions. */
  confident: FaceExample[];
  /** Smallest margin between the top two probabilities. */
  ambiguous: FaceExample[];
  /** Wrong predictions (most confident first). */
  misclassified: FaceExample[];
}

export interface TsneData {
  /** N×2 row-major. */
  points: ArrayLike<number>;
  /** True class per point (colour). */
  labels: ArrayLike<number>;
  /** Predicted class per point; when given, misclassified points get a ring. */
  predicted?: ArrayLike<number>;
  /** Which features were embedded, e.g. "teacher, pooled 512-d, 1000 test images". */
  description?: string;
}

export interface ReportData {
  run: RunInfo;
  classNames: string[];
  metrics: MetricsRow[];
  /** Lines of metrics.jsonl that were skipped while reading it. */
  skippedMetricsLines?: SkippedLine[];
  /** Test-split evaluation of the selected model. */
  eval?: EvalResult;
  /** Which model `eval` describes (e.g. "teacher (EMA)"). */
  evalModel?: string;
  /** `eval` broken down by each attribute of the test faces (absent when they have none). */
  groups?: AttributeBreakdown[];
  tsne?: TsneData;
  faces?: FaceLists;
  /** AU runs: per-AU precision/recall/F1 of the model on the test images (instead of `eval`). */
  actionUnits?: ActionUnitResult;
}
