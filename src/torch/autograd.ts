/** Gradient-mode switches (torch.no_grad / enable_grad). */
import { native } from './native.js';

/** Runs `fn` with gradient recording off (evaluation, optimiser updates, EMA). */
export function noGrad<T>(fn: () => T): T {
  const prev = native().setGradEnabled(false);
  try {
    return fn();
  } finally {
    native().setGradEnabled(prev);
  }
}

/** Runs `fn` with gradient recording on, even inside noGrad. */
export function enableGrad<T>(fn: () => T): T {
  const prev = native().setGradEnabled(true);
  try {
    return fn();
  } finally {
    native().setGradEnabled(prev);
  }
}

export function isGradEnabled(): boolean {
  const prev = native().setGradEnabled(true);
  native().setGradEnabled(prev);
  return prev;
}
