/**
 * Makes the training batches of a TrainLoader, step after step: samples the
 * labelled and unlabelled positions, gathers their uint8 images and runs each
 * asked view's augmentation. The same code runs in the loader's worker thread
 * and, with `prefetch: 0`, in the calling thread, so both give the same batches.
 *
 * Reproducibility: positions come from the data layer's seeded samplers, which
 * advance once per step, so batch k depends only on (seed, k) and a producer
 * started at step k replays the samplers' first k draws (cheap: no images).
 * Each view's random decisions come from an Rng seeded with (seed, step,
 * stream, view) — never from LibTorch's process-wide generator (params.ts).
 */
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { Rng } from './random.js';
import { gatherFrames } from './frames.js';
import { type BatchSampler, ClassBalancedSampler, RandomSampler } from './sampler.js';
import { AUGMENT_KINDS, type Augment, type AugmentKind, type AugmentOptions, buildAugment, mixSeeds, normalize_, toFloatImages } from './augment/index.js';

/** What a producer needs: the loader's options, checked, with every default filled in. */
export interface ProducerConfig {
  labelled: { images: Uint8Array; labels: Int32Array; size: number };
  unlabelled?: { images: Uint8Array; size: number; trueLabels?: Int32Array };
  batchSize: number;
  /** Unlabelled images per step (μ·B). */
  unlabelledBatch: number;
  labelledViews: AugmentKind[];
  unlabelledViews: AugmentKind[];
  classBalanced: boolean;
  seed: number;
  normalize: boolean;
  augment: AugmentOptions;
  /** Where the views are computed. */
  device: string;
  /**
   * Data-parallel rank `rank` of `worldSize`: the global batch is sampled and
   * augmented as in one process, and this rank keeps its contiguous slice, so
   * the ranks' slices together are exactly one process's batch (any world size).
   */
  shard?: { rank: number; worldSize: number };
}

/** One step's batch as produced: views as tensors (in the caller's scope), labels and positions as arrays. */
export interface ProducedBatch {
  step: number;
  labelled: { views: Tensor[]; labels: Int32Array; indices: Int32Array };
  unlabelled?: { views: Tensor[]; indices: Int32Array; trueLabels?: Int32Array };
}

// Stream numbers in the per-view seeds.
const LABELLED = 1;
const UNLABELLED = 2;

export class BatchProducer {
  /** The step the next call to next() makes. */
  step: number;
  private readonly labelledSampler: BatchSampler;
  private readonly unlabelledSampler: BatchSampler | undefined;
  private readonly augments: Map<AugmentKind, Augment>;

  constructor(private readonly cfg: ProducerConfig, startStep = 0) {
    const frameCount = (images: Uint8Array, size: number) => images.length / (size * size * 3);
    const nLabelled = frameCount(cfg.labelled.images, cfg.labelled.size);
    // Distinct sampler seeds: two RandomSamplers with one seed would shuffle alike.
    this.labelledSampler = cfg.classBalanced
      ? new ClassBalancedSampler(cfg.labelled.labels, cfg.batchSize, mixSeeds(cfg.seed, LABELLED))
      : new RandomSampler(nLabelled, cfg.batchSize, mixSeeds(cfg.seed, LABELLED));
    if (cfg.unlabelled && cfg.unlabelledViews.length > 0) {
      this.unlabelledSampler = new RandomSampler(frameCount(cfg.unlabelled.images, cfg.unlabelled.size), cfg.unlabelledBatch, mixSeeds(cfg.seed, UNLABELLED));
    }
    this.augments = new Map();
    for (const kind of new Set([...cfg.labelledViews, ...cfg.unlabelledViews])) this.augments.set(kind, buildAugment(kind, cfg.augment));
    for (this.step = 0; this.step < startStep; this.step++) {
      this.labelledSampler.next();
      this.unlabelledSampler?.next();
    }
  }

  /** The next step's batch. Tensors belong to the caller's current scope. */
  next(): ProducedBatch {
    const { cfg } = this;
    const step = this.step++;
    const li = this.labelledSampler.next();
    const labels = new Int32Array(li.length);
    for (let i = 0; i < li.length; i++) labels[i] = cfg.labelled.labels[li[i]!]!;
    const batch: ProducedBatch = {
      step,
      labelled: { views: this.views(cfg.labelled.images, cfg.labelled.size, li, cfg.labelledViews, step, LABELLED), labels, indices: li },
    };
    if (this.unlabelledSampler && cfg.unlabelled) {
      const ui = this.unlabelledSampler.next();
      const u = cfg.unlabelled;
      batch.unlabelled = { views: this.views(u.images, u.size, ui, cfg.unlabelledViews, step, UNLABELLED), indices: ui };
      if (u.trueLabels) batch.unlabelled.trueLabels = Int32Array.from(ui, (i) => u.trueLabels![i]!);
    }
    return cfg.shard && cfg.shard.worldSize > 1 ? shardOf(batch, cfg.shard.rank, cfg.shard.worldSize) : batch;
  }

  private views(images: Uint8Array, size: number, positions: Int32Array, kinds: AugmentKind[], step: number, stream: number): Tensor[] {
    if (kinds.length === 0) return [];
    return torch.tidy(() => {
      const x = toFloatImages(gatherFrames(images, size, positions), size, { device: this.cfg.device });
      return kinds.map((kind, v) => {
        const y = this.augments.get(kind)!(x, new Rng(mixSeeds(this.cfg.seed, step, stream, v)));
        return this.cfg.normalize ? normalize_(y) : y; // y is this scope's own tensor
      });
    });
  }
}

/** Rank `rank`'s contiguous 1/worldSize of every part of a global batch (its size divides evenly: checkProducerConfig). */
function shardOf(b: ProducedBatch, rank: number, worldSize: number): ProducedBatch {
  const part = <T extends { subarray(a: number, b: number): T; slice(): T; length: number }>(a: T): T => {
    const n = a.length / worldSize;
    return a.subarray(rank * n, (rank + 1) * n).slice();
  };
  const views = (vs: Tensor[], n: number): Tensor[] => vs.map((v) => v.narrow(0, rank * (n / worldSize), n / worldSize).clone());
  const out: ProducedBatch = {
    step: b.step,
    labelled: { views: views(b.labelled.views, b.labelled.indices.length), labels: part(b.labelled.labels), indices: part(b.labelled.indices) },
  };
  if (b.unlabelled) {
    const u = b.unlabelled;
    out.unlabelled = { views: views(u.views, u.indices.length), indices: part(u.indices) };
    if (u.trueLabels) out.unlabelled.trueLabels = part(u.trueLabels);
  }
  return out;
}

/** Throws a RangeError naming the first bad option (run on the calling thread, before any worker starts). */
export function checkProducerConfig(cfg: ProducerConfig): void {
  const set = (name: string, images: Uint8Array, size: number): number => {
    if (!(images instanceof Uint8Array)) throw new TypeError(`${name}.images must be a Uint8Array of N×S×S×3 RGB bytes`);
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`${name}.size must be a positive integer, got ${size}`);
    const frame = size * size * 3;
    if (images.length === 0 || images.length % frame !== 0) {
      throw new RangeError(`${name}.images has ${images.length} bytes, not a positive multiple of ${size}×${size}×3 = ${frame}`);
    }
    return images.length / frame;
  };
  const n = set('labelled', cfg.labelled.images, cfg.labelled.size);
  const labels = cfg.labelled.labels;
  if (!(labels instanceof Int32Array) || labels.length !== n) throw new RangeError(`labelled.labels must be an Int32Array with one label per image (${n}), got ${labels?.length}`);
  const bad = labels.findIndex((l) => l < 0);
  if (bad >= 0) throw new RangeError(`labelled.labels[${bad}] is ${labels[bad]}: every labelled image needs a class index ≥ 0`);
  if (!Number.isInteger(cfg.batchSize) || cfg.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${cfg.batchSize}`);
  for (const [name, views] of [['labelledViews', cfg.labelledViews], ['unlabelledViews', cfg.unlabelledViews]] as const) {
    if (!Array.isArray(views)) throw new TypeError(`${name} must be an array of view kinds (${AUGMENT_KINDS.join(', ')})`);
    for (const v of views) if (!AUGMENT_KINDS.includes(v)) throw new RangeError(`${name}: unknown view '${String(v)}'; expected one of ${AUGMENT_KINDS.join(', ')}`);
  }
  if (cfg.labelledViews.length === 0) throw new RangeError('labelledViews is empty: a training batch needs at least one labelled view');
  if (cfg.unlabelledViews.length > 0) {
    if (!cfg.unlabelled) throw new RangeError(`unlabelledViews [${cfg.unlabelledViews.join(', ')}] asked for, but no unlabelled images were given`);
    if (!Number.isInteger(cfg.unlabelledBatch) || cfg.unlabelledBatch < 1) throw new RangeError(`mu·batchSize must be a positive integer, got ${cfg.unlabelledBatch}`);
  }
  if (cfg.unlabelled) {
    const nu = set('unlabelled', cfg.unlabelled.images, cfg.unlabelled.size);
    const t = cfg.unlabelled.trueLabels;
    if (t !== undefined && (!(t instanceof Int32Array) || t.length !== nu)) throw new RangeError(`unlabelled.trueLabels must be an Int32Array with one label per image (${nu}), got ${t?.length}`);
  }
  if (!Number.isInteger(cfg.seed) || cfg.seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${cfg.seed}`);
  if (cfg.shard) {
    const { rank, worldSize } = cfg.shard;
    if (!Number.isInteger(worldSize) || worldSize < 1 || !Number.isInteger(rank) || rank < 0 || rank >= worldSize) throw new RangeError(`shard: rank ${rank} of ${worldSize} ranks is not a rank`);
    if (cfg.batchSize % worldSize !== 0) throw new RangeError(`batchSize ${cfg.batchSize} does not split evenly over ${worldSize} ranks`);
    if (cfg.unlabelledViews.length > 0 && cfg.unlabelledBatch % worldSize !== 0) throw new RangeError(`mu·batchSize ${cfg.unlabelledBatch} does not split evenly over ${worldSize} ranks`);
  }
}
