/**
 * The native addon's exports, declared once: each name with its argument and
 * return types (the role of the tch crate's torch_api.h). `NativeAddon`, the
 * type every call from src/torch goes through, is derived from this list, so a
 * misspelt op, a missing argument or an argument of the wrong kind is a compile
 * error; test/torch/addonApi.test.ts checks that the built addon exports
 * exactly these names. The ops follow native/ops.cc line by line (same order,
 * same argument positions); a new op is one line there and one line here.
 */

/** An opaque native tensor handle (an N-API external). */
export type Handle = { readonly __nativeTensor: unique symbol };
/** An opaque private random generator (native/generator.cc). */
export type Generator = { readonly __nativeGenerator: unique symbol };
/** A LibTorch scalar: numbers that are integers act as Python ints, booleans as bools. */
export type Scalar = number | boolean;
/** A c10::ScalarType code (see dtype.ts). */
export type DTypeCode = number;

export interface NativeTensorInfo {
  shape: number[];
  dtype: DTypeCode;
  device: string;
  requiresGrad: boolean;
}

export interface NativeMemory {
  tensors: number;
  bytes: number;
  /** V8's count of external memory (AdjustExternalMemory with a change of 0). */
  v8ExternalBytes: number;
  /** glibc's bytes in use (mallinfo2); absent on other C libraries. */
  mallocBytes?: number;
}

export interface NativeRuntimeInfo {
  torchVersion: string;
  numThreads: number;
  cudaAvailable: boolean;
  cudaDeviceCount: number;
  parallelInfo: string;
  mkldnn: boolean;
}

export type DistBackend = 'gloo' | 'nccl';
export type DistReduceOp = 'sum' | 'max' | 'min';

export interface NativeGroupInfo {
  initialized: boolean;
  rank?: number;
  worldSize?: number;
  backend?: DistBackend;
  /** Whether this build has NCCL (a CUDA LibTorch with nccl.h). */
  nccl: boolean;
}

/** A declaration: the argument list and the return type, carried as types only. */
interface Op<Args extends unknown[], Returns> {
  readonly args?: Args;
  readonly returns?: Returns;
}
const op = <Args extends unknown[], Returns>(): Op<Args, Returns> => ({});

export const ADDON_API = {
  // typed arrays in and out, tensor facts, handles (native/addon.cc)
  fromBuffer: op<[data: ArrayBufferView | ArrayBuffer, shape: number[], dtype: DTypeCode], Handle>(),
  toBuffer: op<[self: Handle], ArrayBuffer>(),
  info: op<[self: Handle], NativeTensorInfo>(),
  shape: op<[self: Handle], number[]>(),
  dispose: op<[self: Handle], void>(),
  memory: op<[], NativeMemory>(),

  // autograd switches
  setGradEnabled: op<[enabled: boolean], boolean>(),
  backward: op<[self: Handle, grad?: Handle | null, retainGraph?: boolean], void>(),
  setGrad: op<[self: Handle, grad: Handle | null], void>(),

  // runtime
  setNumThreads: op<[n: number], void>(),
  manualSeed: op<[seed: number], void>(),
  getRngState: op<[], Handle>(),
  setRngState: op<[state: Handle], void>(),
  cudaSynchronize: op<[device?: number | null], void>(),
  runtimeInfo: op<[], NativeRuntimeInfo>(),

  // private random generators (native/generator.cc)
  generatorNew: op<[seed: number], Generator>(),
  generatorSeed: op<[generator: Generator, seed: number], void>(),
  generatorGetState: op<[generator: Generator], Handle>(),
  generatorSetState: op<[generator: Generator, state: Handle], void>(),

  // mixed precision (native/autocast.cc): returns whether it was on
  setAutocast: op<[deviceType: string, enabled: boolean, dtype: DTypeCode], boolean>(),
  // the lazy test device (native/lazyDevice.cc)
  initLazyBackend: op<[], void>(),

  // ---- the op table, native/ops.cc: OPI ops (in place) return their first argument
  // creation
  empty: op<[size: number[], dtype: DTypeCode, device?: string | null], Handle>(),
  zeros: op<[size: number[], dtype: DTypeCode, device?: string | null], Handle>(),
  ones: op<[size: number[], dtype: DTypeCode, device?: string | null], Handle>(),
  full: op<[size: number[], fillValue: Scalar, dtype: DTypeCode, device?: string | null], Handle>(),
  arange: op<[start: Scalar, end: Scalar, step: Scalar, dtype: DTypeCode, device?: string | null], Handle>(),
  linspace: op<[start: Scalar, end: Scalar, steps: number, dtype: DTypeCode, device?: string | null], Handle>(),
  rand: op<[size: number[], dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  randn: op<[size: number[], dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  randint: op<[low: number, high: number, size: number[], dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  randperm: op<[n: number, dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  eye: op<[n: number, dtype: DTypeCode, device?: string | null], Handle>(),
  scalarTensor: op<[value: Scalar, dtype: DTypeCode, device?: string | null], Handle>(),
  zerosLike: op<[self: Handle], Handle>(),
  onesLike: op<[self: Handle], Handle>(),
  fullLike: op<[self: Handle, fillValue: Scalar], Handle>(),
  randLike: op<[self: Handle, generator?: Generator | null], Handle>(),
  randnLike: op<[self: Handle, generator?: Generator | null], Handle>(),
  emptyLike: op<[self: Handle], Handle>(),

  // ---- conversion, identity, autograd
  toDtype: op<[self: Handle, dtype: DTypeCode], Handle>(),
  toDevice: op<[self: Handle, device: string, nonBlocking: boolean], Handle>(),
  contiguous: op<[self: Handle], Handle>(),
  channelsLast: op<[self: Handle], Handle>(),
  isContiguous: op<[self: Handle], boolean>(),
  clone: op<[self: Handle], Handle>(),
  detach: op<[self: Handle], Handle>(),
  item: op<[self: Handle], number | boolean>(),
  numel: op<[self: Handle], number>(),
  requiresGrad: op<[self: Handle], boolean>(),
  setRequiresGrad: op<[self: Handle, requiresGrad: boolean], Handle>(),
  grad: op<[self: Handle], Handle | null>(),
  isLeaf: op<[self: Handle], boolean>(),
  allFinite: op<[self: Handle], boolean>(),

  // elementwise arithmetic
  add: op<[self: Handle, other: Handle, alpha?: Scalar | null], Handle>(),
  addScalar: op<[self: Handle, other: Scalar], Handle>(),
  sub: op<[self: Handle, other: Handle, alpha?: Scalar | null], Handle>(),
  subScalar: op<[self: Handle, other: Scalar], Handle>(),
  rsubScalar: op<[self: Handle, other: Scalar], Handle>(),
  mul: op<[self: Handle, other: Handle], Handle>(),
  mulScalar: op<[self: Handle, other: Scalar], Handle>(),
  div: op<[self: Handle, other: Handle], Handle>(),
  divScalar: op<[self: Handle, other: Scalar], Handle>(),
  rdivScalar: op<[self: Handle, numerator: Scalar], Handle>(),
  remainderScalar: op<[self: Handle, other: Scalar], Handle>(),
  floorDivide: op<[self: Handle, other: Handle], Handle>(),
  neg: op<[self: Handle], Handle>(),
  abs: op<[self: Handle], Handle>(),
  sign: op<[self: Handle], Handle>(),
  exp: op<[self: Handle], Handle>(),
  log: op<[self: Handle], Handle>(),
  log1p: op<[self: Handle], Handle>(),
  sqrt: op<[self: Handle], Handle>(),
  rsqrt: op<[self: Handle], Handle>(),
  reciprocal: op<[self: Handle], Handle>(),
  square: op<[self: Handle], Handle>(),
  pow: op<[self: Handle, exponent: Scalar], Handle>(),
  powTensor: op<[self: Handle, exponent: Handle], Handle>(),
  sigmoid: op<[self: Handle], Handle>(),
  tanh: op<[self: Handle], Handle>(),
  relu: op<[self: Handle], Handle>(),
  leakyRelu: op<[self: Handle, negativeSlope: Scalar], Handle>(),
  /** weight: one slope per channel (dim 1), or a single one. */
  prelu: op<[self: Handle, weight: Handle], Handle>(),
  gelu: op<[self: Handle], Handle>(),
  silu: op<[self: Handle], Handle>(),
  floor: op<[self: Handle], Handle>(),
  ceil: op<[self: Handle], Handle>(),
  round: op<[self: Handle], Handle>(),
  trunc: op<[self: Handle], Handle>(),
  clamp: op<[self: Handle, min: Scalar | null, max: Scalar | null], Handle>(),
  clampTensor: op<[self: Handle, min: Handle | null, max: Handle | null], Handle>(),
  minimum: op<[self: Handle, other: Handle], Handle>(),
  maximum: op<[self: Handle, other: Handle], Handle>(),
  lerp: op<[self: Handle, end: Handle, weight: Scalar], Handle>(),
  matmul: op<[self: Handle, other: Handle], Handle>(),

  // in-place (optimisers, EMA, initialisation; called under noGrad)
  add_: op<[self: Handle, other: Handle, alpha?: Scalar | null], Handle>(),
  addScalar_: op<[self: Handle, other: Scalar], Handle>(),
  mul_: op<[self: Handle, other: Handle], Handle>(),
  mulScalar_: op<[self: Handle, other: Scalar], Handle>(),
  copy_: op<[self: Handle, src: Handle], Handle>(),
  zero_: op<[self: Handle], Handle>(),
  fill_: op<[self: Handle, value: Scalar], Handle>(),
  uniform_: op<[self: Handle, from: number, to: number, generator?: Generator | null], Handle>(),
  normal_: op<[self: Handle, mean: number, std: number, generator?: Generator | null], Handle>(),
  clamp_: op<[self: Handle, min: Scalar | null, max: Scalar | null], Handle>(),
  lerp_: op<[self: Handle, end: Handle, weight: Scalar], Handle>(),
  maskedFill_: op<[self: Handle, mask: Handle, value: Scalar], Handle>(),
  indexPut_: op<[self: Handle, indices: (Handle | null)[], values: Handle, accumulate: boolean], Handle>(),

  // reductions
  sumAll: op<[self: Handle], Handle>(),
  sum: op<[self: Handle, dims: number[], keepdim: boolean], Handle>(),
  meanAll: op<[self: Handle], Handle>(),
  mean: op<[self: Handle, dims: number[], keepdim: boolean], Handle>(),
  maxAll: op<[self: Handle], Handle>(),
  maxDim: op<[self: Handle, dim: number, keepdim: boolean], [Handle, Handle]>(),
  minAll: op<[self: Handle], Handle>(),
  minDim: op<[self: Handle, dim: number, keepdim: boolean], [Handle, Handle]>(),
  argmax: op<[self: Handle, dim: number | null, keepdim: boolean], Handle>(),
  argmin: op<[self: Handle, dim: number | null, keepdim: boolean], Handle>(),
  topk: op<[self: Handle, k: number, dim: number, largest: boolean, sorted: boolean], [Handle, Handle]>(),
  sort: op<[self: Handle, dim: number, descending: boolean], [Handle, Handle]>(),
  argsort: op<[self: Handle, dim: number, descending: boolean], Handle>(),
  stdAll: op<[self: Handle, unbiased: boolean], Handle>(),
  std: op<[self: Handle, dims: number[], unbiased: boolean, keepdim: boolean], Handle>(),
  varAll: op<[self: Handle, unbiased: boolean], Handle>(),
  var: op<[self: Handle, dims: number[], unbiased: boolean, keepdim: boolean], Handle>(),
  logsumexp: op<[self: Handle, dims: number[], keepdim: boolean], Handle>(),
  norm: op<[self: Handle, p: Scalar | null, dims: number[], keepdim: boolean], Handle>(),
  normAll: op<[self: Handle, p: Scalar], Handle>(),
  cumsum: op<[self: Handle, dim: number], Handle>(),
  prod: op<[self: Handle, dim: number, keepdim: boolean], Handle>(),
  any: op<[self: Handle], Handle>(),
  all: op<[self: Handle], Handle>(),
  softmax: op<[self: Handle, dim: number], Handle>(),
  logSoftmax: op<[self: Handle, dim: number], Handle>(),

  // comparisons and masks
  eq: op<[self: Handle, other: Handle], Handle>(),
  ne: op<[self: Handle, other: Handle], Handle>(),
  lt: op<[self: Handle, other: Handle], Handle>(),
  le: op<[self: Handle, other: Handle], Handle>(),
  gt: op<[self: Handle, other: Handle], Handle>(),
  ge: op<[self: Handle, other: Handle], Handle>(),
  eqScalar: op<[self: Handle, other: Scalar], Handle>(),
  neScalar: op<[self: Handle, other: Scalar], Handle>(),
  ltScalar: op<[self: Handle, other: Scalar], Handle>(),
  leScalar: op<[self: Handle, other: Scalar], Handle>(),
  gtScalar: op<[self: Handle, other: Scalar], Handle>(),
  geScalar: op<[self: Handle, other: Scalar], Handle>(),
  logicalAnd: op<[self: Handle, other: Handle], Handle>(),
  logicalOr: op<[self: Handle, other: Handle], Handle>(),
  logicalNot: op<[self: Handle], Handle>(),
  isnan: op<[self: Handle], Handle>(),
  isfinite: op<[self: Handle], Handle>(),
  where: op<[condition: Handle, self: Handle, other: Handle], Handle>(),
  maskedFill: op<[self: Handle, mask: Handle, value: Scalar], Handle>(),
  maskedSelect: op<[self: Handle, mask: Handle], Handle>(),
  nonzero: op<[self: Handle], Handle>(),

  // indexing and shape
  gather: op<[self: Handle, dim: number, index: Handle], Handle>(),
  scatter: op<[self: Handle, dim: number, index: Handle, src: Handle], Handle>(),
  scatterAdd: op<[self: Handle, dim: number, index: Handle, src: Handle], Handle>(),
  indexSelect: op<[self: Handle, dim: number, index: Handle], Handle>(),
  index: op<[self: Handle, indices: (Handle | null)[]], Handle>(),
  narrow: op<[self: Handle, dim: number, start: number, length: number], Handle>(),
  select: op<[self: Handle, dim: number, index: number], Handle>(),
  slice: op<[self: Handle, dim: number, start: number | null, end: number | null, step: number], Handle>(),
  cat: op<[tensors: Handle[], dim: number], Handle>(),
  stack: op<[tensors: Handle[], dim: number], Handle>(),
  split: op<[self: Handle, splitSize: number, dim: number], Handle[]>(),
  chunk: op<[self: Handle, chunks: number, dim: number], Handle[]>(),
  reshape: op<[self: Handle, shape: number[]], Handle>(),
  view: op<[self: Handle, shape: number[]], Handle>(),
  permute: op<[self: Handle, dims: number[]], Handle>(),
  transpose: op<[self: Handle, dim0: number, dim1: number], Handle>(),
  flatten: op<[self: Handle, startDim: number, endDim: number], Handle>(),
  squeeze: op<[self: Handle, dim: number], Handle>(),
  squeezeAll: op<[self: Handle], Handle>(),
  unsqueeze: op<[self: Handle, dim: number], Handle>(),
  expand: op<[self: Handle, size: number[]], Handle>(),
  asStrided: op<[self: Handle, size: number[], stride: number[], storageOffset: number], Handle>(),
  repeat: op<[self: Handle, repeats: number[]], Handle>(),
  flip: op<[self: Handle, dims: number[]], Handle>(),
  roll: op<[self: Handle, shifts: number[], dims: number[]], Handle>(),
  tril: op<[self: Handle, diagonal: number], Handle>(),
  oneHot: op<[self: Handle, numClasses: number], Handle>(),
  histc: op<[self: Handle, bins: number, min: Scalar, max: Scalar], Handle>(),
  bincount: op<[self: Handle, weights: Handle | null, minlength: number], Handle>(),

  // neural-network functions
  conv2d: op<[input: Handle, weight: Handle, bias: Handle | null, stride: number[], padding: number[], dilation: number[], groups: number], Handle>(),
  batchNorm: op<[input: Handle, weight: Handle | null, bias: Handle | null, runningMean: Handle | null, runningVar: Handle | null, training: boolean, momentum: number, eps: number], Handle>(),
  layerNorm: op<[input: Handle, normalizedShape: number[], weight: Handle | null, bias: Handle | null, eps: number], Handle>(),
  maxPool2d: op<[self: Handle, kernelSize: number[], stride: number[], padding: number[], dilation: number[], ceilMode: boolean], Handle>(),
  avgPool2d: op<[self: Handle, kernelSize: number[], stride: number[], padding: number[], ceilMode: boolean, countIncludePad: boolean], Handle>(),
  adaptiveAvgPool2d: op<[self: Handle, outputSize: number[]], Handle>(),
  linear: op<[input: Handle, weight: Handle, bias: Handle | null], Handle>(),
  dropout: op<[input: Handle, p: number, train: boolean], Handle>(),
  featureDropout: op<[input: Handle, p: number, train: boolean], Handle>(),
  crossEntropy: op<[self: Handle, target: Handle, weight: Handle | null, reduction: number, ignoreIndex: number, labelSmoothing: number], Handle>(),
  nllLoss: op<[self: Handle, target: Handle, weight: Handle | null, reduction: number, ignoreIndex: number], Handle>(),
  mseLoss: op<[self: Handle, target: Handle, reduction: number], Handle>(),
  bceWithLogits: op<[self: Handle, target: Handle, weight: Handle | null, posWeight: Handle | null, reduction: number], Handle>(),
  affineGrid: op<[theta: Handle, size: number[], alignCorners: boolean], Handle>(),
  gridSample: op<[input: Handle, grid: Handle, interpolationMode: number, paddingMode: number, alignCorners: boolean], Handle>(),
  upsampleBilinear2d: op<[self: Handle, outputSize: number[], alignCorners: boolean], Handle>(),
  upsampleNearest2d: op<[self: Handle, outputSize: number[]], Handle>(),
  upsampleBicubic2d: op<[self: Handle, outputSize: number[], alignCorners: boolean], Handle>(),
  constantPad: op<[self: Handle, pad: number[], value: Scalar], Handle>(),
  reflectionPad2d: op<[self: Handle, padding: number[]], Handle>(),
  replicationPad2d: op<[self: Handle, padding: number[]], Handle>(),

  // multi-tensor kernels (optimisers, EMA, gradient norms)
  foreachAddList_: op<[self: Handle[], other: Handle[], alpha: Scalar], Handle[]>(),
  foreachAddScalar_: op<[self: Handle[], scalar: Scalar], Handle[]>(),
  foreachMulScalar_: op<[self: Handle[], scalar: Scalar], Handle[]>(),
  foreachDivScalar_: op<[self: Handle[], scalar: Scalar], Handle[]>(),
  foreachAddcmul_: op<[self: Handle[], tensor1: Handle[], tensor2: Handle[], value: Scalar], Handle[]>(),
  foreachAddcdiv_: op<[self: Handle[], tensor1: Handle[], tensor2: Handle[], value: Scalar], Handle[]>(),
  foreachAddList: op<[self: Handle[], other: Handle[], alpha: Scalar], Handle[]>(),
  foreachSqrt: op<[self: Handle[]], Handle[]>(),

  // c10d process group for data-parallel training (native/distributed.cc; src/distributed/processGroup.ts)
  distInit: op<[masterAddr: string, masterPort: number, rank: number, worldSize: number, timeoutMs: number, backend: DistBackend, agentStorePrefix: string | null], void>(),
  distDestroy: op<[], void>(),
  distAllReduce: op<[tensors: Handle[], reduceOp: DistReduceOp], void>(),
  distBroadcast: op<[tensors: Handle[], root: number], void>(),
  distBarrier: op<[], void>(),
  distAllReduceSum: op<[self: Handle, tag: number], Handle>(),
  distInfo: op<[], NativeGroupInfo>(),
};

/** The addon as the TypeScript side sees it: one typed function per declared export. */
export type NativeAddon = {
  readonly [K in keyof typeof ADDON_API]: (typeof ADDON_API)[K] extends Op<infer Args, infer Returns> ? (...args: Args) => Returns : never;
};

/** The declared export names, for the test that compares them with the built addon. */
export const ADDON_NAMES: readonly string[] = Object.keys(ADDON_API);
