/**
 * Says when a semi-supervised run is not doing semi-supervised learning, so the
 * user learns it from the log and the report instead of from a disappointing
 * comparison:
 *  - no pseudo-label accepted for a whole epoch: the unlabelled loss is off,
 *    and the run is supervised training with extra cost;
 *  - the EMA teacher (the model a teacher method reports) trails its own
 *    student by more than TEACHER_GAP_POINTS, and by more than two standard
 *    errors of an accuracy on the validation split (with 70 validation images
 *    one image is 1.4 points, and a 4-point gap is noise), once it has had time
 *    to follow: its decay is too slow for the run (without a validation split,
 *    not checked);
 *  - most unlabelled images get a pseudo-label while the model that makes them
 *    (the teacher, else the student) puts most validation images in one class:
 *    the method is training on its own guesses, all of one class, and can stay
 *    locked there (DTA+SNL from a face-pretrained backbone did: its thresholds
 *    follow the mean confidence, so they let about half the guesses through
 *    whatever their quality; docs/results.md).
 * Methods report the fraction of unlabelled images whose pseudo-label is used
 * as the step statistic `maskRate`.
 */
import type { Scores } from './validation.js';

/** Accuracy points by which the teacher may trail the student before a warning. */
export const TEACHER_GAP_POINTS = 3;

/**
 * A pseudo-label rate and a share of validation images in the most predicted class
 * above which the run is warned of a collapse. Balanced validation images give each
 * class 1/C of them; 80 % in one class of seven is a model that answers one class.
 */
export const COLLAPSE_RATE = 0.5;
export const COLLAPSE_SHARE = 0.8;

/** What the monitor reads of a model's scores on the validation images (validation.ts's Scores). */
export type ValidationScore = Pick<Scores, 'accuracy' | 'mostPredicted'>;

export interface EpochHealth {
  /** Mean fraction of unlabelled images with an accepted pseudo-label over the epoch's steps (methods that report one). */
  pseudoLabelRate?: number;
  /** Teacher minus student accuracy in points (teacher methods). */
  teacherGap?: number;
  warnings: string[];
}

export class SemiSupervisedMonitor {
  private rateSum = 0;
  private rateSteps = 0;
  /** The largest consistency weight of the epoch (Mean Teacher), -1 when the method reports none. */
  private maxConsistencyWeight = -1;

  /**
   * @param teacherSettleSteps steps after which the teacher should have caught up
   *   (two time constants of its EMA); earlier gaps are expected.
   */
  constructor(readonly method: string, readonly teacherSettleSteps: number, readonly classNames: readonly string[] = []) {}

  observeStep(stats: Record<string, unknown>): void {
    const rate = stats.maskRate;
    if (typeof rate === 'number' && Number.isFinite(rate)) {
      this.rateSum += rate;
      this.rateSteps++;
    }
    const w = stats.consistencyWeight;
    if (typeof w === 'number' && Number.isFinite(w)) this.maxConsistencyWeight = Math.max(this.maxConsistencyWeight, w);
  }

  /**
   * Closes the epoch: its pseudo-label rate, the teacher's gap, and the warnings they call for.
   * `scores`: the models' scores on the epoch's images (`split`: the validation images, or the test
   * split's with --eval-test-every-epoch and no validation split), and the number of validation images.
   */
  endEpoch(epoch: number, stepsDone: number, scores: { student?: ValidationScore; teacher?: ValidationScore; validationSize?: number; split?: 'validation' | 'test' } = {}): EpochHealth {
    const health: EpochHealth = { warnings: [] };
    const studentAccuracy = scores.student?.accuracy;
    const teacherAccuracy = scores.teacher?.accuracy;
    const validationSize = scores.validationSize ?? Infinity;
    if (this.rateSteps > 0) {
      health.pseudoLabelRate = this.rateSum / this.rateSteps;
      if (health.pseudoLabelRate === 0) {
        health.warnings.push(`epoch ${epoch}: ${this.method} accepted no pseudo-label in the whole epoch, so its unlabelled loss was off ` +
          '(no unlabelled image reached its confidence threshold or margin); so far this is supervised training');
      }
    }
    // The first epoch's weight is 0 by design (ramp-up; Mean Teacher's κ before its teacher was judged).
    if (this.maxConsistencyWeight === 0 && epoch > 1) {
      health.warnings.push(`epoch ${epoch}: ${this.method}'s consistency weight was 0 for the whole epoch, so its unlabelled loss was off ` +
        "(its teacher is no better than chance on the validation images); so far this is supervised training");
    }
    if (teacherAccuracy !== undefined && studentAccuracy !== undefined) {
      health.teacherGap = 100 * (teacherAccuracy - studentAccuracy);
      const p = studentAccuracy;
      const twoStandardErrors = 200 * Math.sqrt((p * (1 - p)) / validationSize);
      if (stepsDone >= this.teacherSettleSteps && -health.teacherGap > Math.max(TEACHER_GAP_POINTS, twoStandardErrors)) {
        health.warnings.push(`epoch ${epoch}: the EMA teacher (${(100 * teacherAccuracy).toFixed(1)} %) trails its student ` +
          `(${(100 * studentAccuracy).toFixed(1)} %) by ${(-health.teacherGap).toFixed(1)} points; its decay may be too slow for this run (--ema-decay)`);
      }
    }
    const labeller = scores.teacher ?? scores.student;
    if (labeller?.mostPredicted && (health.pseudoLabelRate ?? 0) >= COLLAPSE_RATE) {
      const { class: cls, share } = labeller.mostPredicted;
      if (share >= COLLAPSE_SHARE) {
        health.warnings.push(`epoch ${epoch}: ${this.method} gave ${(100 * health.pseudoLabelRate!).toFixed(0)} % of the unlabelled images a pseudo-label ` +
          `while its ${scores.teacher ? 'teacher' : 'model'} puts ${(100 * share).toFixed(0)} % of the ${scores.split ?? 'validation'} images in one class (${this.classNames[cls] ?? `class ${cls}`}): ` +
          'it is training on its own guesses and may stay locked on that class');
      }
    }
    this.rateSum = 0;
    this.rateSteps = 0;
    this.maxConsistencyWeight = -1;
    return health;
  }
}
