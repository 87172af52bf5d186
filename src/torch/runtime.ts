/** Threads, devices, random state and memory statistics. */
import { native, threadGenerator, type Handle } from './native.js';
import { Tensor } from './tensor.js';
import { scopeDepth } from './scope.js';
import type { NativeRuntimeInfo } from './addonApi.js';

/** Intra-op threads (semifer sets the core count when the addon loads; see native.ts). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  native().setNumThreads(n);
}

export function getNumThreads(): number {
  return native().runtimeInfo().numThreads;
}

/**
 * Seeds this thread's generators: on the main thread LibTorch's default CPU
 * (and CUDA) generators, used by rand/randn/randint/randperm and dropout; in a
 * worker thread its private generator (see threadGenerator in native.ts).
 */
export function manualSeed(seed: number): void {
  if (!Number.isFinite(seed) || seed < 0) throw new RangeError(`manualSeed: expected a non-negative number, got ${seed}`);
  const g = threadGenerator();
  if (g) native().generatorSeed(g, Math.floor(seed));
  else native().manualSeed(Math.floor(seed));
}

/** This thread's CPU generator state (a uint8 tensor), for checkpoints. */
export function getRngState(): Tensor {
  const g = threadGenerator();
  return new Tensor((g ? native().generatorGetState(g) : native().getRngState()) as Handle);
}

export function setRngState(state: Tensor): void {
  const g = threadGenerator();
  if (g) native().generatorSetState(g, state.handle);
  else native().setRngState(state.handle);
}

/**
 * Readies a device named by the user before any tensor is made there: 'cpu',
 * 'cuda' / 'cuda:N', or 'lazy' (LibTorch's lazy TorchScript backend, which
 * runs on the CPU and refuses any op that mixes its tensors with CPU ones:
 * the tests use it to prove device placement without a GPU).
 */
export function prepareDevice(device: string): void {
  if (device === 'cpu') return;
  if (device === 'lazy' || device === 'lazy:0') {
    native().initLazyBackend();
    return;
  }
  const cudaIndex = /^cuda(?::(\d+))?$/.exec(device);
  if (!cudaIndex) throw new Error(`unknown device '${device}': expected cpu, cuda, cuda:N or lazy`);
  const count = runtimeInfo().cudaDeviceCount;
  const index = Number(cudaIndex[1] ?? 0);
  if (index >= count) throw new Error(`device '${device}' is not available: this machine has ${count} CUDA device(s) visible to LibTorch ${runtimeInfo().torchVersion}`);
}

export interface MemoryInfo {
  /** Native tensor handles alive (including ones only the GC still holds). */
  tensors: number;
  /** Their element bytes (views count their own elements). */
  bytes: number;
  /** The external memory V8's collector counts for this isolate: tensor bytes reach it in 256 MB steps (native/addon.cc). */
  v8ExternalBytes: number;
  /** Open tidy() scopes. */
  scopes: number;
  /** Bytes the C heap holds for the process (glibc only; undefined elsewhere). */
  mallocBytes?: number;
}

export function memory(): MemoryInfo {
  const m = native().memory();
  return { ...m, scopes: scopeDepth() };
}

export type RuntimeInfo = NativeRuntimeInfo;

export function runtimeInfo(): RuntimeInfo {
  return native().runtimeInfo();
}

export const cuda = {
  isAvailable(): boolean {
    return runtimeInfo().cudaAvailable;
  },
  deviceCount(): number {
    return runtimeInfo().cudaDeviceCount;
  },
  /** Waits for all queued GPU work (timing, before reading results). */
  synchronize(device?: number): void {
    native().cudaSynchronize(device ?? null);
  },
};
