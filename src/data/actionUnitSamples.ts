/**
 * The FACS-coded part of a dataset, for action-unit training and evaluation:
 * only images a coder looked at have AU targets (CK+ codes one frame per
 * sequence, the peak), so every other image is left out rather than read as
 * "no AU present". Training and `eval --run` both cut the dataset here before
 * drawing the run's held-out splits, so they draw the same ones.
 */
import { errorOfKind } from '../errorKind.js';
import type { Dataset } from './types.js';

/** An AU task on a dataset whose reader found no AU labels: the user's choice of dataset, exit 2. */
export class NoActionUnitsError extends errorOfKind('bad-input') {}

/** Datasets whose reader attaches FACS action units (Sample.actionUnits), for messages. */
export const ACTION_UNIT_FORMATS = ['ckplus (with its FACS/ folder)'] as const;

export function actionUnitDataset(ds: Dataset): Dataset {
  if (!ds.actionUnitNumbers?.length) {
    throw new NoActionUnitsError(`${ds.root}: the ${ds.format} dataset has no action-unit labels (no image is FACS-coded), so it cannot train or score an AU model; ` +
      `datasets with AU labels: ${ACTION_UNIT_FORMATS.join(', ')} (docs/action-units.md)`);
  }
  const splits = Object.fromEntries(Object.entries(ds.splits).map(([name, samples]) => [name, samples.filter((s) => s.actionUnits !== undefined)]));
  return { ...ds, splits: splits as Dataset['splits'] };
}
