/**
 * A backbone imported from a TF.js graph has its batch norms folded into the
 * convolutions; before fine-tuning, they are brought back to life on the
 * labelled images (GraphBackbone.calibrateBatchNorm says how and why).
 */
import { evalBatches } from '../data/loader.js';
import { GraphBackbone } from '../models/tfjs/graphBackbone.js';
import type { FerModel } from '../models/index.js';

/** Images per calibration forward pass (the statistics are sums, so this only bounds memory). */
const CALIBRATION_BATCH = 32;

/**
 * Calibrates `model`'s imported backbone on `images` (size × size × 3 uint8,
 * no augmentation); returns the number of images used, 0 when the backbone
 * has nothing to calibrate (another architecture, or already fine-tunable).
 */
export function calibratePretrainedBackbone(model: FerModel, images: Uint8Array, size: number): number {
  const backbone = model.backbone;
  if (!(backbone instanceof GraphBackbone) || !backbone.frozenBatchNorm) return 0;
  const batches = evalBatches(images, size, CALIBRATION_BATCH);
  return backbone.calibrateBatchNorm((function* () {
    for (const { x } of batches) {
      try {
        yield x;
      } finally {
        x.dispose();
      }
    }
  })());
}
