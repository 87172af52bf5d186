/**
 * SCN — Self-Cure Network (Wang et al., CVPR 2020; docs/methods.md §2): the
 * supervised loop with SCN's head (importance α), logit-weighted CE, rank
 * regularisation and relabelling; augmentation: flip or Gaussian noise, random erasing.
 */
import { Supervised } from './supervised.js';
import { SCN_HYPER, type ScnLoss } from './labelledLoss.js';
import type { ViewKind } from './method.js';
import { declareMethod } from './declaration.js';

export class Scn extends Supervised {
  override readonly name = 'scn';
  override readonly labelledViews: ViewKind[] = ['scn'];
  constructor(loss: ScnLoss) {
    super(loss);
  }
}

export const method = declareMethod({
  name: 'scn',
  hyper: SCN_HYPER,
  // Its paper's optimiser settings: a larger rate, weight decay, and ×0.9 per epoch.
  training: { lr: 1e-3, weightDecay: 1e-4, schedule: 'exponential:0.9' },
  scnLoss: true,
  create: (i) => new Scn(i.labelledLoss as ScnLoss),
});
