/**
 * The interface every training method implements — one file per method, like
 * the algorithm plug-ins of Microsoft's USB benchmark. A method says which
 * augmented views it needs, computes its loss terms for one step, and reacts at
 * the end of each epoch; the loop (src/train/) does everything else: data,
 * optimiser, EMA teacher, evaluation, checkpoints and logging.
 */
import type { Tensor } from '../torch/index.js';
import type { FerModel, FerModelConfig, HeadKind } from '../models/index.js';

export type ViewKind = 'weak' | 'strong' | 'scn' | 'none';

/** One step's data as the loader gives it (views in the order the method asked for). */
export interface TrainBatch {
  step: number;
  labelled: { views: Tensor[]; labels: Tensor; indices: Int32Array };
  unlabelled?: { views: Tensor[]; indices: Int32Array; trueLabels?: Tensor };
}

export interface StepContext {
  student: FerModel;
  /** The EMA teacher, for methods with `usesTeacher`. */
  teacher: FerModel | null;
  numClasses: number;
  /** 1-based epoch. */
  epoch: number;
  /** 0-based global step, and the run's total. */
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

/** Per-step statistics by name; tensors stay on the device until the trainer logs them. */
export type StepStats = Record<string, number | number[] | Tensor>;

export interface StepResult {
  /** What is back-propagated. */
  loss: Tensor;
  /** Named loss terms (scalars) for the log, e.g. Lx, Lu, Ls. */
  terms: Record<string, Tensor>;
  /** Per-step statistics: subset sizes, mask rate, pseudo-label accuracy, thresholds… (tensors stay on the device until the trainer logs them). */
  stats: StepStats;
}

export interface EpochContext {
  epoch: number;
  student: FerModel;
  teacher: FerModel | null;
  numClasses: number;
  /**
   * Probabilities (N×C row-major) of a model on the labelled training set, and
   * the labels: without augmentation, or with `weak` under the weak augmentation
   * (one draw per image, the same for a given seed and epoch).
   */
  predictLabelled(model: FerModel, o?: { weak?: boolean }): Promise<{ probs: Float32Array; labels: Int32Array }>;
  /**
   * The same on the run's validation images (held out, never trained on), or
   * null when the run has none.
   */
  predictValidation(model: FerModel): Promise<{ probs: Float32Array; labels: Int32Array } | null>;
}

/** What relabelling has changed so far (SCN's noisy-label handling). */
export interface RelabelSummary {
  /** Stored labels that differ from the given ones now. */
  changedNow: number;
  relabelledTotal: number;
  relabelledByClass: number[];
}

export interface Method {
  readonly name: string;
  readonly labelledViews: ViewKind[];
  readonly unlabelledViews: ViewKind[];
  /** Whether the loop keeps an EMA teacher (updated after every optimiser step). */
  readonly usesTeacher: boolean;
  /** The head the model needs (the loop builds the model from modelOptions()). */
  readonly head: HeadKind;
  /** Whether the backbone gets DTA's attention enhancement and feature dropout. */
  readonly dta: boolean;
  /** Class-balanced sampling of the labelled set. */
  readonly classBalanced: boolean;
  /** Ada-CM's authors also shrink the student's weights by (1 − k·lr) each step; k here (0 = off; the loop calls afterOptimizerStep). */
  readonly studentShrink: number;
  step(batch: TrainBatch, ctx: StepContext): StepResult;
  /** The head and backbone options of the model it trains (the loop adds the architecture and classes). */
  modelOptions(): Pick<FerModelConfig, 'head' | 'dta'>;
  /** Work on the student after each optimiser step, at the step's learning rate (Ada-CM's weight shrink). */
  afterOptimizerStep?(student: FerModel, lr: number): void;
  /** What relabelling has changed, for the epoch log and the summary; undefined where labels never change. */
  relabelSummary?(): RelabelSummary | undefined;
  /** The per-class confidence a pseudo-label needs now (after loadState: a checkpoint's), and where it comes from; for `semifer label`. */
  confidenceThresholds?(o: { epoch: number; numClasses: number }): { thresholds: number[]; source: string };
  /** End-of-epoch work (Ada-CM's margins); returns values for the epoch log. */
  onEpochEnd?(ctx: EpochContext): Promise<Record<string, number | number[]>>;
  /** Method state for checkpoints (JSON-serialisable). */
  state(): Record<string, unknown>;
  loadState(s: Record<string, unknown>): void;
}
