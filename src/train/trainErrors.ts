/** A run that stopped because a loss term became NaN or infinite. */
export class TrainingDivergedError extends Error {
  /** The CLI's exit code for a diverged run. */
  readonly exitCode = 3;
  constructor(readonly step: number, readonly term: string, readonly value: number) {
    super(`training diverged at step ${step}: loss term ${term} is ${value}; the last good checkpoint is kept`);
    this.name = 'TrainingDivergedError';
  }
}
