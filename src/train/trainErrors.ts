import { errorOfKind } from '../errorKind.js';

/** A run that stopped because a loss term became NaN or infinite. */
export class TrainingDivergedError extends errorOfKind('diverged') {
  constructor(readonly step: number, readonly term: string, readonly value: number) {
    super(`training diverged at step ${step}: loss term ${term} is ${value}; the last good checkpoint is kept`);
  }
}
