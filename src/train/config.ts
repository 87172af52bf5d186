/** Everything that defines a training run; saved in every checkpoint and in RUNDIR/config.json. */
import type { Arch } from '../models/index.js';
import { PRECISIONS, type Precision } from '../torch/autocast.js';
import { METHODS } from '../methods/registry.js';
import { SHARED_TRAINING_DEFAULTS, type TrainingDefaults } from '../methods/declaration.js';
import type { Task } from '../models/task.js';
import type { AuPosWeight } from '../methods/losses/actionUnitBce.js';

export interface TrainConfig {
  /** What the model learns (models/task.ts): expressions (absent: every run from before AUs) or FACS action units (src/train/actionUnits/). */
  task?: Task;
  /** AU runs: how the loss weighs each AU's positives (methods/losses/actionUnitBce.ts). */
  auPosWeight?: AuPosWeight;
  dataset: string;
  root: string;
  /** Reader options (e.g. { classes: 8 } for AffectNet-8). */
  readerOptions?: Record<string, unknown>;
  method: string;
  /** Label budget: 'n:10' (per class), 'fraction:0.1', 'counts:…', a preset such as 'adacm-rafdb-400', or 'all'. */
  labels: string;
  /** Flip this fraction of the labelled set's labels to a random other class (noise experiments; the true labels are kept for reporting). */
  labelNoise?: number;
  /** Another dataset (or a plain folder) as the unlabelled set instead of the rest of the training split. */
  unlabelled?: { dataset: string; root: string } | null;
  noisyLabels?: 'scn' | 'none';
  model: Arch;
  pretrained?: string | null;
  size: number;
  batch: number;
  mu: number;
  epochs: number;
  stepsPerEpoch: number;
  optimizer: 'adam' | 'adamw' | 'sgd';
  lr: number;
  weightDecay: number;
  /** 'constant' | 'exponential:0.9' (per epoch) | 'cosine' | 'step:10:0.1' (per epoch). */
  schedule: string;
  /** Linear warm-up of the learning rate over this many optimiser steps (0 = none), on top of the schedule (schedule.ts). */
  warmupSteps: number;
  /** EMA teacher decay (unset: follows the run's length, runDefaults.ts). */
  emaDecay?: number;
  /** The teacher's BatchNorm statistics: averaged like its weights (the Ada-CM authors' EMA, default) or copied from the student (FixMatch's reference). */
  emaBuffers?: 'average' | 'copy';
  device: string;
  /** The backbone's arithmetic (fp32, or bf16 under autocast); absent in runs from before it existed: fp32. */
  precision?: Precision;
  /** Convolution weights stored NHWC. */
  channelsLast?: boolean;
  seed: number;
  out: string;
  cacheDir: string;
  /** Steps between metrics.jsonl step lines. */
  logEvery: number;
  /** Zero padding of the weak view's random crop, in pixels (unset: the authors' 8). */
  cropPadding?: number;
  /** The backbone's learning rate as a fraction of lr (unset: runDefaults.ts's backboneLrScaleFor). */
  backboneLrScale?: number;
  /** Multiplier of the Ada-CM head's logits (1 = the authors' head; unset: runDefaults.ts's DEFAULT_HEAD_SCALE). */
  headScale?: number;
  /** Extra method hyper-parameters by name (threshold, lambdaU, …). */
  hyper: Record<string, number>;
  /** Data-loading worker prefetch depth (0 = synchronous). */
  prefetch: number;
  /** Test-set batch size for evaluation. */
  evalBatch: number;
  /**
   * Validation images per class held out of the training split, which select
   * checkpoint-best (0: none); a dataset with its own val and test splits uses
   * its val split instead (src/data/validationSplit.ts, docs/protocol.md).
   */
  valPerClass: number;
  /** Hold the validation images out of the labelled budget (which then counts them) instead of the images outside it. */
  valInBudget: boolean;
  /** Also evaluate on the test split after every epoch (logged only; never used to select). */
  evalTestEveryEpoch: boolean;
  /** Supervised, FixMatch and Mean Teacher train Ada-CM's model (head, weight shrink); FixMatch is evaluated with an EMA model (src/methods/fairBaseline.ts). */
  fairBaseline: boolean;
  /** Start from this run's model.safetensors (weights only: new labels, optimiser and schedule). */
  resumeFrom?: string | null;
  /** One fold of subject-independent k-fold cross-validation (k 1-based): train on the other folds, test on this one. */
  fold?: { k: number; folds: number } | null;
}

/** Validation images per class held out of the training split when the dataset has no separate val split (docs/protocol.md). */
export const DEFAULT_VAL_PER_CLASS = 10;

/** Fair baselines are the default: the comparison docs/methods.md §4 asks for. */
export const DEFAULT_FAIR_BASELINE = true;

/**
 * Every training default that does not depend on the method, in one place:
 * defaultConfig fills them in, and `semifer train`'s option table
 * (src/cli/commands/trainOptions.ts) shows and applies the same values.
 */
export const TRAIN_DEFAULTS = {
  labels: 'n:10',
  model: 'resnet18',
  size: 112,
  batch: 16,
  mu: 1,
  epochs: 20,
  stepsPerEpoch: 100,
  optimizer: 'adam',
  // A method's declaration may replace these three (trainingDefaultsFor).
  ...SHARED_TRAINING_DEFAULTS,
  warmupSteps: 0,
  device: 'cpu',
  precision: PRECISIONS[0],
  channelsLast: false,
  seed: 0,
  cacheDir: '.cache/semifer',
  logEvery: 10,
  // Each config gets its own object (defaultConfig).
  hyper: Object.freeze({}),
  prefetch: 2,
  evalBatch: 128,
  valPerClass: DEFAULT_VAL_PER_CLASS,
  valInBudget: false,
  evalTestEveryEpoch: false,
  fairBaseline: DEFAULT_FAIR_BASELINE,
  noisyLabels: 'none',
  labelNoise: 0,
  unlabelled: null,
  pretrained: null,
} as const satisfies Partial<TrainConfig>;

/** The optimiser settings `method` trains with unless the run sets them: its declaration's (src/methods/), over the shared ones. */
export function trainingDefaultsFor(method: string): TrainingDefaults {
  return { ...SHARED_TRAINING_DEFAULTS, ...METHODS.find((m) => m.name === method)?.training };
}

/** Each method's default learning rate, from its declaration. */
export const DEFAULT_LR: Readonly<Record<string, number>> = Object.fromEntries(METHODS.map((m) => [m.name, trainingDefaultsFor(m.name).lr]));

export function defaultConfig(partial: Partial<TrainConfig> & Pick<TrainConfig, 'dataset' | 'root' | 'method' | 'out'>): TrainConfig {
  return {
    // Overwritten keys keep TRAIN_DEFAULTS' order, which config.json shows.
    ...TRAIN_DEFAULTS,
    ...trainingDefaultsFor(partial.method),
    hyper: {},
    ...partial,
  };
}
