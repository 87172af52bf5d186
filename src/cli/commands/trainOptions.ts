/** The options of `semifer train` (shared with `semifer demo`, which trains too). */
import { SEED_MAX } from '../../data/random.js';
import { options } from '../options/spec.js';
import { PRECISIONS } from '../../torch/autocast.js';
import { CLASSES_OPTION, LABELLED_FORMATS, VIEW_OPTION, IMAGES_OPTION } from './datasetOptions.js';
import { TRAIN_DEFAULTS as D, trainingDefaultsFor } from '../../train/config.js';
import { PRESET_OPTION } from './presetOption.js';
import { looksLikeSpec } from '../../models/pretrained/catalog.js';
import { DEFAULT_HEAD_SCALE, PAPER_EMA_DECAY, TEACHER_TIME_FRACTION } from '../../train/runDefaults.js';
import { DEFAULT_WEAK_PADDING } from '../../data/augment/weak.js';
import { hyperDefault, mergeHyper } from '../../methods/hyperParameters.js';
import { METHOD_NAMES } from '../../methods/registry.js';
import { SHARED_TRAINING_DEFAULTS, type TrainingDefaults } from '../../methods/declaration.js';

/** "5e-4, scn 1e-3": the shared default of an optimiser setting and each method that departs from it, from the methods' declarations. */
function perMethod(key: keyof TrainingDefaults): string {
  const shared = SHARED_TRAINING_DEFAULTS[key];
  const own = METHOD_NAMES.map((m) => [m, trainingDefaultsFor(m)[key]] as const).filter(([, v]) => v !== shared);
  const show = (v: string | number) => (typeof v === 'number' && v !== 0 ? v.toExponential().replace('e+', 'e').replace(/e0$/, '') : String(v));
  return [show(shared), ...own.map(([m, v]) => `${m} ${show(v)}`)].join(', ');
}
import { ARCHS } from '../../models/archs.js';
import { TASKS } from '../../models/task.js';
import { AU_POS_WEIGHTS, DEFAULT_AU_POS_WEIGHT } from '../../methods/losses/actionUnitBce.js';
import { DEFAULT_DIST_TIMEOUT_S } from '../../distributed/defaults.js';

export const TRAIN_OPTIONS = options([
  PRESET_OPTION,
  { name: 'task', type: 'enum', values: [...TASKS], default: TASKS[0], placeholder: 'TASK', description: "expression: one expression per face; au: FACS action units, one sigmoid per AU coded in the training images, supervised only, on a dataset with AU labels (ckplus with FACS/; docs/action-units.md)" },
  { name: 'au-pos-weight', type: 'enum', values: [...AU_POS_WEIGHTS], default: DEFAULT_AU_POS_WEIGHT, placeholder: 'HOW', description: "--task au: weigh each AU's positives by its negatives/positives in the training images (balanced), or not (none)" },
  { name: 'dataset', type: 'enum', values: [...LABELLED_FORMATS], required: true, placeholder: 'FORMAT', description: 'Dataset format (the layout as distributed)' },
  { name: 'root', type: 'path', required: true, placeholder: 'PATH', description: 'Dataset folder' },
  VIEW_OPTION,
  IMAGES_OPTION,
  CLASSES_OPTION,
  { name: 'method', type: 'enum', values: [...METHOD_NAMES], default: 'adacm', placeholder: 'METHOD', description: 'Training method' },
  { name: 'labels-per-class', type: 'int', min: 1, exclusive: 'labels', placeholder: 'N', description: 'Labelled images per class; the rest of the training split is unlabelled' },
  { name: 'label-fraction', type: 'number', min: 0, max: 1, exclusive: 'labels', placeholder: 'F', description: 'Fraction of each class labelled (e.g. 0.1)' },
  { name: 'labels', type: 'string', exclusive: 'labels', placeholder: 'SPEC', description: `Label protocol: 'all', 'n:25', 'fraction:0.05', 'counts:fear=10,happy=15,…' or a preset such as adacm-rafdb-400 (default, with none of the three: ${D.labels})` },
  { name: 'val-per-class', type: 'int', min: 0, placeholder: 'N', description: `Validation images per class, which select checkpoint-best; held out of the training images outside the labelled budget, so the budget is not spent on them (default ${D.valPerClass}; 0: no validation). A dataset with its own val and test splits uses its val split instead. See docs/protocol.md` },
  { name: 'val-in-budget', type: 'boolean', description: 'Take the validation images out of the labelled budget instead (it counts them); every class keeps at least one labelled training image, so at 1 label per class there is no validation. Also what happens with --labels all' },
  { name: 'eval-test-every-epoch', type: 'boolean', description: 'Also score the test split after every epoch (metrics.jsonl "test"; never used to select). Otherwise it is read once, after training' },
  { name: 'label-noise', type: 'number', min: 0, max: 0.95, default: D.labelNoise, placeholder: 'P', description: 'Flip this fraction of the labelled labels to a random other class (noise experiments)' },
  { name: 'noisy-labels', type: 'enum', values: ['none', 'scn'], default: D.noisyLabels, placeholder: 'HOW', description: "Handle noisy labels of any method with SCN's head, rank regularisation and relabelling" },
  { name: 'unlabelled-dataset', type: 'enum', values: [...LABELLED_FORMATS, 'unlabelled'], placeholder: 'FORMAT', description: 'Take the unlabelled images from another dataset (or a plain folder: unlabelled)' },
  { name: 'unlabelled-root', type: 'path', placeholder: 'PATH', description: 'Folder of --unlabelled-dataset' },
  { name: 'fair-baseline', type: 'boolean', default: D.fairBaseline, description: "Supervised, FixMatch and Mean Teacher train Ada-CM's model: its L2-normalised head with dropout 0.5 and its per-step weight shrink; FixMatch is evaluated and selected with an EMA model, as its references (--no-fair-baseline: linear heads, FixMatch's student)" },
  { name: 'model', type: 'enum', values: [...ARCHS], default: D.model, placeholder: 'ARCH', description: "Backbone (wrn28-2: WideResNet-28-2, the SSL benchmarks' backbone for 32 px inputs; mobilefacenet, faceres: face networks from TF.js models, see semifer models)" },
  { name: 'pretrained', type: 'path', isName: looksLikeSpec, placeholder: 'FILE', description: 'Backbone weights with torchvision names (.pth, .pth.tar, .pt or .safetensors), e.g. MS-Celeb-1M ResNet-18; or PACKAGE:MODEL, e.g. human-models:mobilefacenet (semifer models list)' },
  { name: 'size', type: 'int', min: 16, max: 512, default: D.size, placeholder: 'PX', description: 'Input size (images are resized to PX×PX)' },
  { name: 'batch', type: 'int', min: 2, default: D.batch, placeholder: 'B', description: 'Labelled images per step' },
  { name: 'mu', type: 'int', min: 1, default: D.mu, placeholder: 'M', description: 'Unlabelled images per step = M × B' },
  { name: 'epochs', type: 'int', min: 1, default: D.epochs, placeholder: 'E', description: 'Epochs' },
  { name: 'steps-per-epoch', type: 'int', min: 1, default: D.stepsPerEpoch, placeholder: 'K', description: 'Optimiser steps per epoch (Ada-CM authors: 800)' },
  { name: 'optimizer', type: 'enum', values: ['adam', 'adamw', 'sgd'], default: D.optimizer, placeholder: 'OPT', description: 'Optimiser' },
  { name: 'lr', type: 'number', min: 0, placeholder: 'LR', description: `Learning rate (default: ${perMethod('lr')})` },
  { name: 'weight-decay', type: 'number', min: 0, placeholder: 'WD', description: `Weight decay (default: ${perMethod('weightDecay')})` },
  { name: 'schedule', type: 'string', placeholder: 'SPEC', description: `Per-epoch LR schedule: constant, exponential:0.9, step:10:0.1, cosine (default: ${perMethod('schedule')})` },
  { name: 'backbone-lr-scale', type: 'number', min: 0, placeholder: 'F', description: "The backbone's learning rate as a fraction of --lr, e.g. 0.1 to fine-tune a pretrained backbone gently (default 1; with --resume-from RUN, RUN's)" },
  { name: 'warmup-steps', type: 'int', min: 0, placeholder: 'N', description: `Linear learning-rate warm-up over the first N optimiser steps, (step+1)/N times the schedule's rate (default ${D.warmupSteps}: none)` },
  { name: 'crop-padding', type: 'int', min: 0, placeholder: 'PX', description: `Zero padding of the weak view's random crop, in pixels (default: ${DEFAULT_WEAK_PADDING}, the authors' at 224 px; it shifts a 32-px face by up to a quarter)` },
  { name: 'head-scale', type: 'number', min: 0, placeholder: 'S', description: `Multiply the Ada-CM head's logits (L2-normalised features) by S (default ${DEFAULT_HEAD_SCALE}, so confidences can reach the margins from any start; 1 is the authors' head)` },
  { name: 'ema-decay', type: 'number', min: 0, max: 1, placeholder: 'D', description: `EMA teacher decay (default: a time constant of 1/${1 / TEACHER_TIME_FRACTION} of the run's steps, at most the papers' ${PAPER_EMA_DECAY})` },
  { name: 'ema-buffers', type: 'enum', values: ['average', 'copy'], placeholder: 'HOW', description: "The EMA teacher's BatchNorm statistics: average them like its weights (the Ada-CM authors', default) or copy the student's (FixMatch's reference)" },
  { name: 'margin-scale', type: 'number', min: 0, max: 1, placeholder: 'S', description: `Ada-CM: the margin's scale, T_c = max(${hyperDefault('adacm', 'base')}, m_c·S/(1 + e^−epoch)) (default ${hyperDefault('adacm', 'scale')}, the paper's)` },
  { name: 'threshold', type: 'number', min: 0, max: 1, placeholder: 'T', description: `FixMatch confidence threshold (default ${hyperDefault('fixmatch', 'threshold')})` },
  { name: 'threshold-momentum', type: 'number', min: 0, max: 1, placeholder: 'M', description: `DTA+SNL: EMA momentum of the dynamic thresholds' τ and ρ (default: the EMA teacher's decay, which follows the run's length; the paper's ${hyperDefault('dta-snl', 'thresholdMomentum')} at 16,000 steps)` },
  { name: 'relabel-epoch', type: 'int', min: 1, placeholder: 'E', description: `SCN: first epoch of relabelling (default ${hyperDefault('scn', 'relabelEpoch')}, the authors')` },
  { name: 'relabel-group', type: 'enum', values: ['all', 'low'], placeholder: 'G', description: `SCN: samples relabelling may change: all (the authors' code) or low (the paper: the low-importance group) (default ${hyperDefault('scn', 'relabelLowOnly') ? 'low' : 'all'})` },
  { name: 'scn-warmup', type: 'int', min: 0, placeholder: 'E', description: `SCN: epochs of plain cross-entropy before the importance weighting starts (default ${hyperDefault('scn', 'scnWarmup')}, the paper; 1 helped from-scratch runs, see docs/results.md)` },
  { name: 'hyper', type: 'string', merge: mergeHyper, placeholder: 'NAME=V,…', description: "Any method hyper-parameter by name, e.g. lambdaX=1,lambdaS=0.1 for Ada-CM; a name the method does not read is refused with the list of those it reads (adds to a preset's or config's list)" },
  { name: 'device', type: 'string', default: D.device, placeholder: 'DEV', description: "cpu, cuda or cuda:N (or lazy: LibTorch's lazy backend, which the tests use to check device placement)" },
  { name: 'precision', type: 'enum', values: [...PRECISIONS], default: D.precision, placeholder: 'P', description: 'Arithmetic of the backbone: fp32, or bf16 under LibTorch autocast (float32 weights, head, softmax and losses); bf16 is fast on CPUs with avx512_bf16 or AMX and on recent GPUs (docs/performance.md)' },
  { name: 'channels-last', type: 'boolean', description: 'Store convolution weights NHWC (channels-last): faster convolutions with oneDNN on CPUs and on GPUs (docs/performance.md)' },
  { name: 'seed', type: 'int', min: 0, max: SEED_MAX, default: D.seed, placeholder: 'S', description: 'Seed of the split, initialisation and augmentation' },
  { name: 'out', type: 'path', required: true, placeholder: 'RUNDIR', description: 'Run folder (checkpoints, metrics.jsonl, summary.json, model.safetensors)' },
  { name: 'resume', type: 'boolean', description: 'Continue the run in --out from its last checkpoint (a changed flag that changes the run is refused; --epochs may grow)' },
  { name: 'overwrite', type: 'boolean', description: 'Replace the run in a non-empty --out (without it, or --resume, such a folder is refused)' },
  { name: 'resume-from', type: 'path', placeholder: 'RUNDIR', description: "Start a new run from RUNDIR's final model (weights only: new labels, optimiser and schedule), e.g. after labelling more faces" },
  { name: 'dry-run', type: 'boolean', waivesRequired: true, configurable: false, description: 'Print the resolved configuration (preset, config file and flags) and exit, reading no image' },
  { name: 'folds', type: 'int', min: 2, placeholder: 'K', description: 'Subject-independent K-fold cross-validation (ckplus, jaffe, kdef, rafd): fold k trains on the other folds (labels drawn from them) and tests on its subjects; runs in RUNDIR/fold-<k>, mean ± std in RUNDIR/summary.json' },
  { name: 'cache-dir', type: 'path', default: D.cacheDir, placeholder: 'DIR', description: 'Decoded-image cache' },
  { name: 'log-every', type: 'int', min: 1, default: D.logEvery, placeholder: 'N', description: 'Steps between metrics.jsonl lines' },
  { name: 'prefetch', type: 'int', min: 0, max: 16, default: D.prefetch, placeholder: 'N', description: 'Batches prepared ahead in a worker thread (0: none)' },
  { name: 'nproc', type: 'int', min: 1, placeholder: 'N', configurable: false, description: 'Data-parallel training in N local worker processes (c10d: Gloo on CPU, NCCL on GPUs); --batch and --mu stay the global batch, split over the workers. Launchers such as torchrun set MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE and LOCAL_RANK instead (docs/distributed.md)' },
  { name: 'sync-bn', type: 'boolean', description: 'Distributed training: batch norm over the global batch (every rank\'s images) instead of each rank\'s own' },
  { name: 'dist-timeout', type: 'number', min: 1, placeholder: 'S', configurable: false, description: `Distributed training: seconds a rank waits for the others at start-up and in each collective before it gives up (default ${DEFAULT_DIST_TIMEOUT_S}); a rank that dies is noticed at once` },
]);
