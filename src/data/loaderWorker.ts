/**
 * The TrainLoader's worker thread: makes batches ahead of the training loop.
 *
 * The parent sends one 'produce' per batch it wants ready (its prefetch depth,
 * then one per batch it hands out) and 'close' at the end. Each batch's views
 * go back as float32 ArrayBuffers, transferred, not copied; the image arrays
 * arrive once, in SharedArrayBuffers. Any error is sent back as a message and
 * the worker stays up until told to close, so the parent can reject cleanly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as torch from '../torch/index.js';
import { BatchProducer, type ProducedBatch, type ProducerConfig } from './batchProducer.js';

/** A view on the wire: the float32 elements and the shape. */
export interface WireTensor { buffer: ArrayBuffer; shape: number[] }

export interface WireBatch {
  step: number;
  labelled: { views: WireTensor[]; labels: Int32Array; indices: Int32Array };
  unlabelled?: { views: WireTensor[]; indices: Int32Array; trueLabels?: Int32Array };
}

export type ToWorker = { type: 'produce' } | { type: 'close' };
export type FromWorker =
  | { type: 'batch'; batch: WireBatch }
  | { type: 'error'; name: string; message: string; stack?: string };

export interface WorkerInit { config: ProducerConfig; startStep: number }

function toWire(b: ProducedBatch, transfer: ArrayBuffer[]): WireBatch {
  const views = (ts: torch.Tensor[]): WireTensor[] =>
    ts.map((t) => {
      const buffer = (t.contiguous().data() as Float32Array).buffer as ArrayBuffer;
      transfer.push(buffer);
      return { buffer, shape: t.shape };
    });
  const wire: WireBatch = { step: b.step, labelled: { views: views(b.labelled.views), labels: b.labelled.labels, indices: b.labelled.indices } };
  if (b.unlabelled) {
    wire.unlabelled = { views: views(b.unlabelled.views), indices: b.unlabelled.indices };
    if (b.unlabelled.trueLabels) wire.unlabelled.trueLabels = b.unlabelled.trueLabels;
  }
  return wire;
}

function run(): void {
  const port = parentPort;
  if (!port) throw new Error('loaderWorker.js runs only as a worker thread of TrainLoader');
  // One intra-op thread: the training step in the main thread has the cores.
  torch.setNumThreads(1);
  const init = workerData as WorkerInit;
  let producer: BatchProducer | undefined;
  let failure: unknown;
  try {
    producer = new BatchProducer(init.config, init.startStep);
  } catch (err) {
    failure = err;
  }
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'close') {
      port.close();
      return;
    }
    try {
      if (failure !== undefined) throw failure;
      const transfer: ArrayBuffer[] = [];
      const batch = torch.tidy(() => toWire(producer!.next(), transfer));
      port.postMessage({ type: 'batch', batch } satisfies FromWorker, transfer);
    } catch (err) {
      // A failed step leaves the samplers part-way; every later request reports the same error.
      failure = err;
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ type: 'error', name: e.name, message: e.message, stack: e.stack } satisfies FromWorker);
    }
  });
}

run();
