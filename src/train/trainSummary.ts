/**
 * The end of a run: the selected model (the final one, the EMA teacher where
 * there is one: no test-set peeking) scored on the test split, read here once
 * (or every epoch, when asked), eval.json, model.safetensors and summary.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveModelFile } from '../models/modelFile.js';
import { bestCheckpointOnTest, short } from './validation.js';
import type { TrainRun } from './trainRun.js';
import type { TrainSummary } from './trainer.js';

export async function summariseRun(run: TrainRun): Promise<TrainSummary> {
  const { cfg, data, method, student, teacher, evaluate } = run;
  const selected = teacher ?? student;
  const testSet = await data.test.read();
  const finalEval = evaluate(selected, testSet);
  const sEval = teacher ? evaluate(student, testSet) : finalEval;
  if (run.writes) {
    writeFileSync(join(cfg.out, 'eval.json'), JSON.stringify({ split: data.test.split, model: teacher ? 'teacher' : 'student', ...finalEval }));
    saveModelFile(join(cfg.out, 'model.safetensors'), selected, { classes: data.classes, size: cfg.size, arch: cfg.model, method: cfg.method });
  }
  const relabel = method.relabelSummary?.();
  const bestFinal = run.best;
  const bestTest = run.writes && bestFinal && bestCheckpointOnTest(run.bestPath, bestFinal.epoch, cfg.epochs, finalEval, run.buildModel, (m) => evaluate(m, testSet));
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
    numUnlabelled: numUnlabelled(run),
    numTest: testSet.labels.length,
    labelNoise: cfg.labelNoise ?? 0,
    skipped: data.skipped.length,
    relabel,
    defaults: run.runDefaults,
    semiSupervised: method.unlabelledViews.length ? { pseudoLabelRate: run.lastHealth?.pseudoLabelRate, teacherGap: run.lastHealth?.teacherGap, warnings: run.warnings } : undefined,
    imgPerSec: run.stepTimeEma ? run.imagesPerStep / run.stepTimeEma : 0,
    seconds: (performance.now() - run.t0) / 1000,
    endTime: new Date().toISOString(),
  };
  if (run.writes) writeFileSync(join(cfg.out, 'summary.json'), JSON.stringify(summary, null, 2));
  return summary;
}

/** Unlabelled images in the run (their pixels are stored size × size × 3). */
export function numUnlabelled(run: TrainRun): number {
  return run.data.unlabelled ? run.data.unlabelled.images.length / (run.cfg.size * run.cfg.size * 3) : 0;
}
