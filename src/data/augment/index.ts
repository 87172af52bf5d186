/**
 * Batched image augmentation on tensors (CPU or CUDA): float32 N×3×H×W in
 * [0, 1] in, the same out; ImageNet normalisation last. Every op is random per
 * image and exported with explicit parameters for deterministic use.
 */
export { toFloatImages, toUint8Images, asFloat01, checkImages } from './images.js';
export { type PerImage, perImageTensor, normals, mixSeeds } from './params.js';
export { IMAGENET_MEAN, IMAGENET_STD, normalize, normalize_, denormalize } from './normalize.js';
export { LUMA, grayscale, blend, brightness, color, contrast, sharpness, autoContrast, solarize, posterize, equalize } from './colorOps.js';
export {
  type Affine, type Interpolation, IDENTITY, rotationMap, shearXMap, shearYMap, translationMap, hflipMap, thenMap, toTheta,
  warpAffine, rotate, shearX, shearY, translate, hflip,
} from './geometricOps.js';
export { CUTOUT_FILL, type Rect, NO_RECT, type CutoutOptions, fillRects, cutoutRect, sampleCutout, cutout } from './cutout.js';
export { type WeakOptions, type WeakParams, sampleWeak, weakMap, applyWeak, weak } from './weak.js';
export {
  RAND_AUGMENT_OPS, RAND_AUGMENT_RANGES, type RandAugmentOp, type RandAugmentStep, type RandAugmentPlan, type RandAugmentOptions,
  opValue, sampleRandAugment, applyRandAugment, randAugment,
} from './randAugment.js';
export { type RandomErasingOptions, type ScnOptions, gaussianNoise, sampleErasingRect, randomErasing, scnAugment } from './noise.js';
export { type AugmentKind, AUGMENT_KINDS, type AugmentOptions, type Augment, checkAugmentOptions, buildAugment } from './pipeline.js';
