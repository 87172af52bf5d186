/**
 * The end of an epoch: the method's own end-of-epoch work (Ada-CM's margins, Mean Teacher's κ),
 * the schedule's step, scores on the validation images, the health of the
 * semi-supervised signal, the epoch's log line, and the checkpoints (last, and
 * best by validation accuracy).
 */
import type { EpochContext } from '../methods/index.js';
import { predict, predictWeak } from '../eval/predict.js';
import { evaluateProbs } from '../eval/metrics.js';
import type { FerModel } from '../models/index.js';
import type { EvalImages } from './prepareData.js';
import { epochScores } from './validation.js';
import { saveRunCheckpoint, type TrainRun } from './trainRun.js';

/** Predictions of a model on the labelled training set, for a method's end-of-epoch work. */
function labelledPredictor(run: TrainRun, epoch: number): EpochContext['predictLabelled'] {
  const { cfg, data } = run;
  return async (m, po) => {
    const o = { batch: cfg.evalBatch, device: cfg.device };
    const p = po?.weak
      ? predictWeak(m, data.labelled.images, cfg.size, { ...o, seed: cfg.seed, purpose: `labelled-weak-epoch-${epoch}`, padding: run.runDefaults.cropPadding })
      : predict(m, data.labelled.images, cfg.size, o);
    return { probs: p.probs, labels: data.labelled.labels };
  };
}

/**
 * This epoch's predictions of the validation images, one per model: the method's
 * end-of-epoch work (Ada-CM's margins, Mean Teacher's κ) and the epoch's scores
 * read the same images with the same weights, so each model predicts them once.
 */
function validationProbs(run: TrainRun): (m: FerModel, images: Uint8Array) => Float32Array {
  const { cfg } = run;
  const memo = new Map<FerModel, Float32Array>();
  return (m, images) => {
    let probs = memo.get(m);
    if (!probs) memo.set(m, (probs = predict(m, images, cfg.size, { batch: cfg.evalBatch, device: cfg.device }).probs));
    return probs;
  };
}

/** The run's validation images predicted by a model, for a method's end-of-epoch work; null without them. */
function validationPredictor(run: TrainRun, probsOf: ReturnType<typeof validationProbs>): EpochContext['predictValidation'] {
  const { validation } = run.data;
  return async (m) => (validation ? { probs: probsOf(m, validation.images), labels: validation.labels } : null);
}

/** After the epoch's last step (`step`). */
export async function endEpoch(run: TrainRun, step: number, epoch: number): Promise<void> {
  const { cfg, o, method, student, teacher, data, metrics } = run;
  const probsOf = validationProbs(run);
  const extra = method.onEpochEnd
    ? await method.onEpochEnd({ epoch, student, teacher, numClasses: run.numClasses, predictLabelled: labelledPredictor(run, epoch), predictValidation: validationPredictor(run, probsOf) })
    : {};
  // Distributed: rank 0's method state (margins, thresholds, relabels) becomes every rank's.
  if (o.dist) method.loadState(o.dist.broadcastJson(method.state()));
  run.sched.step();
  const evaluate = (m: FerModel, set: EvalImages) => (set === data.validation ? evaluateProbs(probsOf(m, set.images), set.labels, run.numClasses) : run.evaluate(m, set));
  const { selection: score, ...scores } = await epochScores(data, evaluate, student, teacher, cfg.evalTestEveryEpoch);
  const relabel = method.relabelSummary?.();
  const health = run.monitor.endEpoch(epoch, step + 1, {
    student: scores.student, teacher: scores.teacher, split: scores.split ?? undefined,
    validationSize: scores.split === 'validation' ? data.validation?.labels.length : undefined,
  });
  run.lastHealth = health;
  run.warnings.push(...health.warnings);
  for (const w of health.warnings) metrics.write({ kind: 'warning', epoch, message: w });
  metrics.write({
    kind: 'epoch', epoch, ...scores, ...extra,
    pseudoLabelRate: health.pseudoLabelRate, teacherGap: health.teacherGap,
    ...(relabel ? { relabelled: relabel.relabelledTotal, relabelledByClass: relabel.relabelledByClass, labelsChanged: relabel.changedNow } : {}),
  });
  o.events?.onEpoch?.({ epoch, split: scores.split, student: scores.student, teacher: scores.teacher, health });
  if (run.writes) {
    if (score !== null && (!run.best || score > run.best.score)) {
      run.best = { score, epoch };
      saveRunCheckpoint(run, run.bestPath, step + 1, epoch);
    }
    saveRunCheckpoint(run, run.lastPath, step + 1, epoch);
  }
}
