/**
 * The training-step loader: B labelled and μB unlabelled images per step, each
 * in the views its method asks for (e.g. Ada-CM: labelled ['weak'], unlabelled
 * ['weak', 'weak', 'strong']), ImageNet-normalised, as float32 N×3×S×S tensors.
 *
 * Batches are made ahead in a worker thread (prefetch > 0) with one LibTorch
 * thread, so augmentation overlaps the training step; `prefetch: 0` makes them
 * in the calling thread on demand (on `device`, so a GPU can augment). Both give
 * identical batches for a seed, whatever the prefetch depth (batchProducer.ts).
 *
 * Ownership: next() hands back tensors that belong to no tidy() scope (they are
 * kept); the caller frees them with disposeBatch(batch) when the step is done.
 *
 * Memory: the image arrays reach the worker once, in SharedArrayBuffers. An
 * array already backed by one is used as is; any other is copied once (see
 * sharedPixels(), which lets the caller make the shared copy and drop its own).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import type { AugmentKind, AugmentOptions } from './augment/index.js';
import { normalize as imagenetNormalize, toFloatImages } from './augment/index.js';
import { BatchProducer, checkProducerConfig, type ProducedBatch, type ProducerConfig } from './batchProducer.js';
import type { FromWorker, WireBatch, WireTensor, WorkerInit } from './loaderWorker.js';

export type ViewKind = AugmentKind;

export interface LoaderOptions {
  labelled: { images: Uint8Array /* N×S×S×3 RGB uint8, from DecodedImages.pixels */; labels: Int32Array; size: number };
  unlabelled?: { images: Uint8Array; size: number; trueLabels?: Int32Array /* for pseudo-label accuracy when known */ };
  batchSize: number;
  mu: number;
  labelledViews: ViewKind[];
  /** [] when the method uses no unlabelled data. */
  unlabelledViews: ViewKind[];
  /** Labelled sampling through ClassBalancedSampler (with replacement) instead of shuffled passes. */
  classBalanced?: boolean;
  seed: number;
  /** ImageNet normalisation at the end (default true). */
  normalize?: boolean;
  /** Batches prepared ahead in the worker (default 2); 0 = made synchronously in the calling thread. */
  prefetch?: number;
  /** Where the returned tensors live (default 'cpu'). */
  device?: string;
  /** The first step to produce (exact resume; restore() sets it from a saved state). */
  startStep?: number;
  /**
   * Augmentation parameters (noise σ, erasing, cutout, weak crop …; see augment/pipeline.ts).
   * They are checked where batches are made: with a worker, a bad one rejects the first next().
   */
  augment?: AugmentOptions;
  /** Data-parallel training: this rank's slice of every global batch (batchProducer.ts). The saved state stays the global sequence's. */
  shard?: { rank: number; worldSize: number };
}

export interface Batch {
  /** 0-based global step index. */
  step: number;
  labelled: { views: Tensor[]; labels: Tensor /* int64 */; indices: Int32Array };
  unlabelled?: { views: Tensor[]; indices: Int32Array; trueLabels?: Tensor /* int64 */ };
}

/** What a checkpoint stores to continue the same batch sequence. */
export interface LoaderState {
  version: 1;
  /** The step of the next batch next() would return. */
  step: number;
  seed: number;
  /** The option values the sequence depends on, checked on restore. */
  labelledCount: number;
  unlabelledCount: number;
  batchSize: number;
  unlabelledBatch: number;
  classBalanced: boolean;
}

interface Waiter { resolve: (b: Batch) => void; reject: (e: Error) => void }

const sharedCopies = new WeakMap<Uint8Array, Uint8Array>();

/**
 * The same bytes in a SharedArrayBuffer (the array itself when it already is
 * one), so worker threads read them without a copy per batch. The copy is made
 * once per array and remembered.
 */
export function sharedPixels(a: Uint8Array): Uint8Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  let s = sharedCopies.get(a);
  if (!s) {
    s = new Uint8Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    sharedCopies.set(a, s);
  }
  return s;
}

function frames(images: Uint8Array, size: number): number {
  return images.length / (size * size * 3);
}

function toConfig(o: LoaderOptions, device: string): ProducerConfig {
  const cfg: ProducerConfig = {
    labelled: o.labelled,
    batchSize: o.batchSize,
    unlabelledBatch: o.mu * o.batchSize,
    labelledViews: o.labelledViews,
    unlabelledViews: o.unlabelledViews,
    classBalanced: o.classBalanced ?? false,
    seed: o.seed,
    normalize: o.normalize ?? true,
    augment: o.augment ?? {},
    device,
  };
  if (o.unlabelled) cfg.unlabelled = o.unlabelled;
  if (o.shard) cfg.shard = o.shard;
  return cfg;
}

function checkOptions(o: LoaderOptions): void {
  if (!o || typeof o !== 'object') throw new TypeError('TrainLoader: options object required');
  if (!o.labelled) throw new RangeError('TrainLoader: labelled images are required');
  if (!(typeof o.mu === 'number' && o.mu >= 0 && Number.isFinite(o.mu))) throw new RangeError(`mu must be a number ≥ 0, got ${o.mu}`);
  const prefetch = o.prefetch ?? 2;
  if (!Number.isInteger(prefetch) || prefetch < 0) throw new RangeError(`prefetch must be an integer ≥ 0, got ${prefetch}`);
  const start = o.startStep ?? 0;
  if (!Number.isInteger(start) || start < 0) throw new RangeError(`startStep must be an integer ≥ 0, got ${start}`);
  checkProducerConfig(toConfig(o, o.device ?? 'cpu'));
}

export class TrainLoader {
  readonly #opts: LoaderOptions;
  readonly #device: string;
  #nextStep: number;
  #producer: BatchProducer | undefined;
  #worker: Worker | undefined;
  #ready: WireBatch[] = [];
  #waiting: Waiter[] = [];
  #error: Error | undefined;
  #closed = false;

  constructor(opts: LoaderOptions) {
    checkOptions(opts);
    this.#opts = opts;
    this.#device = opts.device ?? 'cpu';
    this.#nextStep = opts.startStep ?? 0;
    const prefetch = opts.prefetch ?? 2;
    if (prefetch === 0) {
      this.#producer = new BatchProducer(toConfig(opts, this.#device), this.#nextStep);
      return;
    }
    // LibTorch (OpenMP build) gives each thread its intra-op thread count on the
    // thread's first parallel op, from the count set last by ANY thread. Touch it
    // here first so the worker's setNumThreads(1) cannot leak into this thread.
    torch.getNumThreads();
    const config = toConfig(opts, 'cpu');
    config.labelled = { ...opts.labelled, images: sharedPixels(opts.labelled.images) };
    if (opts.unlabelled) config.unlabelled = { ...opts.unlabelled, images: sharedPixels(opts.unlabelled.images) };
    const init: WorkerInit = { config, startStep: this.#nextStep };
    const worker = new Worker(new URL('./loaderWorker.js', import.meta.url), { workerData: init });
    this.#worker = worker;
    worker.on('message', (m: FromWorker) => this.#onMessage(m));
    worker.on('error', (e) => this.#fail(new Error(`data loader worker crashed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(new Error(`data loader worker exited unexpectedly (code ${code})`));
    });
    // Held (ref'd) only while someone awaits a batch: a loader that is never closed does not keep the process alive.
    worker.unref();
    for (let i = 0; i < prefetch; i++) worker.postMessage({ type: 'produce' });
  }

  /** The step of the batch the next call to next() returns. */
  get step(): number {
    return this.#nextStep;
  }

  /** The next step's batch; its tensors are kept (no scope): free them with disposeBatch(). */
  next(): Promise<Batch> {
    if (this.#closed) return Promise.reject(new Error('TrainLoader: next() after close()'));
    if (this.#error) return Promise.reject(this.#error);
    if (this.#producer) {
      try {
        const produced = torch.tidy(() => this.#producer!.next());
        return Promise.resolve(this.#fromProduced(produced));
      } catch (err) {
        this.#error = err instanceof Error ? err : new Error(String(err));
        return Promise.reject(this.#error);
      }
    }
    const ready = this.#ready.shift();
    if (ready) return this.#deliver(ready);
    return new Promise<Batch>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#worker!.ref();
    });
  }

  /** The state to save with a checkpoint: restore(opts, state) continues with the same batches. */
  state(): LoaderState {
    return { version: 1, step: this.#nextStep, ...sequenceKey(this.#opts) };
  }

  /** A loader that continues a saved sequence: its first batch is the saved state's step. */
  static restore(opts: LoaderOptions, state: LoaderState): TrainLoader {
    if (!state || state.version !== 1) throw new RangeError(`TrainLoader.restore: unknown loader state version ${state?.version}`);
    const now = sequenceKey(opts);
    for (const k of Object.keys(now) as (keyof typeof now)[]) {
      if (now[k] !== state[k]) throw new RangeError(`TrainLoader.restore: ${k} was ${state[k]} when the state was saved, now ${now[k]}; the batch sequence would differ`);
    }
    return new TrainLoader({ ...opts, startStep: state.step });
  }

  /** Stops the worker (batches made ahead are dropped); pending next() calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const err = new Error('TrainLoader closed');
    for (const w of this.#waiting.splice(0)) w.reject(err);
    this.#ready = [];
    this.#producer = undefined;
    const worker = this.#worker;
    if (!worker) return;
    worker.ref();
    const exited = once(worker, 'exit');
    worker.postMessage({ type: 'close' });
    // The worker finishes the batch in hand, then exits; terminate only if it hangs.
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  #onMessage(m: FromWorker): void {
    if (this.#closed) return;
    if (m.type === 'error') {
      const e = new Error(`data loader worker: ${m.message}`);
      e.name = m.name;
      if (m.stack) e.stack = `${e.name}: ${e.message}\n--- in the worker ---\n${m.stack}`;
      this.#fail(e);
      return;
    }
    const waiter = this.#waiting.shift();
    if (!waiter) {
      this.#ready.push(m.batch);
      return;
    }
    if (this.#waiting.length === 0) this.#worker!.unref();
    this.#deliver(m.batch).then(waiter.resolve, waiter.reject);
  }

  #fail(e: Error): void {
    if (this.#error) return;
    this.#error = e;
    for (const w of this.#waiting.splice(0)) w.reject(e);
    this.#worker?.unref();
  }

  /** Hands out a worker batch and asks the worker for one more. */
  #deliver(w: WireBatch): Promise<Batch> {
    if (w.step !== this.#nextStep) return Promise.reject(new Error(`TrainLoader: expected step ${this.#nextStep}, the worker made ${w.step}`));
    this.#worker!.postMessage({ type: 'produce' });
    try {
      const batch = this.#fromWire(w);
      this.#nextStep = w.step + 1;
      return Promise.resolve(batch);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #place(t: Tensor): Tensor {
    return torch.keep(this.#device === 'cpu' ? t : torch.tidy(() => t.to(this.#device)));
  }

  #labels(a: Int32Array): Tensor {
    return this.#place(torch.tidy(() => torch.tensor(a, { dtype: 'int64' })));
  }

  #fromWire(w: WireBatch): Batch {
    const view = (v: WireTensor) => this.#place(torch.tidy(() => torch.tensor(new Float32Array(v.buffer), { shape: v.shape })));
    const batch: Batch = {
      step: w.step,
      labelled: { views: w.labelled.views.map(view), labels: this.#labels(w.labelled.labels), indices: w.labelled.indices },
    };
    if (w.unlabelled) {
      batch.unlabelled = { views: w.unlabelled.views.map(view), indices: w.unlabelled.indices };
      if (w.unlabelled.trueLabels) batch.unlabelled.trueLabels = this.#labels(w.unlabelled.trueLabels);
    }
    return batch;
  }

  #fromProduced(p: ProducedBatch): Batch {
    this.#nextStep = p.step + 1;
    const batch: Batch = {
      step: p.step,
      labelled: { views: p.labelled.views.map((t) => torch.keep(t)), labels: this.#labels(p.labelled.labels), indices: p.labelled.indices },
    };
    if (p.unlabelled) {
      batch.unlabelled = { views: p.unlabelled.views.map((t) => torch.keep(t)), indices: p.unlabelled.indices };
      if (p.unlabelled.trueLabels) batch.unlabelled.trueLabels = this.#labels(p.unlabelled.trueLabels);
    }
    return batch;
  }
}

function sequenceKey(o: LoaderOptions): Omit<LoaderState, 'version' | 'step'> {
  return {
    seed: o.seed,
    labelledCount: frames(o.labelled.images, o.labelled.size),
    unlabelledCount: o.unlabelled && o.unlabelledViews.length > 0 ? frames(o.unlabelled.images, o.unlabelled.size) : 0,
    batchSize: o.batchSize,
    unlabelledBatch: o.unlabelledViews.length > 0 ? o.mu * o.batchSize : 0,
    classBalanced: o.classBalanced ?? false,
  };
}

/** Frees every tensor of a batch. */
export function disposeBatch(b: Batch): void {
  torch.dispose([b.labelled.views, b.labelled.labels, b.unlabelled?.views ?? [], b.unlabelled?.trueLabels ?? []]);
}

/**
 * Evaluation batches in order, no augmentation: x is float32 N×3×S×S,
 * ImageNet-normalised unless `normalize: false`, kept (no scope) — the caller
 * disposes each x. `start` is the position of its first image; the last batch
 * may be smaller.
 */
export function evalBatches(images: Uint8Array, size: number, batchSize: number, opts: { normalize?: boolean; device?: string } = {}): Iterable<{ x: Tensor; start: number }> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`evalBatches: batchSize must be a positive integer, got ${batchSize}`);
  const frame = size * size * 3;
  if (!Number.isInteger(size) || size < 1 || images.length % frame !== 0) {
    throw new RangeError(`evalBatches: ${images.length} bytes are not whole ${size}×${size}×3 images`);
  }
  return evalBatchesOf(images, size, batchSize, opts);
}

function* evalBatchesOf(images: Uint8Array, size: number, batchSize: number, opts: { normalize?: boolean; device?: string }): Generator<{ x: Tensor; start: number }> {
  const frame = size * size * 3;
  const count = images.length / frame;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const x = torch.tidy(() => {
      const f = toFloatImages(images.subarray(start * frame, (start + n) * frame), size, { device: opts.device ?? 'cpu' });
      return opts.normalize === false ? f : imagenetNormalize(f);
    });
    yield { x: torch.keep(x), start };
  }
}
