/**
 * Subject-independent k-fold cross-validation as K ordinary training runs:
 * fold k trains on the other folds' subjects (the label budget — n per class,
 * a fraction or 'all' — is drawn from those; the rest are the unlabelled set)
 * and tests on its own. Run folders:
 *
 *   RUNDIR/folds.json       the plan: K, seed, each fold's subjects and test ids
 *   RUNDIR/fold-<k>/        a normal run (metrics.jsonl, checkpoints, summary.json, model.safetensors)
 *   RUNDIR/summary.json     per-fold accuracy, mean class accuracy, macro-F1; mean ± sample std
 *
 * With `resume`, finished folds (their summary.json exists) are read back,
 * an interrupted fold continues from its last checkpoint, and folds not yet
 * started start. The plan on disk must match the one asked for.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataset, parseLabelSpec, labelCounts, SplitError, type Dataset } from '../data/index.js';
import type { TrainConfig } from './config.js';
import { train, type TrainEvents, type TrainSummary } from './trainer.js';
import { planFolds, foldSamples, FoldError, type FoldPlan } from './foldSplit.js';
import { meanStd, type FoldResult, type FoldsSummary } from './foldSummary.js';

export interface FoldEvents {
  /** The folds are planned (before any training); `ignoredSplits` are official splits the folds leave out. */
  onPlan?(plan: FoldPlan): void;
  /** Fold k starts training (`resumed`: from its last checkpoint). */
  onFoldStart?(info: { k: number; folds: number; subjects: number; testImages: number; resumed: boolean }): void;
  /** Fold k is done: trained now, or read back because it had finished before (`skipped`). */
  onFoldEnd?(result: FoldResult, skipped: boolean): void;
  /** The training events of fold k's run (a fresh set per fold, e.g. a new progress bar). */
  train?(k: number): TrainEvents;
}

export interface TrainFoldsOptions {
  resume?: boolean;
  command?: string;
  events?: FoldEvents;
  /** Stops the fold being trained (TrainOptions.signal). */
  signal?: AbortSignal;
}

const foldDir = (out: string, k: number) => join(out, `fold-${k}`);

/** The plan as stored in RUNDIR/folds.json. */
function planRecord(cfg: TrainConfig, plan: FoldPlan) {
  return { format: 'semifer-folds', version: 1, dataset: cfg.dataset, root: cfg.root, ...plan };
}

function checkSavedPlan(file: string, cfg: TrainConfig, plan: FoldPlan): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<FoldPlan>;
  if (saved.folds !== plan.folds || saved.seed !== plan.seed) {
    throw new FoldError(`--resume: ${file} was planned with --folds ${saved.folds} --seed ${saved.seed}, not --folds ${plan.folds} --seed ${plan.seed}`);
  }
  if (JSON.stringify(saved.test) !== JSON.stringify(plan.test)) {
    throw new FoldError(`--resume: the folds of ${cfg.dataset} at ${cfg.root} differ from those in ${file} (the dataset changed?); start a new run folder`);
  }
}

/** Checks the label budget against each fold's training subjects before anything trains. */
function checkLabelBudget(cfg: TrainConfig, ds: Dataset, plan: FoldPlan, k: number): void {
  const { train: samples } = foldSamples(ds, plan, k);
  const available = ds.classes.map(() => 0);
  for (const s of samples) if (s.label >= 0) available[s.label]!++;
  try {
    labelCounts(parseLabelSpec(cfg.labels), ds.classes, available);
  } catch (e) {
    if (e instanceof SplitError) throw new FoldError(`fold ${k} of ${plan.folds} trains on the ${samples.length} images of the other fold(s): ${e.message}`);
    throw e;
  }
}

function resultOf(k: number, plan: FoldPlan, s: TrainSummary): FoldResult {
  return {
    fold: k, run: `fold-${k}`, subjects: plan.test[k - 1]!.subjects,
    numTest: s.numTest, numLabelled: s.numLabelled, numUnlabelled: s.numUnlabelled,
    accuracy: s.accuracy, meanClassAccuracy: s.meanClassAccuracy, macroF1: s.macroF1,
  };
}

export async function trainFolds(cfg: TrainConfig, folds: number, o: TrainFoldsOptions = {}): Promise<FoldsSummary> {
  const t0 = performance.now();
  const ds = await readDataset(cfg.dataset, cfg.root, cfg.readerOptions ?? {});
  const plan = planFolds(ds, folds, cfg.seed);
  const planFile = join(cfg.out, 'folds.json');
  if (o.resume) {
    if (!existsSync(planFile)) throw new FoldError(`--resume: ${cfg.out} holds no k-fold run (expected ${planFile})`);
    checkSavedPlan(planFile, cfg, plan);
  }
  const done = (k: number) => o.resume && existsSync(join(foldDir(cfg.out, k), 'summary.json'));
  for (let k = 1; k <= folds; k++) if (!done(k)) checkLabelBudget(cfg, ds, plan, k);
  mkdirSync(cfg.out, { recursive: true });
  if (!o.resume) writeFileSync(planFile, `${JSON.stringify(planRecord(cfg, plan), null, 1)}\n`);
  o.events?.onPlan?.(plan);

  const results: FoldResult[] = [];
  for (let k = 1; k <= folds; k++) {
    const out = foldDir(cfg.out, k);
    if (done(k)) {
      const r = resultOf(k, plan, JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as TrainSummary);
      results.push(r);
      o.events?.onFoldEnd?.(r, true);
      continue;
    }
    const resumed = !!o.resume && existsSync(join(out, 'checkpoint-last.safetensors'));
    o.events?.onFoldStart?.({ k, folds, subjects: plan.test[k - 1]!.subjects.length, testImages: plan.test[k - 1]!.ids.length, resumed });
    const summary = await train({ ...cfg, out, fold: { k, folds } }, { resume: resumed, command: o.command, events: o.events?.train?.(k), signal: o.signal });
    const r = resultOf(k, plan, summary);
    results.push(r);
    o.events?.onFoldEnd?.(r, false);
  }

  const summary: FoldsSummary = {
    kind: 'subject-k-fold',
    folds, dataset: cfg.dataset, root: cfg.root, method: cfg.method, model: cfg.model, labels: cfg.labels, seed: cfg.seed,
    ignoredSplits: plan.ignoredSplits,
    perFold: results,
    accuracy: meanStd(results.map((r) => r.accuracy)),
    meanClassAccuracy: meanStd(results.map((r) => r.meanClassAccuracy)),
    macroF1: meanStd(results.map((r) => r.macroF1)),
    seconds: (performance.now() - t0) / 1000,
    endTime: new Date().toISOString(),
  };
  writeFileSync(join(cfg.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
