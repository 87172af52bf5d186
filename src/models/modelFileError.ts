/**
 * A model (or checkpoint) file that cannot be used as it is: truncated,
 * metadata that describes an impossible model, weights that do not fit the
 * graph, NaN or infinite weights. The file is the user's, so this is bad input with
 * its name in the message, never a program error or a fault of the input photo.
 */
import { errorOfKind } from '../errorKind.js';

export class ModelFileError extends errorOfKind('bad-input') {}

/** The largest input side a model may declare (what image decoding accepts). */
export const MAX_INPUT_SIZE = 4096;

/** The index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(values: Float32Array | Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}
