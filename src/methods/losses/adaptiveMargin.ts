/**
 * Ada-CM's adaptive confidence margin (Li et al., CVPR 2022; METHODS.md §1).
 * After each epoch the EMA teacher predicts the labelled training set; over the
 * samples it classifies correctly, m_c = mean max-probability of class c, and
 *   T_c = max(T0, m_c · scale / (1 + e^(−slope·epoch)))
 * A class with no correctly classified sample keeps T0 (0.8).
 */
export interface MarginOptions {
  /** The floor and the epoch-1 value (0.8). */
  base?: number;
  /** The 0.97 of the paper. */
  scale?: number;
  /** The sigmoid's slope in the epoch (1). */
  slope?: number;
}

export function updateMargins(probs: Float32Array, labels: Int32Array, numClasses: number, epoch: number, o: MarginOptions = {}): number[] {
  const base = o.base ?? 0.8;
  const scale = o.scale ?? 0.97;
  const slope = o.slope ?? 1;
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
