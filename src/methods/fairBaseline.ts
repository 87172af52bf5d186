/**
 * Fair baselines (docs/methods.md §4: the baselines use the same backbone,
 * augmentation and optimiser as the method they are compared with). With
 * `fairBaseline` (the default; `--no-fair-baseline` turns it off) supervised,
 * FixMatch and Mean Teacher train the model Ada-CM trains: its head
 * (GAP → Dropout(0.5) → L2-normalised feature → Linear, with the run's
 * --head-scale) and its optimiser step (the same Adam, plus the authors'
 * per-step student weight shrink, Ada-CM's default studentShrink); FixMatch also keeps an EMA model
 * (decay --ema-decay, 0.999 as its reference), which it is evaluated and
 * selected with, as its reference implementations do; Mean Teacher is already.
 * The backbone (--model), the augmentations (the same weak and strong views)
 * and the optimiser settings (--optimizer, --lr) are shared by every method of
 * a run anyway. With SCN's noisy-label handling the head is SCN's, whatever this says (MethodBase).
 * Off: the plain baselines (a linear head without dropout, no shrink, FixMatch's student).
 */
import type { HeadKind } from '../models/index.js';
import { ADACM_HYPER } from './adacm.js';

export interface BaselineModel {
  head: HeadKind;
  studentShrink: number;
}

/** The head (with cross-entropy) and weight shrink of a baseline. */
export function baselineModel(fair: boolean): BaselineModel {
  return fair ? { head: 'adacm', studentShrink: ADACM_HYPER.studentShrink.default } : { head: 'linear', studentShrink: 0 };
}
