/**
 * Supervised training of an action-unit model (`semifer train --task au`): a
 * backbone with one logit per AU, sigmoid + binary cross-entropy
 * (methods/losses/actionUnitBce.ts) on the FACS-coded images (auData.ts).
 * The run folder is an expression run's: config.json, metrics.jsonl,
 * checkpoint-last and checkpoint-best after every epoch (atomic; best by the
 * validation images' mean per-AU F1 at threshold 0.5), --resume, Ctrl-C with a
 * checkpoint, then model.safetensors (task 'au' and its AU list), eval.json,
 * au-predictions.csv (the test images' sigmoid outputs and targets) and
 * summary.json. The steps are an expression run's (trainStep.ts, trainResume.ts),
 * with the AU loss as the method (auMethod.ts); the epoch's end and the summary
 * score AUs instead of classes. Only the supervised method: pseudo-labelling AUs would need
 * per-AU thresholds and multi-label consistency, which no method here has
 * (docs/action-units.md).
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as torch from '../../torch/index.js';
import type { FerModel } from '../../models/index.js';
import { saveModelFile } from '../../models/modelFile.js';
import { actionUnitName } from '../../models/task.js';
import { readDataset } from '../../data/index.js';
import { predict } from '../../eval/predict.js';
import { evaluateActionUnits, type ActionUnitResult } from '../../eval/actionUnits.js';
import { balancedPosWeights, DEFAULT_AU_POS_WEIGHT } from '../../methods/losses/actionUnitBce.js';
import { buildModel, optimiserAndSchedule, placeModels } from '../trainSetup.js';
import { calibratePretrainedBackbone } from '../calibratePretrained.js';
import { resolveRunDefaults } from '../runDefaults.js';
import { checkRunBeforeData, checkBatch, loadPretrained, RunConfigError } from '../runChecks.js';
import { claimRunFolder } from '../runFolder.js';
import { recordedConfig } from '../configRecord.js';
import { checkResumeConfig, loadResumeCheckpoint, recordResume } from '../resumeCheck.js';
import { writeSkipped } from '../skippedRecord.js';
import { bestCheckpointOnTest } from '../validation.js';
import { TrainingStoppedError, stopExitCode, stopRequested } from '../stopRequest.js';
import { startOrResume } from '../trainResume.js';
import { trainStep } from '../trainStep.js';
import { runPaths, saveRunCheckpoint, type LoopRun } from '../trainRun.js';
import { DeviceTerms } from '../deviceTerms.js';
import { ActionUnitSupervised } from './auMethod.js';
import { auReaderOptions, prepareAuData, type AuImages } from './auData.js';
import { writeAuPredictions } from './auPredictions.js';
import { auMethodRefusal } from './auMethods.js';
import type { TrainConfig } from '../config.js';
import type { TrainOptions } from '../trainer.js';

/** Mean per-AU F1 and its AUs' scores, as summary.json records them. */
export type AuScores = Pick<ActionUnitResult, 'meanF1' | 'perAu'>;

export interface AuTrainSummary {
  task: 'au';
  method: string;
  model: string;
  dataset: string;
  seed: number;
  epochs: number;
  actionUnits: number[];
  posWeight: string;
  /** The final model on the test images. */
  test: AuScores & { split: string };
  meanF1: number;
  /** The final model on the validation images. */
  validation: { meanF1: number };
  /** checkpoint-best (highest validation mean F1): its epoch, validation and test mean F1. */
  best: { epoch: number; meanF1: number; split: 'validation'; test: AuScores } | null;
  numTrain: number;
  numValidation: number;
  numTest: number;
  skipped: number;
  imgPerSec: number;
  seconds: number;
  endTime: string;
}

export async function trainActionUnits(given: TrainConfig, o: TrainOptions = {}): Promise<AuTrainSummary> {
  const cfg: TrainConfig = { ...given, readerOptions: auReaderOptions(given.dataset, given.readerOptions) };
  const refusal = auMethodRefusal(cfg.method);
  if (refusal) throw new RunConfigError(refusal);
  if (o.dist) throw new RunConfigError('--task au does not train distributed yet: start it without --nproc or a launcher');
  checkRunBeforeData(cfg);
  const folder = claimRunFolder(cfg.out, { resume: o.resume, overwrite: o.overwrite, notice: o.events?.onNotice });
  try {
    return await trainInFolder(cfg, o);
  } finally {
    folder.release();
  }
}

/** Sigmoid outputs of `m` on a set of images, scored per AU at threshold 0.5. */
function scoreAus(m: FerModel, set: AuImages, aus: number[], cfg: TrainConfig): { probs: Float32Array; result: ActionUnitResult } {
  const probs = predict(m, set.images, cfg.size, { batch: cfg.evalBatch, device: cfg.device, activation: 'sigmoid' }).probs;
  return { probs, result: evaluateActionUnits(probs, set.targets, aus) };
}

const scoresOf = (r: ActionUnitResult): AuScores => ({ meanF1: r.meanF1, perAu: r.perAu });

async function trainInFolder(cfg: TrainConfig, o: TrainOptions): Promise<AuTrainSummary> {
  const t0 = performance.now();
  const notice = (text: string) => o.events?.onNotice?.(text);
  const resumed = o.resume ? loadResumeCheckpoint(cfg.out, notice) : null;
  const resume = resumed?.checkpoint ?? null;
  if (resumed) recordResume(cfg.out, { nextStep: resumed.checkpoint.meta.nextStep, checkpoint: basename(resumed.path), changes: checkResumeConfig(resumed.checkpoint.meta.config, cfg), command: o.command }, notice);
  else writeFileSync(join(cfg.out, 'config.json'), JSON.stringify(recordedConfig(cfg, o.command), null, 2));

  torch.prepareDevice(cfg.device);
  torch.manualSeed(cfg.seed);
  const ds = await readDataset(cfg.dataset, cfg.root, cfg.readerOptions ?? {});
  const data = await prepareAuData(cfg, ds, (what, done, total) => {
    if (stopRequested(o.signal)) throw new TrainingStoppedError(0, null, stopExitCode(o.signal), '');
    o.events?.onProgress?.(what, done, total);
  });
  const { aus } = data;
  const names = aus.map(actionUnitName);
  if (resume && JSON.stringify(resume.meta.classes) !== JSON.stringify(names)) {
    throw new RunConfigError(`${cfg.out}: the checkpoint's AUs [${resume.meta.classes.join(', ')}] differ from the training images' [${names.join(', ')}]; resume with the dataset the run was trained on`);
  }
  writeSkipped(cfg.out, data.skipped);
  const numTrain = data.train.ids.length;
  checkBatch({ ...cfg, labels: 'all FACS-coded' }, numTrain);

  const posWeightKind = cfg.auPosWeight ?? DEFAULT_AU_POS_WEIGHT;
  const method = new ActionUnitSupervised(data.train.targets, aus.length, posWeightKind === 'balanced' ? balancedPosWeights(data.train.targets, aus.length) : null, cfg.device);
  const runDefaults = resolveRunDefaults(cfg, resume);
  const model = buildModel(cfg, method, aus.length, runDefaults.headScale);
  if (cfg.pretrained && !resume) {
    await loadPretrained(cfg.pretrained, cfg.model, (sd) => model.loadPretrainedBackbone(sd, cfg.pretrained!));
    calibratePretrainedBackbone(model, data.train.images, cfg.size);
  }
  placeModels(cfg, [model]);
  const { opt, sched } = optimiserAndSchedule(cfg, model, runDefaults.backboneLrScale);

  const total = cfg.epochs * cfg.stepsPerEpoch;
  // The step loop of an expression run (trainStep.ts), with the AU loss as its method.
  const run = startOrResume<LoopRun>({
    cfg, o, writes: true, ...runPaths(cfg.out), classes: names, numClasses: aus.length, runDefaults, method, student: model, teacher: null, opt, sched, total,
    // The loader serves each image's row number as its "label": the method looks its AU targets up by it.
    loaderOpts: {
      labelled: { images: data.train.images, labels: Int32Array.from({ length: numTrain }, (_, i) => i), size: cfg.size },
      batchSize: cfg.batch, mu: 0, labelledViews: method.labelledViews, unlabelledViews: [],
      seed: cfg.seed, prefetch: cfg.prefetch, device: cfg.device, augment: { weak: { padding: runDefaults.cropPadding } },
    },
    imagesPerStep: cfg.batch, deviceTerms: new DeviceTerms(), startStep: 0, best: null, stepTimeEma: 0, terms: {}, lastStats: {},
  }, resume);
  o.events?.onData?.({ classes: names, labelled: numTrain, unlabelled: 0, validation: data.validation.ids.length, test: data.test.ids.length, skipped: data.skipped.length, startStep: run.startStep, totalSteps: total });
  try {
    for (let step = run.startStep; step < total; step++) {
      const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
      await trainStep(run, step, epoch);
      if ((step + 1) % cfg.stepsPerEpoch === 0) {
        sched.step();
        const v = scoreAus(model, data.validation, aus, cfg).result;
        run.metrics.write({ kind: 'epoch', epoch, split: 'validation', actionUnits: { meanF1: v.meanF1, f1: Object.fromEntries(v.perAu.map((a) => [actionUnitName(a.au), a.f1])) } });
        o.events?.onEpoch?.({ epoch, split: 'validation', meanAuF1: v.meanF1 });
        if (!run.best || v.meanF1 > run.best.score) {
          run.best = { score: v.meanF1, epoch };
          saveRunCheckpoint(run, run.bestPath, step + 1, epoch);
        }
        saveRunCheckpoint(run, run.lastPath, step + 1, epoch);
      }
    }
  } finally {
    run.deviceTerms.dispose();
    await run.loader.close();
  }
  const { best, stepTimeEma, bestPath } = run;

  const test = scoreAus(model, data.test, aus, cfg);
  const validation = scoreAus(model, data.validation, aus, cfg).result;
  writeFileSync(join(cfg.out, 'eval.json'), JSON.stringify({ split: data.test.split, model: 'student', task: 'au', ...test.result }));
  writeAuPredictions(join(cfg.out, 'au-predictions.csv'), data.test.ids, aus, test.probs, data.test.targets);
  saveModelFile(join(cfg.out, 'model.safetensors'), model, { classes: names, size: cfg.size, arch: cfg.model, method: cfg.method, actionUnits: aus });
  const bestTest = best && bestCheckpointOnTest(bestPath, best.epoch, cfg.epochs, test.result, () => buildModel(cfg, method, aus.length, runDefaults.headScale), (m) => scoreAus(m, data.test, aus, cfg).result);
  const summary: AuTrainSummary = {
    task: 'au', method: cfg.method, model: cfg.model, dataset: cfg.dataset, seed: cfg.seed, epochs: cfg.epochs, actionUnits: aus, posWeight: posWeightKind,
    test: { split: data.test.split, ...scoresOf(test.result) }, meanF1: test.result.meanF1,
    validation: { meanF1: validation.meanF1 },
    best: best && bestTest ? { epoch: best.epoch, meanF1: best.score, split: 'validation', test: scoresOf(bestTest) } : null,
    numTrain, numValidation: data.validation.ids.length, numTest: data.test.ids.length, skipped: data.skipped.length,
    imgPerSec: stepTimeEma ? cfg.batch / stepTimeEma : 0, seconds: (performance.now() - t0) / 1000, endTime: new Date().toISOString(),
  };
  writeFileSync(join(cfg.out, 'summary.json'), JSON.stringify(summary, null, 2));
  model.dispose();
  method.dispose();
  return summary;
}
