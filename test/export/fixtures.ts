// Models for the export tests: fresh FerModels whose BatchNorms carry
// non-trivial running statistics (so folding is really exercised) without
// activations blowing up through the depth of an untrained network.
import * as torch from '../../src/torch/index.js';
import { nn } from '../../src/torch/index.js';
import { createModel, type FerModel, type FerModelConfig } from '../../src/models/index.js';
import type { ModelFileMeta } from '../../src/models/modelFile.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../src/data/augment/normalize.js';
import { generatedImages } from '../../src/export/index.js';
import { evalBatches } from '../../src/data/loader.js';

export const CLASSES = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger'];

/**
 * A model with calibrated-then-randomised BatchNorms: one train-mode pass with
 * momentum 1 sets each running mean/var to real batch statistics, then every
 * BN gets random γ, β and its statistics are jittered (mean ± 0.1·σ, var × 0.7–1.4).
 * The head's weights are scaled by `headGain` so the logits spread over several
 * units and the probabilities are far from uniform (a weak test otherwise).
 */
export function exportableModel(config: Omit<FerModelConfig, 'numClasses'>, size: number, seed = 1, headGain = 10): FerModel {
  torch.manualSeed(seed);
  const model = createModel({ numClasses: CLASSES.length, ...config });
  const bns = model.modules().filter((m): m is nn.BatchNorm2d => m instanceof nn.BatchNorm2d);
  const momenta = bns.map((b) => b.momentum);
  for (const b of bns) (b as { momentum: number }).momentum = 1;
  model.train();
  torch.noGrad(() => {
    for (const { x } of evalBatches(generatedImages(8, size, seed + 100).pixels, size, 8)) {
      torch.tidy(() => void model.pooled(x));
      x.dispose();
    }
    for (const b of bns) {
      torch.tidy(() => {
        const c = b.numFeatures;
        const std = b.runningVar!.sqrt();
        b.runningMean!.add_(torch.randn([c]).mul(std).mul(0.1));
        b.runningVar!.mul_(torch.rand([c]).mul(0.7).add(0.7));
        b.weight!.copy_(torch.rand([c]).mul(0.8).add(0.6));
        b.bias!.copy_(torch.randn([c]).mul(0.1));
      });
    }
    for (const m of model.head.modules()) if (m instanceof nn.Linear) m.weight.mul_(headGain);
  });
  bns.forEach((b, i) => ((b as { momentum: number }).momentum = momenta[i]!));
  model.eval();
  return model;
}

/** What loadModelFile would return for this model. */
export function metaFor(model: FerModel, size: number, method = 'supervised'): ModelFileMeta {
  return {
    format: 'semifer-model', version: 1, config: model.config, classes: CLASSES, size, method,
    normalization: { mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] },
  };
}
