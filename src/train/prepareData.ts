/**
 * From a TrainConfig to arrays the loader can serve: read the dataset, decode
 * through the on-disk cache, split labelled/unlabelled/validation (saved as
 * RUNDIR/split.json so the run can be reproduced, and reused on resume only),
 * optionally flip labels. The test images are decoded only when `test.read()`
 * is called, which the trainer does once, after the last epoch (or every epoch
 * with --eval-test-every-epoch). For one fold of a k-fold (cfg.fold) the test
 * images are that fold's subjects and the training split the other folds'
 * (foldSplit.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  readDataset, loadOrBuildCache, parseLabelSpec, splitLabelled, saveSplit, loadSplit, flipLabels, datasetValidationSplit, holdOutValidation,
  DataError, type Dataset, type DecodedImages, type LabelSplit, type Problem,
} from '../data/index.js';
import { gatherFrames } from '../data/frames.js';
import type { TrainConfig } from './config.js';
import { cutFold } from './foldSplit.js';
import { withRunTestSplit } from './runTestSet.js';
import { uniqueSkipped } from './skippedRecord.js';
import { RunConfigError } from './runChecks.js';

/** Decoded images with their labels, to evaluate on. */
export interface EvalImages {
  images: Uint8Array;
  labels: Int32Array;
  ids: string[];
}

export interface PreparedData {
  classes: string[];
  size: number;
  labelled: { images: Uint8Array; labels: Int32Array; trueLabels: Int32Array; ids: string[] };
  unlabelled: { images: Uint8Array; trueLabels?: Int32Array; ids: string[] } | null;
  /** The images that select checkpoint-best (validationSplit.ts), or null when the run has none. */
  validation: (EvalImages & { source: NonNullable<LabelSplit['validationSource']> }) | null;
  /** The test split: its name and how many images it lists; read() decodes them (once) and is called after training. */
  test: { split: string; listed: number; read(): Promise<EvalImages> };
  split: LabelSplit;
  /** Entries left out: by the reader (a missing image, a bad row; with its line) and by decoding (a corrupt image). */
  skipped: Problem[];
  flipped: number[];
}

export interface PrepareOptions {
  onProgress?: (what: string, done: number, total: number) => void;
  /**
   * Resuming a run whose checkpoint has these classes: the dataset must have the
   * same list (checked before anything is decoded), and the run's split.json is
   * reused. Without it a fresh split is drawn and written over any old one.
   */
  resumeClasses?: string[];
  /** False: draw the split but leave RUNDIR/split.json to another process (a distributed run's rank 0). */
  writeSplit?: boolean;
}

export async function prepareData(cfg: TrainConfig, o: PrepareOptions = {}): Promise<PreparedData> {
  const onProgress = o.onProgress;
  let ds = await readDataset(cfg.dataset, cfg.root, cfg.readerOptions ?? {});
  const readerSkipped = ds.problems.filter((p) => p.severity !== 'warning');
  if (o.resumeClasses && JSON.stringify(o.resumeClasses) !== JSON.stringify(ds.classes)) {
    throw new RunConfigError(`${cfg.out}: the checkpoint's classes [${o.resumeClasses.join(', ')}] differ from the ${cfg.dataset} dataset's [${ds.classes.join(', ')}]; resume with the dataset the run was trained on`);
  }
  const decode = (d: Dataset, split: string) =>
    loadOrBuildCache(d, split, cfg.size, cfg.cacheDir, { readerOptions: cfg.readerOptions, onProgress: (done: number, total: number) => onProgress?.(`decode ${d.format}/${split}`, done, total) });
  let train: DecodedImages;
  let testName: string;
  let test: PreparedData['test'];
  if (cfg.fold) {
    // One fold of a subject-independent k-fold: the train split, decoded once for all folds, cut by subject.
    let cut: DecodedImages;
    ({ dataset: ds, train, test: cut, testName } = cutFold(ds, await decode(ds, 'train'), cfg.fold, cfg.seed));
    test = { split: testName, listed: cut.ids.length, read: async () => ({ images: cut.pixels, labels: cut.labels, ids: cut.ids }) };
  } else {
    ({ dataset: ds, split: testName } = withRunTestSplit(ds, cfg.seed));
    train = await decode(ds, 'train');
    const testDs = ds;
    let read: Promise<EvalImages> | undefined;
    test = { split: testName, listed: ds.splits[testName]!.length, read: () => (read ??= decode(testDs, testName).then((t) => ({ images: t.pixels, labels: t.labels, ids: t.ids }))) };
  }
  const valName = cfg.fold ? null : datasetValidationSplit(ds);
  const byId = new Map(train.ids.map((id, i) => [id, i]));
  const trainSamples = ds.splits.train.filter((s) => byId.has(s.id)); // decodable ones only
  const splitFile = join(cfg.out, 'split.json');
  let split: LabelSplit;
  if (o.resumeClasses && existsSync(splitFile)) split = loadSplit(splitFile, trainSamples);
  else {
    split = splitLabelled(trainSamples, ds.classes, parseLabelSpec(cfg.labels), cfg.seed);
    if (valName) split = { ...split, validation: ds.splits[valName]!.map((s) => s.id), validationSource: 'dataset-val' };
    else if (cfg.valPerClass > 0) split = holdOutValidation(trainSamples, ds.classes, split, { perClass: cfg.valPerClass, inBudget: cfg.valInBudget }, cfg.seed);
    if (o.writeSplit !== false) saveSplit(splitFile, split);
  }
  const lRows = split.labelled.map((id) => byId.get(id)!);
  const trueLabels = Int32Array.from(lRows, (r) => train.labels[r]);
  let labels: Int32Array = trueLabels;
  let flipped: number[] = [];
  if (cfg.labelNoise && cfg.labelNoise > 0) {
    const f = flipLabels(trueLabels, cfg.labelNoise, ds.classes.length, cfg.seed + 1);
    labels = f.labels;
    flipped = f.flipped;
  }
  let unlabelled: PreparedData['unlabelled'] = null;
  const unlabelledSkipped: Problem[] = [];
  if (cfg.unlabelled) {
    const uds = await readDataset(cfg.unlabelled.dataset, cfg.unlabelled.root);
    const u = await decode(uds, 'train');
    unlabelledSkipped.push(...uds.problems.filter((p) => p.severity !== 'warning'), ...u.skipped);
    unlabelled = { images: u.pixels, ids: u.ids, trueLabels: u.labels.every((l) => l >= 0) ? u.labels : undefined };
  } else if (split.unlabelled.length) {
    const uRows = split.unlabelled.map((id) => byId.get(id)!);
    unlabelled = { images: gatherFrames(train.pixels, train.size, uRows), ids: split.unlabelled, trueLabels: Int32Array.from(uRows, (r) => train.labels[r]) };
  }
  let validation: PreparedData['validation'] = null;
  let valSkipped: Problem[] = [];
  if (split.validation?.length && split.validationSource) {
    if (split.validationSource === 'dataset-val') {
      if (!valName) throw new DataError(splitFile, undefined, `the split file takes its validation images from the dataset's 'val' split, but the ${ds.format} dataset at ${ds.root} has no separate one`);
      const v = await decode(ds, valName);
      valSkipped = v.skipped;
      const vRow = new Map(v.ids.map((id, i) => [id, i]));
      const rows = split.validation.filter((id) => vRow.has(id)).map((id) => vRow.get(id)!); // decodable ones only
      validation = { images: gatherFrames(v.pixels, v.size, rows), labels: Int32Array.from(rows, (r) => v.labels[r]), ids: rows.map((r) => v.ids[r]!), source: 'dataset-val' };
    } else {
      const rows = split.validation.map((id) => byId.get(id)!);
      validation = { images: gatherFrames(train.pixels, train.size, rows), labels: Int32Array.from(rows, (r) => train.labels[r]), ids: split.validation, source: split.validationSource };
    }
  }
  return {
    classes: ds.classes,
    size: cfg.size,
    labelled: { images: gatherFrames(train.pixels, train.size, lRows), labels, trueLabels, ids: split.labelled },
    unlabelled,
    validation,
    test,
    split,
    // The test split is decoded after training (validation.ts): its unreadable images are not counted here.
    skipped: uniqueSkipped([...readerSkipped, ...train.skipped, ...valSkipped, ...unlabelledSkipped]),
    flipped,
  };
}
