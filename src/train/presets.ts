/**
 * The papers' published training protocols, as `semifer train --preset NAME`
 * loads them. A preset is plain data: option values by `semifer train` option
 * name, exactly what a config file would hold, so the CLI validates it with
 * the config file's checks and command-line flags override it. Each names its
 * source; `notes` say what it cannot set (the user's weights and data) and
 * where this project departs from the paper. Kept free of the engine so
 * `semifer presets` and `--help` load nothing heavy; the values could later
 * move into each method's declaration, keyed the same way.
 */
import { PRESET_NAMES as ADACM_LABEL_PROTOCOLS } from '../data/splits.js';

export interface PresetSource {
  /** Authors, venue, year (and arXiv id). */
  paper: string;
  /** Where in the paper or the authors' code the values are stated. */
  where: string;
}

export interface TrainPreset {
  name: string;
  /** One line for `semifer presets`. */
  summary: string;
  source: PresetSource;
  /** Option values by `semifer train` option name (kebab-case), as a config file holds them. */
  options: Readonly<Record<string, string | number | boolean>>;
  /** What the preset leaves to the user, and where it differs from the paper. */
  notes: readonly string[];
}

/** RAF-DB basic's training split (docs/methods.md §5): an "epoch" of the authors who count passes over it. */
const RAFDB_TRAIN_IMAGES = 12271;

/** Steps in one pass over `images` at `batch` per step, the last batch kept short (PyTorch's DataLoader default). */
function stepsPerPass(images: number, batch: number): number {
  return Math.ceil(images / batch);
}

const ADACM_SOURCE: PresetSource = {
  paper: 'Li et al., "Towards Semi-Supervised Deep Facial Expression Recognition with an Adaptive Confidence Margin", CVPR 2022 (arXiv 2203.12341)',
  where: "label splits: the authors' README table (100-4000 labels); schedule: the authors' main.py (20 epochs × 800 iterations, batch 16 labelled + 16 unlabelled, Adam 5e-4, EMA 0.999, 224 px); docs/methods.md §1",
};

const MSCELEB_NOTE = 'Give --pretrained with an MS-Celeb-1M ResNet-18 (the authors\' initialisation); without it the backbone starts from scratch.';

/** Ada-CM's protocol on RAF-DB at one label budget (the split's name doubles as the preset's). */
function adacmRafdb(protocol: string): TrainPreset {
  const total = protocol.replace('adacm-rafdb-', '');
  return {
    name: protocol,
    summary: `Ada-CM on RAF-DB, ${total} labels (class-imbalanced split), 20 × 800 steps at 224 px`,
    source: ADACM_SOURCE,
    options: {
      dataset: 'rafdb', method: 'adacm', labels: protocol, model: 'resnet18', size: 224, batch: 16, mu: 1,
      epochs: 20, 'steps-per-epoch': 800, optimizer: 'adam', lr: 5e-4, 'weight-decay': 0, schedule: 'constant', 'ema-decay': 0.999,
      'ema-buffers': 'average', 'head-scale': 1, hyper: 'marginFromValidation=0',
    },
    notes: [
      MSCELEB_NOTE,
      'μ = 1: the authors draw 16 unlabelled images per step (three views each), as many as labelled ones.',
      "Head scale 1, EMA 0.999 averaging BatchNorm statistics too: the authors' head and EMA (semifer's run-following defaults are not used).",
      'The authors pick the best epoch by test accuracy; semifer picks by its own rule (see docs/presets.md).',
    ],
  };
}

/** DTA+SNL as docs/methods.md §3 reads it, on Ada-CM's RAF-DB protocol (the benchmark the paper claims against). */
function dtaSnlRafdb(protocol: string): TrainPreset {
  const total = protocol.replace('adacm-rafdb-', '');
  return {
    name: `dta-snl-rafdb-${total}`,
    summary: `DTA+SNL on RAF-DB, ${total} labels (Ada-CM's split and schedule), thresholds as docs/methods.md reads them`,
    source: {
      paper: 'Cai et al., "DTA + SNL" for semi-supervised FER, arXiv 2601.05556 (2026)',
      where: "docs/methods.md §3 (the paper's abstract; no code or schedule is public): τ, ρ EMA 0.999, T_c clamped to [0.5, 0.95], γ = 0.05, λn = 1; schedule: Ada-CM's (docs/methods.md §1)",
    },
    options: {
      dataset: 'rafdb', method: 'dta-snl', labels: protocol, model: 'resnet18', size: 224, batch: 16, mu: 1,
      epochs: 20, 'steps-per-epoch': 800, optimizer: 'adam', lr: 5e-4, 'weight-decay': 0, schedule: 'constant', 'ema-decay': 0.999,
      'threshold-momentum': 0.999, hyper: 'min=0.5,max=0.95,gamma=0.05,lambdaU=1,lambdaN=1',
    },
    notes: [
      MSCELEB_NOTE,
      "The paper publishes no schedule or label budgets: this preset is the project's reading (docs/methods.md §3) on Ada-CM's RAF-DB protocol.",
    ],
  };
}

const SCN_SOURCE: PresetSource = {
  paper: 'Wang et al., "Suppressing Uncertainties for Large-Scale Facial Expression Recognition" (SCN), CVPR 2020 (arXiv 2002.10392)',
  where: "synthetic-noise experiments on RAF-DB (10/20/30 % of labels flipped to another class); schedule: the authors' src/train.py (70 epochs over the data, batch 64, Adam 1e-3, weight decay 1e-4, ExponentialLR 0.9, 224 px, β 0.7, δ2 0.2, relabelling from epoch 10); docs/methods.md §2",
};

function scnRafdbNoise(percent: number): TrainPreset {
  const batch = 64;
  return {
    name: `scn-rafdb-noise${percent}`,
    summary: `SCN on RAF-DB with ${percent} % of the labels flipped, 70 passes over the data at 224 px`,
    source: SCN_SOURCE,
    options: {
      dataset: 'rafdb', method: 'scn', labels: 'all', 'label-noise': percent / 100, model: 'resnet18', size: 224, batch, mu: 1,
      epochs: 70, 'steps-per-epoch': stepsPerPass(RAFDB_TRAIN_IMAGES, batch), optimizer: 'adam', lr: 1e-3, 'weight-decay': 1e-4,
      schedule: 'exponential:0.9', 'relabel-epoch': 10, 'relabel-group': 'all', 'scn-warmup': 0,
      hyper: 'beta=0.7,delta1=0.07,delta2=0.2',
    },
    notes: [
      MSCELEB_NOTE,
      `An epoch is one pass over RAF-DB's ${RAFDB_TRAIN_IMAGES} training images: ⌈${RAFDB_TRAIN_IMAGES}/${batch}⌉ = ${stepsPerPass(RAFDB_TRAIN_IMAGES, batch)} steps; training on fewer images (a held-out validation set), set --steps-per-epoch to ⌈images/${batch}⌉.`,
      'δ1 = 0.07: the authors advise it for batch 64 (their 0.15 was set for a larger batch; docs/methods.md §2).',
    ],
  };
}

const FIXMATCH: TrainPreset = {
  name: 'fixmatch-paper',
  summary: "FixMatch's CIFAR-10 protocol (WRN-28-2, 32 px, B 64, μ 7, SGD 0.03, 2^20 steps, 25 labels per class) on a FER dataset",
  source: {
    paper: 'Sohn et al., "FixMatch: Simplifying Semi-Supervised Learning with Consistency and Confidence", NeurIPS 2020 (arXiv 2001.07685)',
    where: '§4 and its appendix of hyper-parameters: τ 0.95, λu 1, μ 7, B 64, SGD Nesterov momentum 0.9, lr 0.03, weight decay 5e-4, cosine decay over 2^20 steps, EMA 0.999; the reference code reports every 64 k images = 1024 steps (1024 "epochs")',
  },
  options: {
    method: 'fixmatch', 'labels-per-class': 25, model: 'wrn28-2', size: 32, batch: 64, mu: 7,
    epochs: 1024, 'steps-per-epoch': 1024, optimizer: 'sgd', lr: 0.03, 'weight-decay': 5e-4, schedule: 'cosine', 'ema-decay': 0.999,
    'ema-buffers': 'copy', threshold: 0.95, hyper: 'lambdaU=1',
  },
  notes: [
    'Give --dataset and --root: the paper trained on CIFAR-10 (25 labels per class = its 250-label setting), which semifer does not read.',
    "semifer's cosine schedule decays per epoch to 0; the paper's is lr·cos(7πk/16K) per step (it ends at 0.2·lr).",
  ],
};

/** Mean Teacher's CIFAR-10 epoch: one pass over the 46,000 unlabelled images, 97 per batch; their two-stream sampler drops the last short batch. */
const MEAN_TEACHER_STEPS = Math.floor(46000 / 97);

const MEAN_TEACHER: TrainPreset = {
  name: 'meanteacher-paper',
  summary: "Mean Teacher's CIFAR-10 protocol (B 31 labelled + 97 unlabelled, SGD 0.05, EMA 0.97, consistency 100, 180 epochs, 400 labels per class) on a FER dataset",
  source: {
    paper: 'Tarvainen & Valpola, "Mean teachers are better role models", NeurIPS 2017 (arXiv 1703.01780)',
    where: "the authors' pytorch/experiments/cifar10_test.py (4000 labels): batch 128 of which 31 labelled, SGD Nesterov lr 0.05, weight decay 2e-4, EMA 0.97, MSE consistency weight 100 ramped up over 5 epochs, 180 epochs of one pass over the 46,000 unlabelled images",
  },
  options: {
    method: 'meanteacher', 'labels-per-class': 400, model: 'wrn28-2', size: 32, batch: 31, mu: 3,
    epochs: 180, 'steps-per-epoch': MEAN_TEACHER_STEPS, optimizer: 'sgd', lr: 0.05, 'weight-decay': 2e-4, schedule: 'cosine', 'ema-decay': 0.97,
    hyper: 'consistencyWeight=100,rampupEpochs=5,weightFromValidation=0,teacherBatchStats=1',
  },
  notes: [
    `Give --dataset and --root: the authors trained on CIFAR-10 (400 labels per class), which semifer does not read; an epoch is their pass over 46,000 unlabelled images (${MEAN_TEACHER_STEPS} steps).`,
    'μ = 3: 93 unlabelled images per step against their 97; WRN-28-2 stands in for their ResNet-26 Shake-Shake, which semifer does not build.',
    'Their cosine ramp-down reaches 0 at epoch 210, not 180, and they add a logit-distance cost of 0.01 that semifer does not implement.',
    "Their EMA model runs in training mode: its batch norms normalise by the batch (teacherBatchStats=1), and its dropout is on, which semifer's teacher leaves off.",
  ],
};

/** Every preset, in the order `semifer presets` lists them. */
export const TRAIN_PRESETS: readonly TrainPreset[] = [
  ...ADACM_LABEL_PROTOCOLS.map(adacmRafdb),
  ...[10, 20, 30].map(scnRafdbNoise),
  ...ADACM_LABEL_PROTOCOLS.map(dtaSnlRafdb),
  {
    name: 'dta-snl-affectnet',
    summary: 'DTA+SNL on AffectNet, 100 labels per class, Ada-CM\'s schedule at 224 px',
    source: {
      paper: 'Cai et al., "DTA + SNL" for semi-supervised FER, arXiv 2601.05556 (2026)',
      where: "docs/methods.md §3 (the paper claims AffectNet results; no code, schedule or label budget is public); schedule: Ada-CM's (docs/methods.md §1)",
    },
    options: {
      dataset: 'affectnet', method: 'dta-snl', 'labels-per-class': 100, model: 'resnet18', size: 224, batch: 16, mu: 1,
      epochs: 20, 'steps-per-epoch': 800, optimizer: 'adam', lr: 5e-4, 'weight-decay': 0, schedule: 'constant', 'ema-decay': 0.999,
      'threshold-momentum': 0.999, hyper: 'min=0.5,max=0.95,gamma=0.05,lambdaU=1,lambdaN=1',
    },
    notes: [
      MSCELEB_NOTE,
      "The label budget (100 per class) is this project's choice: the paper's is not public. AffectNet is read with the reader's default classes.",
    ],
  },
  FIXMATCH,
  MEAN_TEACHER,
];

/** The preset called `name`, or undefined. */
export function findPreset(name: string): TrainPreset | undefined {
  return TRAIN_PRESETS.find((p) => p.name === name);
}
