/**
 * Builds the report's data from a run folder: config.json, summary.json,
 * metrics.jsonl, the trained model (for test predictions, t-SNE of features and
 * face grids) and the dataset's test split (through the decoded-image cache).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportData, RunInfo } from './types.js';
import { readMetricsJsonl } from './metricsJsonl.js';
import { faceListsFromImages } from './faces.js';
import { actionUnitName } from '../models/task.js';

export interface RunFiles {
  config: Record<string, unknown> & { dataset: string; root: string; method: string; model: string; labels: string; seed: number; epochs: number; size: number; cacheDir: string; command?: string | null; startTime?: string; readerOptions?: Record<string, unknown>; fold?: { k: number; folds: number } | null };
  summary: Record<string, unknown> & { accuracy: number; meanClassAccuracy: number; macroF1: number; ece?: number | null; classes: string[]; student: { accuracy: number; meanClassAccuracy: number; macroF1: number }; teacher?: { accuracy: number; meanClassAccuracy: number; macroF1: number }; selectedModel: string; seconds?: number };
}

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new Error(`${path}: missing (${what}); is this a finished semifer run folder?`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

export function readRunFiles(run: string): RunFiles {
  return {
    config: readJson(join(run, 'config.json'), 'the run configuration') as RunFiles['config'],
    summary: readJson(join(run, 'summary.json'), 'written when training finishes') as RunFiles['summary'],
  };
}

/** The run facts and training curves only (cheap: no model, no images) — enough for `compare`. */
export function reportDataLight(run: string): ReportData {
  const { config, summary } = readRunFiles(run);
  if (isAuRun(config)) return auRunData(run, config, summary);
  const m = readMetricsJsonl(join(run, 'metrics.jsonl'));
  const info: RunInfo = {
    name: run.split('/').filter(Boolean).pop(),
    method: config.method,
    model: config.model,
    dataset: config.dataset,
    labelBudget: config.labels,
    seed: config.seed,
    epochs: config.epochs,
    startTime: config.startTime ?? '',
    endTime: typeof summary.endTime === 'string' ? summary.endTime : undefined,
    command: config.command ?? '',
    summary: {
      student: { ...summary.student, ece: summary.teacher ? undefined : summary.ece },
      teacher: summary.teacher ? { ...summary.teacher, ece: summary.ece } : undefined,
    },
  };
  return { run: info, classNames: summary.classes, metrics: m.rows, skippedMetricsLines: m.skipped };
}

/** An AU run's facts (train --task au): its summary has per-AU F1 where expression runs have accuracies. */
function auRunData(run: string, config: RunFiles['config'], summary: Record<string, unknown>): ReportData {
  const m = readMetricsJsonl(join(run, 'metrics.jsonl'));
  const aus = summary.actionUnits as number[];
  const none = { accuracy: NaN, meanClassAccuracy: NaN, macroF1: NaN };
  const info: RunInfo = {
    name: run.split('/').filter(Boolean).pop(),
    method: config.method, model: config.model, dataset: config.dataset,
    labelBudget: `all ${summary.numTrain as number} FACS-coded training images`,
    seed: config.seed, epochs: config.epochs, startTime: config.startTime ?? '',
    endTime: typeof summary.endTime === 'string' ? summary.endTime : undefined,
    command: config.command ?? '',
    summary: { student: none },
    actionUnits: { meanF1: summary.meanF1 as number, aus },
  };
  return { run: info, classNames: aus.map(actionUnitName), metrics: m.rows, skippedMetricsLines: m.skipped };
}

/** Whether a run folder holds an AU run (train --task au). */
function isAuRun(config: RunFiles['config']): boolean {
  return config.task === 'au';
}

export interface FullReportOptions {
  /** Points embedded by t-SNE (a stratified subset of the test split). */
  tsnePoints?: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

/** Everything: predictions of the trained model on the test split, t-SNE and face grids. */
export async function reportDataFull(run: string, o: FullReportOptions = {}): Promise<ReportData> {
  const data = reportDataLight(run);
  const { config } = readRunFiles(run);
  const { readDataset } = await import('../data/index.js');
  const { scoreModelFile } = await import('../eval/scoreModelFile.js');
  const { argmaxRows } = await import('../eval/metrics.js');
  const { evaluateByGroup } = await import('../eval/groups.js');
  const { attributesOfIds } = await import('../data/attributes.js');
  const { tsne } = await import('../eval/tsne.js');
  const ds = await readDataset(config.dataset, config.root, config.readerOptions ?? {});
  if (isAuRun(config)) {
    const { scoreActionUnitModel } = await import('../eval/scoreActionUnits.js');
    const au = await scoreActionUnitModel(join(run, 'model.safetensors'), ds, { runTest: config }, { onPredict: (done, total) => o.onProgress?.('predict', done, total) });
    data.actionUnits = au.result;
    data.evalModel = `${config.method} AU model, ${au.split} split`;
    return data;
  }
  const pred = await scoreModelFile(join(run, 'model.safetensors'), ds, { runTest: config }, {
    features: true,
    onPredict: (done, total) => o.onProgress?.('predict', done, total),
  });
  const { meta, images: test, split } = pred;
  const C = meta.classes.length;
  data.eval = pred.result;
  if (ds.attributeNames?.length) data.groups = evaluateByGroup(argmaxRows(pred.probs, C), test.labels, C, attributesOfIds(ds, test.ids), ds.attributeNames);
  data.evalModel = `${config.method} ${data.run.summary.teacher ? 'teacher (EMA)' : 'student'}, ${split} split`;
  // t-SNE on at most tsnePoints test images (every k-th, so classes keep their shares).
  const n = test.labels.length;
  const want = Math.min(n, o.tsnePoints ?? 800);
  const stride = n / want;
  const rows = Array.from({ length: want }, (_, i) => Math.floor(i * stride));
  const D = pred.featureDim!;
  const feats = new Float32Array(want * D);
  rows.forEach((r, i) => feats.set(pred.features!.subarray(r * D, (r + 1) * D), i * D));
  const points = tsne(feats, want, D, { seed: config.seed, onProgress: (it, total) => o.onProgress?.('t-SNE', it, total) });
  const guess = argmaxRows(pred.probs, C);
  const predicted = rows.map((r) => guess[r]!);
  data.tsne = { points, labels: rows.map((r) => test.labels[r]), predicted, description: `pooled ${D}-d features of ${want} ${split} images (${data.evalModel})` };
  data.faces = faceListsFromImages({ size: meta.size, pixels: test.pixels, ids: test.ids }, pred.probs, test.labels, C, 16);
  return data;
}
