/**
 * Ada-CM's adaptive confidence margin (Li et al., CVPR 2022; docs/methods.md §1).
 * After each epoch the EMA teacher predicts the labelled training set; over the
 * samples it classifies correctly, m_c = mean max-probability of class c, and
 *   T_c = max(T0, m_c · scale / (1 + e^(−slope·epoch)))
 * A class with no correctly classified sample keeps T0 (`base`).
 */
import type { HyperTable } from '../declaration.js';

/** Ada-CM's hyper-parameters of the margins (adacm.ts declares them as its own). */
export const MARGIN_HYPER = {
  base: { type: 'number', default: 0.8, doc: 'margin floor and epoch-1 margin' },
  scale: { type: 'number', default: 0.97, doc: 'margin scale S in m_c·S/(1+e^(−slope·epoch))' },
  slope: { type: 'number', default: 1, doc: 'margin slope in the epoch' },
} as const satisfies HyperTable;

export interface MarginOptions {
  /** The floor and the epoch-1 value. */
  base?: number;
  /** The S of the paper. */
  scale?: number;
  /** The sigmoid's slope in the epoch. */
  slope?: number;
}

export function updateMargins(probs: Float32Array, labels: Int32Array, numClasses: number, epoch: number, o: MarginOptions = {}): number[] {
  const base = o.base ?? MARGIN_HYPER.base.default;
  const scale = o.scale ?? MARGIN_HYPER.scale.default;
  const slope = o.slope ?? MARGIN_HYPER.slope.default;
  const sum = new Array(numClasses).fill(0);
  const count = new Array(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[i * numClasses + c] > probs[i * numClasses + best]) best = c;
    if (best === labels[i]) {
      sum[best] += probs[i * numClasses + best];
      count[best] += 1;
    }
  }
  const factor = scale / (1 + Math.exp(-slope * epoch));
  return sum.map((s, c) => (count[c] ? Math.max(base, (s / count[c]) * factor) : base));
}

/** Ada-CM's split of the unlabelled batch: subset I (confident: s ≥ T_ĉ) and subset II (the rest). */
export function splitByMargin(maxProb: Float32Array, pseudo: Int32Array, thresholds: number[]): { subsetI: Uint8Array; countI: number } {
  const subsetI = new Uint8Array(maxProb.length);
  let countI = 0;
  for (let i = 0; i < maxProb.length; i++) {
    if (maxProb[i] >= thresholds[pseudo[i]]) {
      subsetI[i] = 1;
      countI++;
    }
  }
  return { subsetI, countI };
}
