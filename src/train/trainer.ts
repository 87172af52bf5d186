/**
 * The training loop: epochs × steps of a method plug-in, with the EMA teacher,
 * LR schedule, evaluation of student and teacher after every epoch, atomic
 * checkpoints (last and best), exact resume, NaN/Inf detection, metrics.jsonl
 * and summary.json. Progress goes to `events`; the CLI draws the bar.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../torch/index.js';
import { createModel, type FerModel } from '../models/index.js';
import { createMethod, type Method, type StepContext } from '../methods/index.js';
import { TrainLoader, disposeBatch, type LoaderOptions } from '../data/loader.js';
import { evaluateProbs, type EvalResult } from '../eval/metrics.js';
import type { TrainConfig } from './config.js';
import { prepareData, type PreparedData } from './prepareData.js';
import { predict, predictWeak } from './predict.js';
import { emaUpdate, emaDecayAt, shrinkWeights } from './ema.js';
import { saveCheckpoint, loadCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { MetricsLog } from './metricsLog.js';
import { parseSchedule } from './schedule.js';
import { saveModelFile } from './modelFile.js';
import { initFromRun } from './initFromRun.js';

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
  student: { accuracy: number; meanClassAccuracy: number; macroF1: number };
  teacher?: { accuracy: number; meanClassAccuracy: number; macroF1: number };
}

export interface TrainEvents {
  onData?(info: { classes: string[]; labelled: number; unlabelled: number; test: number; skipped: number; startStep: number; totalSteps: number }): void;
  onProgress?(what: string, done: number, total: number): void;
  onStep?(e: StepEvent): void;
  onEpoch?(e: EpochEvent): void;
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
  best: { epoch: number; accuracy: number } | null;
  numLabelled: number;
  numUnlabelled: number;
  numTest: number;
  labelNoise: number;
  relabel?: Record<string, unknown>;
  imgPerSec: number;
  seconds: number;
  endTime: string;
}

const short = (r: EvalResult) => ({ accuracy: r.accuracy, meanClassAccuracy: r.meanClassAccuracy, macroF1: r.macroF1, ece: r.ece ?? undefined });

function buildModel(cfg: TrainConfig, method: Method, numClasses: number): FerModel {
  return createModel({ arch: cfg.model, numClasses, head: method.head, dta: method.dta ? {} : false, logitScale: cfg.headScale ?? 1 });
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
}

export async function train(cfg: TrainConfig, o: TrainOptions = {}): Promise<TrainSummary> {
  const t0 = performance.now();
  mkdirSync(cfg.out, { recursive: true });
  const lastPath = join(cfg.out, 'checkpoint-last.safetensors');
  const bestPath = join(cfg.out, 'checkpoint-best.safetensors');
  const resume = o.resume && existsSync(lastPath) ? loadCheckpoint(lastPath) : null;
  if (o.resume && !resume) throw new Error(`--resume: no checkpoint in ${cfg.out} (expected ${lastPath})`);
  if (!resume) writeFileSync(join(cfg.out, 'config.json'), JSON.stringify({ ...cfg, command: o.command ?? null, startTime: new Date().toISOString() }, null, 2));

  torch.manualSeed(cfg.seed);
  const data: PreparedData = await prepareData(cfg, { onProgress: o.events?.onProgress, resumeClasses: resume?.meta.classes });
  const C = data.classes.length;
  const method = createMethod(cfg.method, { numClasses: C, labels: data.labelled.labels, noisyLabels: cfg.noisyLabels, hyper: cfg.hyper });
  if (method.unlabelledViews.length && !data.unlabelled) throw new Error(`method ${cfg.method} needs unlabelled data, but every training image is labelled (labels '${cfg.labels}')`);
  const student = buildModel(cfg, method, C);
  if (cfg.pretrained && !resume) {
    const sd = await torch.loadWeightsFile(cfg.pretrained);
    student.loadPretrainedBackbone(sd, cfg.pretrained);
    for (const t of sd.values()) t.dispose();
  }
  if (cfg.resumeFrom && !resume) initFromRun(student, cfg.resumeFrom, data.classes);
  let teacher: FerModel | null = null;
  if (method.usesTeacher) {
    teacher = buildModel(cfg, method, C);
    teacher.loadStateDict(student.stateDict());
    for (const p of teacher.parameters()) p.requiresGrad_(false);
    teacher.eval();
  }
  if (cfg.device !== 'cpu') {
    student.to(cfg.device);
    teacher?.to(cfg.device);
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
  };

  let startStep = 0;
  let best: { score: number; epoch: number } | null = null;
  let loader: TrainLoader;
  let metrics: MetricsLog;
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
    metrics = new MetricsLog(join(cfg.out, 'metrics.jsonl'), resume.meta.metricsBytes);
    for (const m of [resume.student, resume.teacher ?? new Map(), new Map(Object.entries(resume.optimizerState).flatMap(([i, s]) => Object.entries(s).filter(([, v]) => typeof v !== 'number').map(([k, v]) => [`${i}.${k}`, v as torch.Tensor])))]) {
      for (const t of m.values()) t.dispose();
    }
    resume.rng?.dispose();
  } else {
    loader = new TrainLoader(loaderOpts);
    metrics = new MetricsLog(join(cfg.out, 'metrics.jsonl'));
  }
  o.events?.onData?.({ classes: data.classes, labelled: data.labelled.labels.length, unlabelled: data.unlabelled ? data.unlabelled.images.length / (cfg.size * cfg.size * 3) : 0, test: data.test.labels.length, skipped: data.skipped, startStep, totalSteps: total });

  const evaluate = (m: FerModel) => evaluateProbs(predict(m, data.test.images, cfg.size, { batch: cfg.evalBatch, device: cfg.device }).probs, data.test.labels, C);
  const imagesPerStep = cfg.batch * method.labelledViews.length + (loaderOpts.unlabelled ? cfg.batch * cfg.mu * method.unlabelledViews.length : 0);
  let stepTimeEma = 0;
  let lastStats: Record<string, number | number[]> = {};

  try {
    for (let step = startStep; step < total; step++) {
      const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
      const batch = await loader.next();
      const ts = performance.now();
      const ctx: StepContext = { student, teacher, numClasses: C, epoch, step, stepsPerEpoch: cfg.stepsPerEpoch, totalSteps: total };
      student.train();
      const terms = torch.tidy(() => {
        opt.zeroGrad();
        const r = method.step(batch, ctx);
        const values: Record<string, number> = { total: r.loss.item() };
        for (const [k, t] of Object.entries(r.terms)) values[k] = t.item();
        for (const [k, v] of Object.entries(values)) if (!Number.isFinite(v)) throw new TrainingDivergedError(step, k, v);
        r.loss.backward();
        opt.step();
        if (method.studentShrink) shrinkWeights(student, 1 - method.studentShrink * opt.lr);
        if (teacher) emaUpdate(teacher, student, emaDecayAt(step, cfg.emaDecay));
        lastStats = r.stats;
        return values;
      });
      disposeBatch(batch);
      const dt = (performance.now() - ts) / 1000;
      stepTimeEma = stepTimeEma ? 0.9 * stepTimeEma + 0.1 * dt : dt;
      const imgPerSec = imagesPerStep / stepTimeEma;
      o.events?.onStep?.({ step, epoch, totalSteps: total, terms, imgPerSec, lr: opt.lr });
      if (step % cfg.logEvery === 0 || (step + 1) % cfg.stepsPerEpoch === 0) {
        metrics.write({ kind: 'step', epoch, step, lr: opt.lr, loss: terms, ...lastStats, imgPerSec });
      }
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
        sched.step();
        const s = evaluate(student);
        const t = teacher ? evaluate(teacher) : undefined;
        const relabel = (method as { labelledLoss?: { summary?: () => Record<string, unknown> } }).labelledLoss?.summary?.();
        metrics.write({
          kind: 'epoch', epoch, student: short(s), teacher: t ? short(t) : undefined, ...extra,
          ...(relabel ? { relabelled: relabel.relabelledTotal, relabelledByClass: relabel.relabelledByClass, labelsChanged: relabel.changedNow } : {}),
        });
        o.events?.onEpoch?.({ epoch, student: short(s), teacher: t ? short(t) : undefined });
        const score = (t ?? s).accuracy;
        const meta: CheckpointMeta = {
          format: 'semifer-checkpoint', version: 1, nextStep: step + 1, epoch,
          config: cfg as unknown as Record<string, unknown>, classes: data.classes, method: method.state(),
          optimizer: { paramGroups: [], scalars: {} }, scheduler: sched.stateDict(), loader: loader.state() as unknown as Record<string, unknown>,
          best, metricsBytes: metrics.bytes, selectedModel: teacher ? 'teacher' : 'student',
        };
        torch.tidy(() => {
          const rng = torch.getRngState();
          if (!best || score > best.score) {
            best = { score, epoch };
            saveCheckpoint(bestPath, { meta: { ...meta, best }, student, teacher, optimizer: opt.stateDict(), rng });
          }
          saveCheckpoint(lastPath, { meta: { ...meta, best }, student, teacher, optimizer: opt.stateDict(), rng });
        });
      }
    }
  } finally {
    await loader.close();
  }

  // The selected model is the final one (EMA teacher where there is one): no test-set peeking.
  const selected = teacher ?? student;
  const finalPred = predict(selected, data.test.images, cfg.size, { batch: cfg.evalBatch, device: cfg.device });
  const finalEval = evaluateProbs(finalPred.probs, data.test.labels, C);
  const sEval = teacher ? evaluate(student) : finalEval;
  writeFileSync(join(cfg.out, 'eval.json'), JSON.stringify({ split: data.test.split, model: teacher ? 'teacher' : 'student', ...finalEval }));
  saveModelFile(join(cfg.out, 'model.safetensors'), selected, { classes: data.classes, size: cfg.size, arch: cfg.model, method: cfg.method });
  const relabel = (method as { labelledLoss?: { summary?: () => Record<string, unknown> } }).labelledLoss?.summary?.();
  const bestFinal = best as { score: number; epoch: number } | null;
  const summary: TrainSummary = {
    method: cfg.method, model: cfg.model, dataset: cfg.dataset, labels: cfg.labels, seed: cfg.seed, epochs: cfg.epochs, classes: data.classes,
    selectedModel: teacher ? 'teacher' : 'student',
    accuracy: finalEval.accuracy, meanClassAccuracy: finalEval.meanClassAccuracy, macroF1: finalEval.macroF1, ece: finalEval.ece,
    student: { accuracy: sEval.accuracy, meanClassAccuracy: sEval.meanClassAccuracy, macroF1: sEval.macroF1 },
    teacher: teacher ? { accuracy: finalEval.accuracy, meanClassAccuracy: finalEval.meanClassAccuracy, macroF1: finalEval.macroF1 } : undefined,
    best: bestFinal ? { epoch: bestFinal.epoch, accuracy: bestFinal.score } : null,
    numLabelled: data.labelled.labels.length,
    numUnlabelled: data.unlabelled ? data.unlabelled.images.length / (cfg.size * cfg.size * 3) : 0,
    numTest: data.test.labels.length,
    labelNoise: cfg.labelNoise ?? 0,
    relabel,
    imgPerSec: stepTimeEma ? imagesPerStep / stepTimeEma : 0,
    seconds: (performance.now() - t0) / 1000,
    endTime: new Date().toISOString(),
  };
  writeFileSync(join(cfg.out, 'summary.json'), JSON.stringify(summary, null, 2));
  student.dispose();
  teacher?.dispose();
  return summary;
}
