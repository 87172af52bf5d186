/**
 * semifer's tensor library: LibTorch from TypeScript with PyTorch's names.
 *   import * as torch from './torch/index.js';
 *   const y = torch.tidy(() => model.forward(x).softmax(1));
 */
export { Tensor, type Scalar, type TensorLike, type ValuesIndices } from './tensor.js';
export * from './factory.js';
export { tidy, keep, dispose, scopeDepth } from './scope.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd.js';
export { setNumThreads, getNumThreads, manualSeed, getRngState, setRngState, memory, runtimeInfo, cuda, prepareDevice, type MemoryInfo, type RuntimeInfo } from './runtime.js';
export { type DType, isFloating } from './dtype.js';
export { autocast, PRECISIONS, type Precision } from './autocast.js';
export * as F from './functional.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export { saveSafetensors, loadSafetensors, loadSafetensorsOr, serializeSafetensors, parseSafetensors } from './serialize/safetensors.js';
export { loadPth, extractStateDict, loadStateDictFile, loadWeightsFile, type PthValue } from './serialize/pth.js';
export { PickledObject } from './serialize/pickle.js';
