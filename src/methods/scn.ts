/**
 * SCN — Self-Cure Network (Wang et al., CVPR 2020; METHODS.md §2): the
 * supervised loop with SCN's head (importance α), logit-weighted CE, rank
 * regularisation and relabelling; augmentation: flip or Gaussian noise, random erasing.
 */
import { Supervised } from './supervised.js';
import { ScnLoss, type ScnOptions } from './labelledLoss.js';
import type { ViewKind } from './method.js';

export class Scn extends Supervised {
  override readonly name = 'scn';
  override readonly labelledViews: ViewKind[] = ['scn'];
  constructor(numClasses: number, labels: Int32Array, o: ScnOptions = {}) {
    super(new ScnLoss(numClasses, labels, o));
  }
}
