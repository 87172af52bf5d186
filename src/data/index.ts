// The data layer's public surface: shared types and classes, readers, decoding,
// the decoded-image cache, splits, samplers, seeded randomness and inspection.
export * from './types.js';
export * from './classes.js';
export * from './readers/index.js';
export * from './decode.js';
export * from './frames.js';
export * from './imageCache.js';
export * from './splits.js';
export * from './validationSplit.js';
export * from './sampler.js';
export * from './random.js';
export * from './inspect.js';
export * from './attributes.js';
export * from './actionUnitSamples.js';
