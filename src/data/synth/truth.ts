/**
 * The ground truth behind a synthetic dataset, for analysis: each sample's
 * drawn expression, its intensity, the blended neighbour, and the (possibly
 * flipped) label that was written. Recomputed from the options alone — no
 * rendering — so it is cheap even for large datasets.
 */
import { generateFaceParams } from './params.js';
import { type PlanOptions, type PlannedSample, planDataset } from './plan.js';
import { Rng } from './random.js';

export interface SampleTruth extends PlannedSample {
  /** Expression intensity in (0, 1]; 0 for neutral faces. */
  intensity: number;
  /** A neighbouring expression mixed in at a lower intensity, if any. */
  blend: { expression: number; intensity: number } | null;
  /** Whether the face is partly covered (patch, hand, mask, bar) or wears sunglasses. */
  occluded: boolean;
}

export function datasetTruth(opts: PlanOptions & { nuisance?: number }): SampleTruth[] {
  return planDataset(opts).map((s) => {
    const p = generateFaceParams(new Rng(s.seed), s.trueLabel, { nuisance: opts.nuisance });
    return { ...s, intensity: p.intensity, blend: p.blend, occluded: p.scene.occlusion !== null || p.identity.glasses === 'sun' };
  });
}
