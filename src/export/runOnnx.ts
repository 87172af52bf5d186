/**
 * Runs an exported ONNX model with onnxruntime-node (CPU): the export check,
 * and what `semifer predict --model x.onnx` can reuse. Loaded lazily so the
 * CLI starts without it.
 */
import type { SemiferExportMetadata } from './metadata.js';
import { inputFromPixels } from './preprocess.js';

export interface ExportedOutputs {
  /** N×C row-major. */
  logits: Float32Array;
  probabilities: Float32Array;
}

/** `model`: the .onnx file's path or bytes; `pixels`: N × S × S × 3 RGB bytes. */
export async function runOnnx(
  model: string | Uint8Array, pixels: Uint8Array, meta: SemiferExportMetadata,
  o: { threads?: number; graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all' } = {},
): Promise<ExportedOutputs> {
  // Only TF.js has --compat exports (the ones without logits).
  if (!meta.outputs.logits) throw new Error('runOnnx: the metadata names no logits output');
  const logitsName = meta.outputs.logits;
  const ort = await import('onnxruntime-node');
  // One intra-op thread by default: exports are checked on small batches, often beside a training run.
  const opts = { intraOpNumThreads: o.threads ?? 1, interOpNumThreads: 1, logSeverityLevel: 3 as const, graphOptimizationLevel: o.graphOptimizationLevel ?? 'all' };
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, opts) : await ort.InferenceSession.create(model, opts);
  try {
    const { data, dims } = inputFromPixels(pixels, meta.input);
    const out = await session.run({ [meta.input.name]: new ort.Tensor('float32', data, dims) });
    return { logits: out[logitsName]!.data as Float32Array, probabilities: out[meta.outputs.probabilities]!.data as Float32Array };
  } finally {
    await session.release();
  }
}
