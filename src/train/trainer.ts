/**
 * The training loop: epochs × steps of a method plug-in, with the EMA teacher,
 * LR schedule, evaluation of student and teacher on the validation images after
 * every epoch (the test split once, at the end: validation.ts), atomic
 * checkpoints (last, and best by validation accuracy), exact resume, NaN/Inf
 * detection, metrics.jsonl and summary.json. Progress goes to `events`; the CLI draws the bar.
 * The pieces, in the order a run goes through them: trainSetup.ts (data,
 * method, models, optimiser), trainResume.ts (fresh start or checkpoint),
 * trainStep.ts (one step), epochEnd.ts (scores, log, checkpoints) and
 * trainSummary.ts (test split, model file, summary.json), over one TrainRun
 * (trainRun.ts). What differs between methods stays behind Method's hooks.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RelabelSummary } from '../methods/index.js';
import type { TrainConfig } from './config.js';
import type { Scores } from './validation.js';
import type { ResolvedRunDefaults } from './runDefaults.js';
import type { EpochHealth } from './semiSupervisedMonitor.js';
import { checkResumeConfig, loadResumeCheckpoint, recordResume } from './resumeCheck.js';
import { claimRunFolder } from './runFolder.js';
import { checkRunBeforeData } from './runChecks.js';
import { recordedConfig } from './configRecord.js';
import { setUpRun } from './trainSetup.js';
import { startOrResume } from './trainResume.js';
import { trainStep } from './trainStep.js';
import { endEpoch } from './epochEnd.js';
import { numUnlabelled, summariseRun } from './trainSummary.js';
import type { DistributedContext } from '../distributed/context.js';

export { TrainingDivergedError } from './trainErrors.js';

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
  /** AU runs (src/train/actionUnits/): the mean per-AU F1 on `split`. */
  meanAuF1?: number;
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
  relabel?: RelabelSummary;
  /** The run-following defaults this run resolved (runDefaults.ts). */
  defaults: ResolvedRunDefaults;
  /** The last epoch's pseudo-label rate and teacher gap, and every warning the run gave. */
  semiSupervised?: { pseudoLabelRate?: number; teacherGap?: number; warnings: string[] };
  imgPerSec: number;
  seconds: number;
  endTime: string;
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
  // Distributed: only rank 0 writes the run folder.
  const writes = !o.dist || o.dist.isWriter;
  const resumed = o.resume ? loadResumeCheckpoint(cfg.out, (text) => o.events?.onNotice?.(text)) : null;
  const resume = resumed?.checkpoint ?? null;
  if (resumed && writes) {
    const changes = checkResumeConfig(resumed.checkpoint.meta.config, cfg);
    recordResume(cfg.out, { nextStep: resumed.checkpoint.meta.nextStep, checkpoint: basename(resumed.path), changes, command: o.command }, (text) => o.events?.onNotice?.(text));
  }
  if (!resume && writes) writeFileSync(join(cfg.out, 'config.json'), JSON.stringify(recordedConfig(cfg, o.command), null, 2));

  const run = startOrResume(await setUpRun(cfg, o, resume, t0, writes), resume);
  o.dist?.afterSetup([run.student, run.teacher]);
  const { data } = run;
  o.events?.onData?.({ classes: data.classes, labelled: data.labelled.labels.length, unlabelled: numUnlabelled(run), validation: data.validation?.labels.length ?? 0, test: data.test.listed, skipped: data.skipped.length, startStep: run.startStep, totalSteps: run.total });
  try {
    for (let step = run.startStep; step < run.total; step++) {
      const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
      await trainStep(run, step, epoch);
      if ((step + 1) % cfg.stepsPerEpoch === 0) await endEpoch(run, step, epoch);
    }
  } finally {
    run.deviceTerms.dispose();
    await run.loader.close();
  }
  const summary = await summariseRun(run);
  run.student.dispose();
  run.teacher?.dispose();
  return summary;
}
