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
 *    not checked).
 * Methods report the fraction of unlabelled images whose pseudo-label is used
 * as the step statistic `maskRate`.
 */

/** Accuracy points by which the teacher may trail the student before a warning. */
export const TEACHER_GAP_POINTS = 3;

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
  constructor(readonly method: string, readonly teacherSettleSteps: number) {}

  observeStep(stats: Record<string, unknown>): void {
    const rate = stats.maskRate;
    if (typeof rate === 'number' && Number.isFinite(rate)) {
      this.rateSum += rate;
      this.rateSteps++;
    }
    const w = stats.consistencyWeight;
    if (typeof w === 'number' && Number.isFinite(w)) this.maxConsistencyWeight = Math.max(this.maxConsistencyWeight, w);
  }

  /** Closes the epoch: its pseudo-label rate, the teacher's gap, and the warnings they call for. */
  endEpoch(epoch: number, stepsDone: number, studentAccuracy?: number, teacherAccuracy?: number, validationSize = Infinity): EpochHealth {
    const health: EpochHealth = { warnings: [] };
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
    this.rateSum = 0;
    this.rateSteps = 0;
    this.maxConsistencyWeight = -1;
    return health;
  }
}
