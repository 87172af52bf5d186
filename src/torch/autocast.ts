/**
 * Mixed precision through LibTorch's autocast: inside `autocast()`,
 * convolutions and matrix products run in bfloat16 while the weights stay
 * float32 (the optimiser updates float32 "master" weights; autograd casts the
 * gradients back). Callers keep losses and softmax in float32 by casting the
 * region's output (see FerModel).
 */
import { native } from './native.js';
import { dtypeCode } from './dtype.js';

/** The training precisions, the first the default. */
export const PRECISIONS = ['fp32', 'bf16'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Runs fn with autocast on for the device's type ('cpu' or 'cuda'); 'fp32' runs it as it is. */
export function autocast<T>(device: string, precision: Precision, fn: () => T): T {
  if (precision === 'fp32') return fn();
  const type = device === 'cpu' || device.startsWith('cuda') ? device.split(':')[0] : null;
  if (!type) throw new Error(`--precision ${precision} needs a cpu or cuda device, not '${device}'`);
  const wasOn = native().setAutocast(type, true, dtypeCode('bfloat16'));
  try {
    return fn();
  } finally {
    // Nested regions leave the outer one's switch alone.
    if (!wasOn) native().setAutocast(type, false, dtypeCode('bfloat16'));
  }
}
