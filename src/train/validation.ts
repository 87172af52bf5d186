/**
 * Model selection without the test split: after every epoch the student and
 * the EMA teacher are scored on the run's validation images (prepareData.ts,
 * src/data/validationSplit.ts), and the selected model's validation accuracy
 * picks checkpoint-best. The test split is scored after every epoch only when
 * asked (--eval-test-every-epoch, logged, never used to select), and otherwise
 * once, after the last epoch: the final model, and checkpoint-best's.
 */
import type { FerModel } from '../models/index.js';
import { mostPredicted, type EvalResult } from '../eval/metrics.js';
import { loadCheckpoint } from './checkpoint.js';
import type { EvalImages, PreparedData } from './prepareData.js';

export interface Scores {
  accuracy: number;
  meanClassAccuracy: number;
  macroF1: number;
  ece?: number;
  /** The class predicted most often and its share of the images (a collapse shows here first: semiSupervisedMonitor.ts). */
  mostPredicted?: { class: number; share: number };
}

export const short = (r: EvalResult): Scores => ({
  accuracy: r.accuracy, meanClassAccuracy: r.meanClassAccuracy, macroF1: r.macroF1, ece: r.ece ?? undefined, mostPredicted: mostPredicted(r.perClass.predicted),
});

type Evaluate = (m: FerModel, set: EvalImages) => EvalResult;

/** One epoch's scores: `student`/`teacher` on `split` (validation, else the test split when asked every epoch, else none). */
export interface EpochScores {
  split: 'validation' | 'test' | null;
  student?: Scores;
  teacher?: Scores;
  /** The test split's, with --eval-test-every-epoch while there is a validation split. */
  test?: { student: Scores; teacher?: Scores };
  /** The validation accuracy of the model the run selects (teacher where there is one); null without validation. */
  selection: number | null;
}

function scoreBoth(evaluate: Evaluate, set: EvalImages, student: FerModel, teacher: FerModel | null): { student: Scores; teacher?: Scores } {
  const s = short(evaluate(student, set));
  return teacher ? { student: s, teacher: short(evaluate(teacher, set)) } : { student: s };
}

export async function epochScores(data: PreparedData, evaluate: Evaluate, student: FerModel, teacher: FerModel | null, testEveryEpoch: boolean): Promise<EpochScores> {
  const test = testEveryEpoch ? scoreBoth(evaluate, await data.test.read(), student, teacher) : undefined;
  if (data.validation) {
    const v = scoreBoth(evaluate, data.validation, student, teacher);
    return { split: 'validation', ...v, ...(test ? { test } : {}), selection: (v.teacher ?? v.student).accuracy };
  }
  if (test) return { split: 'test', ...test, selection: null };
  return { split: null, selection: null };
}

/**
 * The test scores of checkpoint-best's selected model (teacher where saved):
 * `final` when the best epoch is the last one (the same weights), else the
 * checkpoint's weights loaded into `build()`'s fresh model.
 */
export function bestCheckpointOnTest<R = EvalResult>(bestPath: string, bestEpoch: number, lastEpoch: number, final: R, build: () => FerModel, evaluate: (m: FerModel) => R): R {
  if (bestEpoch === lastEpoch) return final;
  const c = loadCheckpoint(bestPath);
  const model = build();
  try {
    model.loadStateDict(c.teacher ?? c.student);
    model.eval();
    return evaluate(model);
  } finally {
    model.dispose();
    for (const m of [c.student, c.teacher ?? new Map()]) for (const t of m.values()) t.dispose();
    for (const s of Object.values(c.optimizerState)) for (const v of Object.values(s)) if (typeof v !== 'number') v.dispose();
    c.rng?.dispose();
  }
}
