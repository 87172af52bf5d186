/** What a head needs from a feature extractor: its last feature map and its width. */
import type { nn, Tensor } from '../torch/index.js';

export interface Backbone extends nn.Module {
  /** Channels of the last feature map = width of the pooled feature f. */
  readonly featureDim: number;
  /** N×3×H×W images → N×featureDim×h×w feature map (before pooling). */
  featureMap(x: Tensor): Tensor;
}
