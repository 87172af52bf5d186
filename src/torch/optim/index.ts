export { Optimizer, type OptimizerStateDict, type ParamGroupSpec } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, ConstantLR, LinearWarmup } from './lrScheduler.js';
