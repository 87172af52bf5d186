/** `semifer label status`: what the labels file holds and, with a run, how well it separates the classes. */
import { existsSync } from 'node:fs';
import { NON_CLASS_ANSWERS, readLabelsFile } from '../data/labelsFile.js';
import { decodeFaces, type FaceFolder } from './faceFolder.js';
import { nearestMeanCrossValidation, type CrossValidation } from './crossValidate.js';

export interface LabelStatus {
  labelsFile: string;
  classes: string[];
  perClass: Record<string, number>;
  other: Record<string, number>;
  faces: number;
  unanswered: number;
  run?: {
    run: string;
    /** The run's own head on the labelled faces (optimistic when the run trained on them). */
    modelAccuracy: number;
    crossValidation: CrossValidation | null;
    /** Why there is no cross-validation (too few labels). */
    note?: string;
  };
}

export async function labelStatus(folder: FaceFolder, o: { run?: string; folds: number; seed?: number }): Promise<LabelStatus> {
  if (!existsSync(folder.labelsFile)) throw new Error(`${folder.labelsFile}: no labels file yet (label faces first: semifer label serve --unlabelled ${folder.dir})`);
  const { classes, answers } = readLabelsFile(folder.labelsFile);
  const perClass = Object.fromEntries(classes.map((c) => [c, 0]));
  const other = Object.fromEntries(NON_CLASS_ANSWERS.map((c) => [c, 0]));
  for (const a of answers) {
    if (a.label in perClass) perClass[a.label]!++;
    else other[a.label]!++;
  }
  const inFolder = new Set(folder.faces.map((f) => f.image));
  const status: LabelStatus = {
    labelsFile: folder.labelsFile, classes, perClass, other, faces: folder.faces.length,
    unanswered: folder.faces.length - answers.filter((a) => inFolder.has(a.image)).length,
  };
  if (o.run === undefined) return status;
  const { openRunModel } = await import('./runModel.js');
  const rm = await openRunModel(o.run);
  try {
    if (rm.meta.classes.join(',') !== classes.join(',')) throw new Error(`${o.run}: the run's classes (${rm.meta.classes.join(',')}) differ from the labels file's (${classes.join(',')})`);
    const byImage = new Map(folder.faces.map((f) => [f.image, f]));
    const labelled = answers.filter((a) => classes.includes(a.label) && byImage.has(a.image));
    const decoded = await decodeFaces(labelled.map((a) => byImage.get(a.image)!), rm.meta.size);
    const labels = Int32Array.from(decoded.kept, (i) => classes.indexOf(labelled[i]!.label));
    const { predict } = await import('../eval/predict.js');
    const { argmaxRows } = await import('../eval/metrics.js');
    const p = predict(rm.model, decoded.pixels, rm.meta.size, { features: true });
    const C = classes.length;
    const guess = argmaxRows(p.probs, C);
    let right = 0;
    labels.forEach((l, i) => { if (guess[i] === l) right++; });
    const smallest = Math.min(...[...new Set(labels)].map((c) => labels.filter((l) => l === c).length));
    const k = Math.min(o.folds, labels.length);
    const usable = labels.length >= 2 * C && new Set(labels).size >= 2;
    status.run = {
      run: o.run,
      modelAccuracy: labels.length ? right / labels.length : 0,
      crossValidation: usable ? nearestMeanCrossValidation({ data: p.features!, dim: p.featureDim! }, labels, C, k, o.seed) : null,
      ...(usable ? (smallest < k ? { note: `the smallest class has ${smallest} labels, fewer than ${k} folds: some folds lack it` } : {}) : { note: `cross-validation needs at least 2 labels per class on average (${labels.length} for ${C} classes)` }),
    };
    return status;
  } finally {
    rm.model.dispose();
  }
}
