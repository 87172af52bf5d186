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
  empty: op<[ints0: number[], dtype: DTypeCode, device?: string | null], Handle>(),
  zeros: op<[ints0: number[], dtype: DTypeCode, device?: string | null], Handle>(),
  ones: op<[ints0: number[], dtype: DTypeCode, device?: string | null], Handle>(),
  full: op<[ints0: number[], scalar1: Scalar, dtype: DTypeCode, device?: string | null], Handle>(),
  arange: op<[scalar0: Scalar, scalar1: Scalar, scalar2: Scalar, dtype: DTypeCode, device?: string | null], Handle>(),
  linspace: op<[scalar0: Scalar, scalar1: Scalar, n2: number, dtype: DTypeCode, device?: string | null], Handle>(),
  rand: op<[ints0: number[], dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  randn: op<[ints0: number[], dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  randint: op<[n0: number, n1: number, ints2: number[], dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  randperm: op<[n0: number, dtype: DTypeCode, device?: string | null, generator?: Generator | null], Handle>(),
  eye: op<[n0: number, dtype: DTypeCode, device?: string | null], Handle>(),
  scalarTensor: op<[scalar0: Scalar, dtype: DTypeCode, device?: string | null], Handle>(),
  zerosLike: op<[self: Handle], Handle>(),
  onesLike: op<[self: Handle], Handle>(),
  fullLike: op<[self: Handle, scalar1: Scalar], Handle>(),
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
  setRequiresGrad: op<[self: Handle, flag1: boolean], Handle>(),
  grad: op<[self: Handle], Handle | null>(),
  isLeaf: op<[self: Handle], boolean>(),
  allFinite: op<[self: Handle], boolean>(),

  // elementwise arithmetic
  add: op<[self: Handle, t1: Handle, alpha?: Scalar | null], Handle>(),
  addScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  sub: op<[self: Handle, t1: Handle, alpha?: Scalar | null], Handle>(),
  subScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  rsubScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  mul: op<[self: Handle, t1: Handle], Handle>(),
  mulScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  div: op<[self: Handle, t1: Handle], Handle>(),
  divScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  rdivScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  remainderScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  floorDivide: op<[self: Handle, t1: Handle], Handle>(),
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
  pow: op<[self: Handle, scalar1: Scalar], Handle>(),
  powTensor: op<[self: Handle, t1: Handle], Handle>(),
  sigmoid: op<[self: Handle], Handle>(),
  tanh: op<[self: Handle], Handle>(),
  relu: op<[self: Handle], Handle>(),
  leakyRelu: op<[self: Handle, scalar1: Scalar], Handle>(),
  gelu: op<[self: Handle], Handle>(),
  silu: op<[self: Handle], Handle>(),
  floor: op<[self: Handle], Handle>(),
  ceil: op<[self: Handle], Handle>(),
  round: op<[self: Handle], Handle>(),
  trunc: op<[self: Handle], Handle>(),
  clamp: op<[self: Handle, scalar1: Scalar | null, scalar2: Scalar | null], Handle>(),
  clampTensor: op<[self: Handle, t1: Handle | null, t2: Handle | null], Handle>(),
  minimum: op<[self: Handle, t1: Handle], Handle>(),
  maximum: op<[self: Handle, t1: Handle], Handle>(),
  lerp: op<[self: Handle, t1: Handle, scalar2: Scalar], Handle>(),
  matmul: op<[self: Handle, t1: Handle], Handle>(),

  // in-place (optimisers, EMA, initialisation; called under noGrad)
  add_: op<[self: Handle, t1: Handle, alpha?: Scalar | null], Handle>(),
  addScalar_: op<[self: Handle, scalar1: Scalar], Handle>(),
  mul_: op<[self: Handle, t1: Handle], Handle>(),
  mulScalar_: op<[self: Handle, scalar1: Scalar], Handle>(),
  copy_: op<[self: Handle, t1: Handle], Handle>(),
  zero_: op<[self: Handle], Handle>(),
  fill_: op<[self: Handle, scalar1: Scalar], Handle>(),
  uniform_: op<[self: Handle, n1: number, n2: number, generator?: Generator | null], Handle>(),
  normal_: op<[self: Handle, n1: number, n2: number, generator?: Generator | null], Handle>(),
  clamp_: op<[self: Handle, scalar1: Scalar | null, scalar2: Scalar | null], Handle>(),
  lerp_: op<[self: Handle, t1: Handle, scalar2: Scalar], Handle>(),
  maskedFill_: op<[self: Handle, t1: Handle, scalar2: Scalar], Handle>(),
  indexPut_: op<[self: Handle, indices: (Handle | null)[], t2: Handle, flag3: boolean], Handle>(),

  // reductions
  sumAll: op<[self: Handle], Handle>(),
  sum: op<[self: Handle, ints1: number[], flag2: boolean], Handle>(),
  meanAll: op<[self: Handle], Handle>(),
  mean: op<[self: Handle, ints1: number[], flag2: boolean], Handle>(),
  maxAll: op<[self: Handle], Handle>(),
  maxDim: op<[self: Handle, n1: number, flag2: boolean], [Handle, Handle]>(),
  minAll: op<[self: Handle], Handle>(),
  minDim: op<[self: Handle, n1: number, flag2: boolean], [Handle, Handle]>(),
  argmax: op<[self: Handle, n1: number | null, flag2: boolean], Handle>(),
  argmin: op<[self: Handle, n1: number | null, flag2: boolean], Handle>(),
  topk: op<[self: Handle, n1: number, n2: number, flag3: boolean, flag4: boolean], [Handle, Handle]>(),
  sort: op<[self: Handle, n1: number, flag2: boolean], [Handle, Handle]>(),
  argsort: op<[self: Handle, n1: number, flag2: boolean], Handle>(),
  stdAll: op<[self: Handle, flag1: boolean], Handle>(),
  std: op<[self: Handle, ints1: number[], flag2: boolean, flag3: boolean], Handle>(),
  varAll: op<[self: Handle, flag1: boolean], Handle>(),
  var: op<[self: Handle, ints1: number[], flag2: boolean, flag3: boolean], Handle>(),
  logsumexp: op<[self: Handle, ints1: number[], flag2: boolean], Handle>(),
  norm: op<[self: Handle, scalar1: Scalar | null, ints2: number[], flag3: boolean], Handle>(),
  normAll: op<[self: Handle, scalar1: Scalar], Handle>(),
  cumsum: op<[self: Handle, n1: number], Handle>(),
  prod: op<[self: Handle, n1: number, flag2: boolean], Handle>(),
  any: op<[self: Handle], Handle>(),
  all: op<[self: Handle], Handle>(),
  softmax: op<[self: Handle, n1: number], Handle>(),
  logSoftmax: op<[self: Handle, n1: number], Handle>(),

  // comparisons and masks
  eq: op<[self: Handle, t1: Handle], Handle>(),
  ne: op<[self: Handle, t1: Handle], Handle>(),
  lt: op<[self: Handle, t1: Handle], Handle>(),
  le: op<[self: Handle, t1: Handle], Handle>(),
  gt: op<[self: Handle, t1: Handle], Handle>(),
  ge: op<[self: Handle, t1: Handle], Handle>(),
  eqScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  neScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  ltScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  leScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  gtScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  geScalar: op<[self: Handle, scalar1: Scalar], Handle>(),
  logicalAnd: op<[self: Handle, t1: Handle], Handle>(),
  logicalOr: op<[self: Handle, t1: Handle], Handle>(),
  logicalNot: op<[self: Handle], Handle>(),
  isnan: op<[self: Handle], Handle>(),
  isfinite: op<[self: Handle], Handle>(),
  where: op<[self: Handle, t1: Handle, t2: Handle], Handle>(),
  maskedFill: op<[self: Handle, t1: Handle, scalar2: Scalar], Handle>(),
  maskedSelect: op<[self: Handle, t1: Handle], Handle>(),
  nonzero: op<[self: Handle], Handle>(),

  // indexing and shape
  gather: op<[self: Handle, n1: number, t2: Handle], Handle>(),
  scatter: op<[self: Handle, n1: number, t2: Handle, t3: Handle], Handle>(),
  scatterAdd: op<[self: Handle, n1: number, t2: Handle, t3: Handle], Handle>(),
  indexSelect: op<[self: Handle, n1: number, t2: Handle], Handle>(),
  index: op<[self: Handle, indices: (Handle | null)[]], Handle>(),
  narrow: op<[self: Handle, n1: number, n2: number, n3: number], Handle>(),
  select: op<[self: Handle, n1: number, n2: number], Handle>(),
  slice: op<[self: Handle, n1: number, n2: number | null, n3: number | null, n4: number], Handle>(),
  cat: op<[tensors: Handle[], n1: number], Handle>(),
  stack: op<[tensors: Handle[], n1: number], Handle>(),
  split: op<[self: Handle, n1: number, n2: number], Handle[]>(),
  chunk: op<[self: Handle, n1: number, n2: number], Handle[]>(),
  reshape: op<[self: Handle, ints1: number[]], Handle>(),
  view: op<[self: Handle, ints1: number[]], Handle>(),
  permute: op<[self: Handle, ints1: number[]], Handle>(),
  transpose: op<[self: Handle, n1: number, n2: number], Handle>(),
  flatten: op<[self: Handle, n1: number, n2: number], Handle>(),
  squeeze: op<[self: Handle, n1: number], Handle>(),
  squeezeAll: op<[self: Handle], Handle>(),
  unsqueeze: op<[self: Handle, n1: number], Handle>(),
  expand: op<[self: Handle, ints1: number[]], Handle>(),
  asStrided: op<[self: Handle, ints1: number[], ints2: number[], n3: number], Handle>(),
  repeat: op<[self: Handle, ints1: number[]], Handle>(),
  flip: op<[self: Handle, ints1: number[]], Handle>(),
  roll: op<[self: Handle, ints1: number[], ints2: number[]], Handle>(),
  tril: op<[self: Handle, n1: number], Handle>(),
  oneHot: op<[self: Handle, n1: number], Handle>(),
  histc: op<[self: Handle, n1: number, scalar2: Scalar, scalar3: Scalar], Handle>(),
  bincount: op<[self: Handle, t1: Handle | null, n2: number], Handle>(),

  // neural-network functions
  conv2d: op<[self: Handle, t1: Handle, t2: Handle | null, ints3: number[], ints4: number[], ints5: number[], n6: number], Handle>(),
  batchNorm: op<[self: Handle, t1: Handle | null, t2: Handle | null, t3: Handle | null, t4: Handle | null, flag5: boolean, n6: number, n7: number], Handle>(),
  layerNorm: op<[self: Handle, ints1: number[], t2: Handle | null, t3: Handle | null, n4: number], Handle>(),
  maxPool2d: op<[self: Handle, ints1: number[], ints2: number[], ints3: number[], ints4: number[], flag5: boolean], Handle>(),
  avgPool2d: op<[self: Handle, ints1: number[], ints2: number[], ints3: number[], flag4: boolean, flag5: boolean], Handle>(),
  adaptiveAvgPool2d: op<[self: Handle, ints1: number[]], Handle>(),
  linear: op<[self: Handle, t1: Handle, t2: Handle | null], Handle>(),
  dropout: op<[self: Handle, n1: number, flag2: boolean], Handle>(),
  featureDropout: op<[self: Handle, n1: number, flag2: boolean], Handle>(),
  crossEntropy: op<[self: Handle, t1: Handle, t2: Handle | null, n3: number, n4: number, n5: number], Handle>(),
  nllLoss: op<[self: Handle, t1: Handle, t2: Handle | null, n3: number, n4: number], Handle>(),
  mseLoss: op<[self: Handle, t1: Handle, n2: number], Handle>(),
  bceWithLogits: op<[self: Handle, t1: Handle, t2: Handle | null, t3: Handle | null, n4: number], Handle>(),
  affineGrid: op<[self: Handle, ints1: number[], flag2: boolean], Handle>(),
  gridSample: op<[self: Handle, t1: Handle, n2: number, n3: number, flag4: boolean], Handle>(),
  upsampleBilinear2d: op<[self: Handle, ints1: number[], flag2: boolean], Handle>(),
  upsampleNearest2d: op<[self: Handle, ints1: number[]], Handle>(),
  upsampleBicubic2d: op<[self: Handle, ints1: number[], flag2: boolean], Handle>(),
  constantPad: op<[self: Handle, ints1: number[], scalar2: Scalar], Handle>(),
  reflectionPad2d: op<[self: Handle, ints1: number[]], Handle>(),
  replicationPad2d: op<[self: Handle, ints1: number[]], Handle>(),

  // multi-tensor kernels (optimisers, EMA, gradient norms)
  foreachAddList_: op<[tensors: Handle[], t1: Handle[], scalar2: Scalar], Handle[]>(),
  foreachAddScalar_: op<[tensors: Handle[], scalar1: Scalar], Handle[]>(),
  foreachMulScalar_: op<[tensors: Handle[], scalar1: Scalar], Handle[]>(),
  foreachDivScalar_: op<[tensors: Handle[], scalar1: Scalar], Handle[]>(),
  foreachAddcmul_: op<[tensors: Handle[], t1: Handle[], t2: Handle[], scalar3: Scalar], Handle[]>(),
  foreachAddcdiv_: op<[tensors: Handle[], t1: Handle[], t2: Handle[], scalar3: Scalar], Handle[]>(),
  foreachAddList: op<[tensors: Handle[], t1: Handle[], scalar2: Scalar], Handle[]>(),
  foreachSqrt: op<[tensors: Handle[]], Handle[]>(),
};

/** The addon as the TypeScript side sees it: one typed function per declared export. */
export type NativeAddon = {
  readonly [K in keyof typeof ADDON_API]: (typeof ADDON_API)[K] extends Op<infer Args, infer Returns> ? (...args: Args) => Returns : never;
};

/** The declared export names, for the test that compares them with the built addon. */
export const ADDON_NAMES: readonly string[] = Object.keys(ADDON_API);
