/**
 * A run's setup: device and seed, data, the method, student and EMA teacher,
 * optimiser, schedule and loader options — in this order, which the RNG
 * stream (and so every number of the run) depends on.
 */
import * as torch from '../torch/index.js';
import { createModel, type FerModel } from '../models/index.js';
import { createMethod, type Method } from '../methods/index.js';
import type { LoaderOptions } from '../data/loader.js';
import { evaluateProbs } from '../eval/metrics.js';
import type { TrainConfig } from './config.js';
import { prepareData, type EvalImages } from './prepareData.js';
import { predict } from '../eval/predict.js';
import type { CheckpointContent } from './checkpoint.js';
import { parseSchedule } from './schedule.js';
import { resolveRunDefaults } from './runDefaults.js';
import { calibratePretrainedBackbone } from './calibratePretrained.js';
import { SemiSupervisedMonitor } from './semiSupervisedMonitor.js';
import { DeviceTerms } from './deviceTerms.js';
import { writeSkipped } from './skippedRecord.js';
import { RunConfigError, checkBatch, loadPretrained } from './runChecks.js';
import { TrainingStoppedError, stopExitCode, stopRequested } from './stopRequest.js';
import { initFromRun } from './initFromRun.js';
import { runPaths, type TrainRun } from './trainRun.js';
import type { TrainOptions } from './trainer.js';

/** The run's model: the method's head and backbone options on the configured architecture. */
export function buildModel(cfg: TrainConfig, method: Method, numClasses: number, headScale: number): FerModel {
  return createModel({ arch: cfg.model, numClasses, ...method.modelOptions(), logitScale: headScale });
}

function makeOptimizer(cfg: TrainConfig, params: torch.Tensor[] | torch.optim.ParamGroupSpec[]): torch.optim.Optimizer {
  if (cfg.optimizer === 'adam') return new torch.optim.Adam(params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
  if (cfg.optimizer === 'adamw') return new torch.optim.AdamW(params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
  if (cfg.optimizer === 'sgd') return new torch.optim.SGD(params, { lr: cfg.lr, momentum: 0.9, weightDecay: cfg.weightDecay, nesterov: true });
  throw new Error(`unknown optimizer '${cfg.optimizer}'; expected adam, adamw or sgd`);
}

/** The run's optimiser over the student (the backbone at `backboneLrScale` × the rate) and its schedule. */
export function optimiserAndSchedule(cfg: TrainConfig, student: FerModel, backboneLrScale: number): { opt: torch.optim.Optimizer; sched: torch.optim.LRScheduler } {
  const opt = makeOptimizer(cfg, parameterGroups(student, cfg.lr, backboneLrScale));
  return { opt, sched: parseSchedule(cfg.schedule, opt, cfg.epochs) };
}

/** Moves the run's models to its device, in its memory format and precision. */
export function placeModels(cfg: TrainConfig, models: FerModel[]): void {
  for (const m of models) {
    if (cfg.device !== 'cpu') m.to(cfg.device);
    if (cfg.channelsLast) m.channelsLast();
    m.precision = cfg.precision ?? 'fp32';
  }
}

/**
 * The student's parameters for the optimiser: one group, or with a backbone
 * learning-rate fraction other than 1, the head (and every other non-backbone
 * module) first at `lr` and the backbone second at `lr · scale`. The first group
 * is the one `opt.lr` reports.
 */
export function parameterGroups(student: FerModel, lr: number, backboneScale: number): torch.Tensor[] | torch.optim.ParamGroupSpec[] {
  if (backboneScale === 1) return student.parameters();
  const backbone = new Set(student.backbone.parameters());
  return [
    { params: student.parameters().filter((p) => !backbone.has(p)) },
    { params: [...backbone], lr: lr * backboneScale },
  ];
}

/**
 * Everything a run needs before its first step. The loader and the metrics log
 * are opened by startOrResume (trainResume.ts), which also restores `resume`.
 */
export async function setUpRun(cfg: TrainConfig, o: TrainOptions, resume: CheckpointContent | null, t0: number, writes = true): Promise<Omit<TrainRun, 'loader' | 'metrics'>> {
  torch.prepareDevice(cfg.device);
  torch.manualSeed(cfg.seed);
  const onProgress = (what: string, done: number, n: number): void => {
    // Decoding awaits libvips, so a stop is seen here; nothing is trained yet, so there is nothing to save.
    if (stopRequested(o.signal)) throw new TrainingStoppedError(0, null, stopExitCode(o.signal), '');
    o.events?.onProgress?.(what, done, n);
  };
  const data = await prepareData(cfg, { onProgress, resumeClasses: resume?.meta.classes, writeSplit: writes });
  const C = data.classes.length;
  if (writes) writeSkipped(cfg.out, data.skipped);
  checkBatch(cfg, data.labelled.labels.length);
  const runDefaults = resolveRunDefaults(cfg, resume);
  const method = createMethod(cfg.method, { numClasses: C, labels: data.labelled.labels, noisyLabels: cfg.noisyLabels, hyper: runDefaults.hyper, batchSize: cfg.batch, fairBaseline: cfg.fairBaseline });
  if (method.unlabelledViews.length && !data.unlabelled) {
    throw new RunConfigError(`method ${cfg.method} needs unlabelled data, but every training image is labelled (labels '${cfg.labels}')` +
      (data.validation ? ` or held out for validation (${data.validation.labels.length} images; --val-per-class ${cfg.valPerClass})` : ''));
  }
  const student = buildModel(cfg, method, C, runDefaults.headScale);
  if (cfg.pretrained && !resume) {
    await loadPretrained(cfg.pretrained, cfg.model, (sd) => student.loadPretrainedBackbone(sd, cfg.pretrained!));
    // The same images for every method: the labelled ones, never the unlabelled or validation images.
    calibratePretrainedBackbone(student, data.labelled.images, cfg.size);
  }
  if (cfg.resumeFrom && !resume) initFromRun(student, cfg.resumeFrom, data.classes);
  let teacher: FerModel | null = null;
  if (method.usesTeacher) {
    teacher = buildModel(cfg, method, C, runDefaults.headScale);
    teacher.loadStateDict(student.stateDict());
    for (const p of teacher.parameters()) p.requiresGrad_(false);
    teacher.eval();
  }
  placeModels(cfg, teacher ? [student, teacher] : [student]);
  const { opt, sched } = optimiserAndSchedule(cfg, student, runDefaults.backboneLrScale);

  const loaderOpts: LoaderOptions = {
    labelled: { images: data.labelled.images, labels: data.labelled.labels, size: cfg.size },
    unlabelled: method.unlabelledViews.length && data.unlabelled ? { images: data.unlabelled.images, size: cfg.size, trueLabels: data.unlabelled.trueLabels } : undefined,
    batchSize: cfg.batch,
    mu: cfg.mu,
    labelledViews: method.labelledViews,
    unlabelledViews: method.unlabelledViews,
    classBalanced: method.classBalanced,
    seed: cfg.seed,
    prefetch: cfg.prefetch,
    device: cfg.device,
    // The run's crop padding: the authors' 8 px from random weights, their fraction of the face from a pretrained backbone.
    augment: { weak: { padding: runDefaults.cropPadding } },
    shard: o.dist?.shard,
  };
  return {
    cfg, o, t0, writes, ...runPaths(cfg.out), data, classes: data.classes, numClasses: C, runDefaults, method, student, teacher, opt, sched,
    total: cfg.epochs * cfg.stepsPerEpoch,
    loaderOpts,
    buildModel: () => buildModel(cfg, method, C, runDefaults.headScale),
    evaluate: (m: FerModel, set: EvalImages) => evaluateProbs(predict(m, set.images, cfg.size, { batch: cfg.evalBatch, device: cfg.device }).probs, set.labels, C),
    imagesPerStep: cfg.batch * method.labelledViews.length + (loaderOpts.unlabelled ? cfg.batch * cfg.mu * method.unlabelledViews.length : 0),
    monitor: new SemiSupervisedMonitor(cfg.method, 2 / (1 - runDefaults.emaDecay), data.classes),
    deviceTerms: new DeviceTerms(),
    warnings: [],
    startStep: 0,
    best: null,
    stepTimeEma: 0,
    lastHealth: undefined,
    terms: {},
    lastStats: {},
  };
}
