/** Everything that defines a training run; saved in every checkpoint and in RUNDIR/config.json. */
import type { Arch } from '../models/index.js';

export interface TrainConfig {
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
  /** 'constant' | 'exponential:0.9' (per epoch) | 'cosine' | 'step:10:0.1' (per epoch); a linear warm-up of N steps with 'warmup:N'. */
  schedule: string;
  warmupSteps: number;
  emaDecay: number;
  device: string;
  seed: number;
  out: string;
  cacheDir: string;
  /** Steps between metrics.jsonl step lines. */
  logEvery: number;
  /** Zero padding of the weak view's random crop, in pixels (unset: the authors' 8). */
  cropPadding?: number;
  /** Multiplier of the Ada-CM head's logits (1 = the authors' head; see NormalizedLinearHead). */
  headScale?: number;
  /** Extra method hyper-parameters by name (threshold, lambdaU, …). */
  hyper: Record<string, number>;
  /** Data-loading worker prefetch depth (0 = synchronous). */
  prefetch: number;
  /** Test-set batch size for evaluation. */
  evalBatch: number;
  /** Start from this run's model.safetensors (weights only: new labels, optimiser and schedule). */
  resumeFrom?: string | null;
  /** One fold of subject-independent k-fold cross-validation (k 1-based): train on the other folds, test on this one. */
  fold?: { k: number; folds: number } | null;
}

export const DEFAULT_LR: Record<string, number> = {
  adacm: 5e-4,
  'dta-snl': 5e-4,
  fixmatch: 5e-4,
  meanteacher: 5e-4,
  supervised: 5e-4,
  scn: 1e-3,
};

export function defaultConfig(partial: Partial<TrainConfig> & Pick<TrainConfig, 'dataset' | 'root' | 'method' | 'out'>): TrainConfig {
  const method = partial.method;
  return {
    labels: 'n:10',
    model: 'resnet18',
    size: 112,
    batch: 16,
    mu: 1,
    epochs: 20,
    stepsPerEpoch: 100,
    optimizer: 'adam',
    lr: DEFAULT_LR[method] ?? 5e-4,
    weightDecay: method === 'scn' ? 1e-4 : 0,
    schedule: method === 'scn' ? 'exponential:0.9' : 'constant',
    warmupSteps: 0,
    emaDecay: 0.999,
    device: 'cpu',
    seed: 0,
    cacheDir: '.cache/semifer',
    logEvery: 10,
    hyper: {},
    prefetch: 2,
    evalBatch: 128,
    noisyLabels: 'none',
    labelNoise: 0,
    unlabelled: null,
    pretrained: null,
    ...partial,
  };
}
