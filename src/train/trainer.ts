/**
 * The training loop: epochs × steps of a method plug-in, with the EMA teacher,
 * LR schedule, evaluation of student and teacher on the validation images after
 * every epoch (the test split once, at the end: validation.ts), atomic
 * checkpoints (last, and best by validation accuracy), exact resume, NaN/Inf
 * detection, metrics.jsonl and summary.json. Progress goes to `events`; the CLI draws the bar.
 */
import { writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { basename, join } from 'node:path';
import * as torch from '../torch/index.js';
import { createModel, type FerModel } from '../models/index.js';
import { createMethod, type Method, type StepContext } from '../methods/index.js';
import { TrainLoader, disposeBatch, type LoaderOptions } from '../data/loader.js';
import { evaluateProbs, type EvalResult } from '../eval/metrics.js';
import type { TrainConfig } from './config.js';
import { prepareData, type PreparedData, type EvalImages } from './prepareData.js';
import { epochScores, bestCheckpointOnTest, short, type Scores } from './validation.js';
import { predict, predictWeak } from './predict.js';
import { emaUpdate, emaDecayAt, shrinkWeights } from './ema.js';
import { saveCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { checkResumeConfig, loadResumeCheckpoint, recordResume } from './resumeCheck.js';
import { MetricsLog } from './metricsLog.js';
import { parseSchedule, applyWarmup } from './schedule.js';
import { saveModelFile } from './modelFile.js';
import { resolveRunDefaults, type ResolvedRunDefaults } from './runDefaults.js';
import { SemiSupervisedMonitor, type EpochHealth } from './semiSupervisedMonitor.js';
import { DeviceTerms } from './deviceTerms.js';
import { claimRunFolder } from './runFolder.js';
import { writeSkipped } from './skippedRecord.js';
import { RunConfigError, checkBatch, checkRunBeforeData, loadPretrained } from './runChecks.js';
import { recordedConfig } from './configRecord.js';
import { TrainingStoppedError, resumeCommand, stopExitCode, stopRequested, yieldToSignals } from './stopRequest.js';
import { initFromRun } from './initFromRun.js';
import type { DistributedContext } from '../distributed/context.js';

export class TrainingDivergedError extends Error {
  /** The CLI's exit code for a diverged run. */
  readonly exitCode = 3;
  constructor(readonly step: number, readonly term: string, readonly value: number) {
    super(`training diverged at step ${step}: loss term ${term} is ${value}; the last good checkpoint is kept`);
    this.name = 'TrainingDivergedError';
  }
}

export interface StepEvent {
  step: number;
  epoch: number;
  totalSteps: number;
  terms: Record<string, number>;
  imgPerSec: number;
  lr: number;
}

export interface EpochEvent {
  epoch: number;
  /** The split student and teacher were scored on: validation, the test split (--eval-test-every-epoch without validation), or none. */
  split: 'validation' | 'test' | null;
  student?: Scores;
  teacher?: Scores;
  /** Pseudo-label rate, teacher gap and warnings when the run is not learning from its unlabelled data. */
  health?: EpochHealth;
}

export interface TrainEvents {
  onData?(info: { classes: string[]; labelled: number; unlabelled: number; validation: number; test: number; skipped: number; startStep: number; totalSteps: number }): void;
  onProgress?(what: string, done: number, total: number): void;
  onStep?(e: StepEvent): void;
  onEpoch?(e: EpochEvent): void;
  /** A line for the user that is not progress (a stale lock taken over, a fallback checkpoint). */
  onNotice?(text: string): void;
}

export interface TrainSummary {
  method: string;
  model: string;
  dataset: string;
  labels: string;
  seed: number;
  epochs: number;
  classes: string[];
  selectedModel: 'student' | 'teacher';
  accuracy: number;
  meanClassAccuracy: number;
  macroF1: number;
  ece: number | null;
  student: { accuracy: number; meanClassAccuracy: number; macroF1: number };
  teacher?: { accuracy: number; meanClassAccuracy: number; macroF1: number };
  /** The final model on the validation images (null without validation). */
  validation: (Scores & { source: string }) | null;
  /** checkpoint-best: its epoch, validation accuracy, and test scores (null without validation). */
  best: { epoch: number; accuracy: number; split: 'validation'; test: Scores } | null;
  numLabelled: number;
  numValidation: number;
  numUnlabelled: number;
  numTest: number;
  labelNoise: number;
  /** Dataset entries left out (missing, unreadable, malformed); the list is RUNDIR/skipped.jsonl. */
  skipped: number;
  relabel?: Record<string, unknown>;
  /** The run-following defaults this run resolved (runDefaults.ts). */
  defaults: ResolvedRunDefaults;
  /** The last epoch's pseudo-label rate and teacher gap, and every warning the run gave. */
  semiSupervised?: { pseudoLabelRate?: number; teacherGap?: number; warnings: string[] };
  imgPerSec: number;
  seconds: number;
  endTime: string;
}

function buildModel(cfg: TrainConfig, method: Method, numClasses: number, headScale: number): FerModel {
  return createModel({ arch: cfg.model, numClasses, head: method.head, dta: method.dta ? {} : false, logitScale: headScale });
}

function makeOptimizer(cfg: TrainConfig, params: torch.Tensor[]): torch.optim.Optimizer {
  if (cfg.optimizer === 'adam') return new torch.optim.Adam(params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
  if (cfg.optimizer === 'adamw') return new torch.optim.AdamW(params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
  if (cfg.optimizer === 'sgd') return new torch.optim.SGD(params, { lr: cfg.lr, momentum: 0.9, weightDecay: cfg.weightDecay, nesterov: true });
  throw new Error(`unknown optimizer '${cfg.optimizer}'; expected adam, adamw or sgd`);
}

export interface TrainOptions {
  resume?: boolean;
  events?: TrainEvents;
  /** The command line, recorded for the report. */
  command?: string;
  /** Replace a finished or resumable run in cfg.out (otherwise such a folder is refused). */
  overwrite?: boolean;
  /** Aborted on SIGINT/SIGTERM: the run stops before its next step with a checkpoint (stopRequest.ts). */
  signal?: AbortSignal;
  /** One rank of data-parallel training (src/distributed/): its batch slice, gradient averaging; only rank 0 writes. */
  dist?: DistributedContext;
}

/** Trains in cfg.out, which it holds (runFolder.ts) from start to end. */
export async function train(cfg: TrainConfig, o: TrainOptions = {}): Promise<TrainSummary> {
  checkRunBeforeData(cfg);
  o.dist?.checkRun(cfg);
  const folder = !o.dist || o.dist.isWriter ? claimRunFolder(cfg.out, { resume: o.resume, overwrite: o.overwrite, notice: o.events?.onNotice }) : null;
  try {
    return await trainInClaimedFolder(cfg, o);
  } finally {
    folder?.release();
  }
}

async function trainInClaimedFolder(cfg: TrainConfig, o: TrainOptions): Promise<TrainSummary> {
  const t0 = performance.now();
  const writes = !o.dist || o.dist.isWriter;
  const lastPath = join(cfg.out, 'checkpoint-last.safetensors');
  const bestPath = join(cfg.out, 'checkpoint-best.safetensors');
  const resumed = o.resume ? loadResumeCheckpoint(cfg.out, (text) => o.events?.onNotice?.(text)) : null;
  const resume = resumed?.checkpoint ?? null;
  if (resumed && writes) {
    const changes = checkResumeConfig(resumed.checkpoint.meta.config, cfg);
    recordResume(cfg.out, { nextStep: resumed.checkpoint.meta.nextStep, checkpoint: basename(resumed.path), changes, command: o.command }, (text) => o.events?.onNotice?.(text));
  }
  if (!resume && writes) writeFileSync(join(cfg.out, 'config.json'), JSON.stringify(recordedConfig(cfg, o.command), null, 2));

  torch.prepareDevice(cfg.device);
  torch.manualSeed(cfg.seed);
  const onProgress = (what: string, done: number, n: number): void => {
    // Decoding awaits libvips, so a stop is seen here; nothing is trained yet, so there is nothing to save.
    if (stopRequested(o.signal)) throw new TrainingStoppedError(0, null, stopExitCode(o.signal), '');
    o.events?.onProgress?.(what, done, n);
  };
  const data: PreparedData = await prepareData(cfg, { onProgress, resumeClasses: resume?.meta.classes, writeSplit: writes });
  const C = data.classes.length;
  if (writes) writeSkipped(cfg.out, data.skipped);
  checkBatch(cfg, data.labelled.labels.length);
  const runDefaults = resolveRunDefaults(cfg);
  const method = createMethod(cfg.method, { numClasses: C, labels: data.labelled.labels, noisyLabels: cfg.noisyLabels, hyper: runDefaults.hyper, batchSize: cfg.batch, fairBaseline: cfg.fairBaseline });
  if (method.unlabelledViews.length && !data.unlabelled) {
    throw new RunConfigError(`method ${cfg.method} needs unlabelled data, but every training image is labelled (labels '${cfg.labels}')` +
      (data.validation ? ` or held out for validation (${data.validation.labels.length} images; --val-per-class ${cfg.valPerClass})` : ''));
  }
  const student = buildModel(cfg, method, C, runDefaults.headScale);
  if (cfg.pretrained && !resume) await loadPretrained(cfg.pretrained, cfg.model, (sd) => student.loadPretrainedBackbone(sd, cfg.pretrained!));
  if (cfg.resumeFrom && !resume) initFromRun(student, cfg.resumeFrom, data.classes);
  let teacher: FerModel | null = null;
  if (method.usesTeacher) {
    teacher = buildModel(cfg, method, C, runDefaults.headScale);
    teacher.loadStateDict(student.stateDict());
    for (const p of teacher.parameters()) p.requiresGrad_(false);
    teacher.eval();
  }
  if (cfg.device !== 'cpu') {
    student.to(cfg.device);
    teacher?.to(cfg.device);
  }
  for (const m of teacher ? [student, teacher] : [student]) {
    if (cfg.channelsLast) m.channelsLast();
    m.precision = cfg.precision ?? 'fp32';
  }
  const opt = makeOptimizer(cfg, student.parameters());
  const sched = parseSchedule(cfg.schedule, opt, cfg.epochs);
  const total = cfg.epochs * cfg.stepsPerEpoch;

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
    // Unset: the weak augmentation's own default (the authors' 8 px, whatever the input size).
    augment: { weak: { padding: cfg.cropPadding } },
    shard: o.dist?.shard,
  };

  let startStep = 0;
  let best: { score: number; epoch: number } | null = null;
  let loader: TrainLoader;
  let metrics: MetricsLog;
  const metricsPath = writes ? join(cfg.out, 'metrics.jsonl') : devNull;
  if (resume) {
    student.loadStateDict(resume.student);
    if (teacher && resume.teacher) teacher.loadStateDict(resume.teacher);
    opt.loadStateDict({ state: resume.optimizerState, paramGroups: resume.meta.optimizer.paramGroups });
    if (resume.meta.scheduler) sched.loadStateDict(resume.meta.scheduler);
    method.loadState(resume.meta.method);
    if (resume.rng) torch.setRngState(resume.rng);
    startStep = resume.meta.nextStep;
    best = resume.meta.best;
    loader = TrainLoader.restore(loaderOpts, resume.meta.loader as never);
    metrics = new MetricsLog(metricsPath, resume.meta.metricsBytes);
    for (const m of [resume.student, resume.teacher ?? new Map(), new Map(Object.entries(resume.optimizerState).flatMap(([i, s]) => Object.entries(s).filter(([, v]) => typeof v !== 'number').map(([k, v]) => [`${i}.${k}`, v as torch.Tensor])))]) {
      for (const t of m.values()) t.dispose();
    }
    resume.rng?.dispose();
  } else {
    loader = new TrainLoader(loaderOpts);
    metrics = new MetricsLog(metricsPath);
  }
  o.dist?.afterSetup([student, teacher]);
  o.events?.onData?.({ classes: data.classes, labelled: data.labelled.labels.length, unlabelled: data.unlabelled ? data.unlabelled.images.length / (cfg.size * cfg.size * 3) : 0, validation: data.validation?.labels.length ?? 0, test: data.test.listed, skipped: data.skipped.length, startStep, totalSteps: total });

  const evaluate = (m: FerModel, set: EvalImages) => evaluateProbs(predict(m, set.images, cfg.size, { batch: cfg.evalBatch, device: cfg.device }).probs, set.labels, C);
  const imagesPerStep = cfg.batch * method.labelledViews.length + (loaderOpts.unlabelled ? cfg.batch * cfg.mu * method.unlabelledViews.length : 0);
  let stepTimeEma = 0;
  const monitor = new SemiSupervisedMonitor(cfg.method, 2 / (1 - runDefaults.emaDecay));
  let lastHealth: EpochHealth | undefined;
  const warnings: string[] = [];
  let lastStats: Record<string, number | number[]> = {};
  let terms: Record<string, number> = {};
  const deviceTerms = new DeviceTerms();
  const checkpointMeta = (nextStep: number, epoch: number): CheckpointMeta => ({
    format: 'semifer-checkpoint', version: 1, nextStep, epoch,
    config: cfg as unknown as Record<string, unknown>, classes: data.classes, method: method.state(),
    optimizer: { paramGroups: [], scalars: {} }, scheduler: sched.stateDict(), loader: loader.state() as unknown as Record<string, unknown>,
    best, metricsBytes: metrics.bytes, selectedModel: teacher ? 'teacher' : 'student',
  });

  try {
    for (let step = startStep; step < total; step++) {
      const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
      await yieldToSignals();
      // Distributed: every rank stops at the same step when any was asked to (rank 0 writes the checkpoint).
      if (o.dist ? o.dist.anyRank(stopRequested(o.signal)) : stopRequested(o.signal)) {
        // Everything here is as at the end of step - 1: the same checkpoint an epoch's end writes, mid-epoch.
        if (writes) torch.tidy(() => saveCheckpoint(lastPath, { meta: checkpointMeta(step, epoch), student, teacher, optimizer: opt.stateDict(), rng: torch.getRngState() }));
        throw new TrainingStoppedError(step, lastPath, stopExitCode(o.signal), resumeCommand(o.command, cfg.out));
      }
      const batch = await loader.next();
      const ts = performance.now();
      const ctx: StepContext = { student, teacher, numClasses: C, epoch, step, stepsPerEpoch: cfg.stepsPerEpoch, totalSteps: total };
      student.train();
      if (cfg.warmupSteps > 0) applyWarmup(opt, sched, step, cfg.warmupSteps);
      torch.tidy(() => {
        opt.zeroGrad();
        const r = method.step(batch, ctx);
        // Terms stay on the device; read (and checked for NaN/Inf) at log steps and before checkpoints.
        deviceTerms.record(step, { total: r.loss, ...r.terms }, r.stats);
        r.loss.backward();
        o.dist?.afterBackward(student);
        opt.step();
        if (method.studentShrink) shrinkWeights(student, 1 - method.studentShrink * opt.lr);
        if (teacher) emaUpdate(teacher, student, emaDecayAt(step, runDefaults.emaDecay), (cfg.emaBuffers ?? 'average') === 'average');
        monitor.observeStep(r.stats);
      });
      disposeBatch(batch);
      const logStep = step % cfg.logEvery === 0 || (step + 1) % cfg.stepsPerEpoch === 0;
      if (logStep) {
        const read = deviceTerms.read();
        if (read.diverged) throw new TrainingDivergedError(read.diverged.step, read.diverged.term, read.diverged.value);
        ({ terms, stats: lastStats } = read);
      }
      const dt = (performance.now() - ts) / 1000;
      stepTimeEma = stepTimeEma ? 0.9 * stepTimeEma + 0.1 * dt : dt;
      const imgPerSec = imagesPerStep / stepTimeEma;
      o.events?.onStep?.({ step, epoch, totalSteps: total, terms, imgPerSec, lr: opt.lr });
      if (logStep) metrics.write({ kind: 'step', epoch, step, lr: opt.lr, loss: terms, ...lastStats, imgPerSec });
      if ((step + 1) % cfg.stepsPerEpoch === 0) {
        const extra = method.onEpochEnd
          ? await method.onEpochEnd({
              epoch, student, teacher, numClasses: C,
              predictLabelled: async (m, po) => {
                const o = { batch: cfg.evalBatch, device: cfg.device };
                const p = po?.weak
                  ? predictWeak(m, data.labelled.images, cfg.size, { ...o, seed: cfg.seed, purpose: `labelled-weak-epoch-${epoch}`, padding: cfg.cropPadding })
                  : predict(m, data.labelled.images, cfg.size, o);
                return { probs: p.probs, labels: data.labelled.labels };
              },
            })
          : {};
        if (o.dist) method.loadState(o.dist.broadcastJson(method.state()));
        sched.step();
        const { selection: score, ...scores } = await epochScores(data, evaluate, student, teacher, cfg.evalTestEveryEpoch);
        const relabel = (method as { labelledLoss?: { summary?: () => Record<string, unknown> } }).labelledLoss?.summary?.();
        const health = monitor.endEpoch(epoch, step + 1, scores.student?.accuracy, scores.teacher?.accuracy, scores.split === 'validation' ? data.validation?.labels.length : undefined);
        lastHealth = health;
        warnings.push(...health.warnings);
        for (const w of health.warnings) metrics.write({ kind: 'warning', epoch, message: w });
        metrics.write({
          kind: 'epoch', epoch, ...scores, ...extra,
          pseudoLabelRate: health.pseudoLabelRate, teacherGap: health.teacherGap,
          ...(relabel ? { relabelled: relabel.relabelledTotal, relabelledByClass: relabel.relabelledByClass, labelsChanged: relabel.changedNow } : {}),
        });
        o.events?.onEpoch?.({ epoch, split: scores.split, student: scores.student, teacher: scores.teacher, health });
        const meta = checkpointMeta(step + 1, epoch);
        if (writes) torch.tidy(() => {
          const rng = torch.getRngState();
          if (score !== null && (!best || score > best.score)) {
            best = { score, epoch };
            saveCheckpoint(bestPath, { meta: { ...meta, best }, student, teacher, optimizer: opt.stateDict(), rng });
          }
          saveCheckpoint(lastPath, { meta: { ...meta, best }, student, teacher, optimizer: opt.stateDict(), rng });
        });
      }
    }
  } finally {
    deviceTerms.dispose();
    await loader.close();
  }

  // The selected model is the final one (EMA teacher where there is one): no test-set peeking.
  // The test split is read here, once (or was, every epoch, when asked).
  const selected = teacher ?? student;
  const testSet = await data.test.read();
  const finalEval = evaluate(selected, testSet);
  const sEval = teacher ? evaluate(student, testSet) : finalEval;
  if (writes) {
    writeFileSync(join(cfg.out, 'eval.json'), JSON.stringify({ split: data.test.split, model: teacher ? 'teacher' : 'student', ...finalEval }));
    saveModelFile(join(cfg.out, 'model.safetensors'), selected, { classes: data.classes, size: cfg.size, arch: cfg.model, method: cfg.method });
  }
  const relabel = (method as { labelledLoss?: { summary?: () => Record<string, unknown> } }).labelledLoss?.summary?.();
  const bestFinal = best as { score: number; epoch: number } | null;
  const bestTest = writes && bestFinal && bestCheckpointOnTest(bestPath, bestFinal.epoch, cfg.epochs, finalEval, () => buildModel(cfg, method, C, runDefaults.headScale), (m) => evaluate(m, testSet));
  const summary: TrainSummary = {
    method: cfg.method, model: cfg.model, dataset: cfg.dataset, labels: cfg.labels, seed: cfg.seed, epochs: cfg.epochs, classes: data.classes,
    selectedModel: teacher ? 'teacher' : 'student',
    accuracy: finalEval.accuracy, meanClassAccuracy: finalEval.meanClassAccuracy, macroF1: finalEval.macroF1, ece: finalEval.ece,
    student: { accuracy: sEval.accuracy, meanClassAccuracy: sEval.meanClassAccuracy, macroF1: sEval.macroF1 },
    teacher: teacher ? { accuracy: finalEval.accuracy, meanClassAccuracy: finalEval.meanClassAccuracy, macroF1: finalEval.macroF1 } : undefined,
    validation: data.validation ? { source: data.validation.source, ...short(evaluate(selected, data.validation)) } : null,
    best: bestFinal && bestTest ? { epoch: bestFinal.epoch, accuracy: bestFinal.score, split: 'validation', test: short(bestTest) } : null,
    numLabelled: data.labelled.labels.length,
    numValidation: data.validation?.labels.length ?? 0,
    numUnlabelled: data.unlabelled ? data.unlabelled.images.length / (cfg.size * cfg.size * 3) : 0,
    numTest: testSet.labels.length,
    labelNoise: cfg.labelNoise ?? 0,
    skipped: data.skipped.length,
    relabel,
    defaults: runDefaults,
    semiSupervised: method.unlabelledViews.length ? { pseudoLabelRate: lastHealth?.pseudoLabelRate, teacherGap: lastHealth?.teacherGap, warnings } : undefined,
    imgPerSec: stepTimeEma ? imagesPerStep / stepTimeEma : 0,
    seconds: (performance.now() - t0) / 1000,
    endTime: new Date().toISOString(),
  };
  if (writes) writeFileSync(join(cfg.out, 'summary.json'), JSON.stringify(summary, null, 2));
  student.dispose();
  teacher?.dispose();
  return summary;
}
