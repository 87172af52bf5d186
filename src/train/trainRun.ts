/**
 * A training run in progress: what setup (trainSetup.ts) builds and resume
 * (trainResume.ts) restores, and what each step (trainStep.ts), each epoch's
 * end (epochEnd.ts) and the summary (trainSummary.ts) read and update.
 */
import { join } from 'node:path';
import * as torch from '../torch/index.js';
import type { FerModel } from '../models/index.js';
import type { Method } from '../methods/index.js';
import type { TrainLoader, LoaderOptions } from '../data/loader.js';
import type { EvalResult } from '../eval/metrics.js';
import type { TrainConfig } from './config.js';
import type { PreparedData, EvalImages } from './prepareData.js';
import type { ResolvedRunDefaults } from './runDefaults.js';
import type { SemiSupervisedMonitor, EpochHealth } from './semiSupervisedMonitor.js';
import type { DeviceTerms } from './deviceTerms.js';
import type { MetricsLog } from './metricsLog.js';
import { saveCheckpoint, type CheckpointMeta } from './checkpoint.js';
import type { TrainOptions } from './trainer.js';

/**
 * What the step loop reads and updates (trainStep.ts, trainResume.ts,
 * checkpointMeta): an expression run (TrainRun) and an action-unit run
 * (actionUnits/trainActionUnits.ts) alike.
 */
export interface LoopRun {
  readonly cfg: TrainConfig;
  readonly o: TrainOptions;
  /** Whether this process writes the run folder (false on data-parallel ranks other than 0). */
  readonly writes: boolean;
  readonly lastPath: string;
  readonly bestPath: string;
  /** The model's output names, in order: the classes, or the action units. */
  readonly classes: string[];
  readonly numClasses: number;
  readonly runDefaults: ResolvedRunDefaults;
  readonly method: Method;
  readonly student: FerModel;
  readonly teacher: FerModel | null;
  readonly opt: torch.optim.Optimizer;
  readonly sched: torch.optim.LRScheduler;
  /** Steps in the whole run (epochs × steps per epoch). */
  readonly total: number;
  readonly loaderOpts: LoaderOptions;
  /** Images one step forwards (for img/s). */
  readonly imagesPerStep: number;
  /** Watches the unlabelled loss (semi-supervised runs). */
  readonly monitor?: SemiSupervisedMonitor;
  readonly deviceTerms: DeviceTerms;
  loader: TrainLoader;
  metrics: MetricsLog;
  startStep: number;
  best: { score: number; epoch: number } | null;
  stepTimeEma: number;
  /** The last logged step's terms and statistics (read from the device at log steps). */
  terms: Record<string, number>;
  lastStats: Record<string, number | number[]>;
}

/** An expression run: the loop's part, its data, its evaluation and its semi-supervised monitor. */
export interface TrainRun extends LoopRun {
  /** performance.now() when the run started (for the summary's seconds). */
  readonly t0: number;
  readonly data: PreparedData;
  /** Builds a model like the student (for checkpoint-best's test score). */
  readonly buildModel: () => FerModel;
  /** Scores a model on a set of evaluation images. */
  readonly evaluate: (m: FerModel, set: EvalImages) => EvalResult;
  readonly monitor: SemiSupervisedMonitor;
  /** Every warning the run gave. */
  readonly warnings: string[];
  lastHealth: EpochHealth | undefined;
}

/** The checkpoint metadata of the run as it stands before `nextStep`. */
export function checkpointMeta(run: LoopRun, nextStep: number, epoch: number): CheckpointMeta {
  return {
    format: 'semifer-checkpoint', version: 1, nextStep, epoch,
    config: run.cfg as unknown as Record<string, unknown>, classes: run.classes, method: run.method.state(),
    optimizer: { paramGroups: [], scalars: {} }, scheduler: run.sched.stateDict(), loader: run.loader.state() as unknown as Record<string, unknown>,
    best: run.best, metricsBytes: run.metrics.bytes, selectedModel: run.teacher ? 'teacher' : 'student',
  };
}

/**
 * Saves the run as it stands before `nextStep` to `path` (atomically,
 * checkpoint.ts): a stop mid-epoch, an epoch's end, an AU run's epoch end.
 */
export function saveRunCheckpoint(run: LoopRun, path: string, nextStep: number, epoch: number): void {
  torch.tidy(() => saveCheckpoint(path, { meta: checkpointMeta(run, nextStep, epoch), student: run.student, teacher: run.teacher, optimizer: run.opt.stateDict(), rng: torch.getRngState() }));
}

export function runPaths(out: string): { lastPath: string; bestPath: string } {
  return { lastPath: join(out, 'checkpoint-last.safetensors'), bestPath: join(out, 'checkpoint-best.safetensors') };
}
