/**
 * RUNDIR/au-predictions.csv: an AU run's test images with the final model's
 * sigmoid output and the coded target of every AU, so its per-AU scores can be
 * recomputed (or thresholded differently) without the model:
 *   id,AU1,AU2,…,AU1_true,AU2_true,…
 * Outputs are written with every digit a float32 has (JavaScript's shortest
 * round-trip form of the stored value), so a threshold at 0.5 splits them exactly as eval does.
 */
import { writeFileAtomic } from '../../files/writeFileAtomic.js';
import { actionUnitName } from '../../models/task.js';

/** The CSV column of an AU's target. */
export const TRUE_SUFFIX = '_true';

const field = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function writeAuPredictions(path: string, ids: readonly string[], aus: readonly number[], probs: Float32Array, targets: Float32Array): void {
  const K = aus.length;
  const header = ['id', ...aus.map(actionUnitName), ...aus.map((a) => `${actionUnitName(a)}${TRUE_SUFFIX}`)];
  const rows = ids.map((id, i) => [field(id), ...Array.from(probs.subarray(i * K, (i + 1) * K), String), ...Array.from(targets.subarray(i * K, (i + 1) * K), String)].join(','));
  writeFileAtomic(path, [header.join(','), ...rows].join('\n') + '\n');
}
