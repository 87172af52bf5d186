/**
 * Export a trained FerModel to ONNX or a TF.js graph model, checked: the
 * files are written under a temporary name next to the destination, the
 * exported model is run there (onnxruntime-node / @tensorflow/tfjs) on the
 * check images beside semifer's own model, and only when the largest
 * probability difference is below the tolerance are they renamed into place.
 * A failed export leaves nothing behind.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FerModel } from '../models/index.js';
import { writeFileSynced } from '../files/writeFileAtomic.js';
import type { ModelFileMeta } from '../models/modelFile.js';
import { graphFromModel } from './fromModel.js';
import { foldBatchNorms } from './fold.js';
import { writeOnnx } from './onnx.js';
import { writeTfjs, TFJS_SHARD } from './tfjs.js';
import { runOnnx, type ExportedOutputs } from './runOnnx.js';
import { runTfjs, runTfjsProbabilities, type TfBackend } from './runTfjs.js';
import { humanCompat, toTargetOrder, CompatError, type CompatAdapter, type CompatTarget } from './humanCompat.js';
import { semiferOutputs, maxAbsDiff } from './compare.js';
import { checkImagesForRun, type CheckImages } from './checkImages.js';
import { ExportError } from './emitters.js';
import type { SemiferExportMetadata } from './metadata.js';

export type ExportFormat = 'onnx' | 'tfjs';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['onnx', 'tfjs'];
/** An export passes its check when max |p_exported − p_semifer| stays below this. */
export const CHECK_TOLERANCE = 1e-4;

export function exportMetadata(meta: ModelFileMeta, format: ExportFormat): SemiferExportMetadata {
  const three = (v: number[], what: string): [number, number, number] => {
    if (v.length !== 3) throw new ExportError(`model file: normalization ${what} has ${v.length} values, expected 3`);
    return [v[0]!, v[1]!, v[2]!];
  };
  return {
    format: 'semifer-export',
    version: 1,
    classes: [...meta.classes],
    input: {
      name: 'input', layout: format === 'onnx' ? 'NCHW' : 'NHWC', size: meta.size, channels: 3, colorOrder: 'RGB',
      scale: 1 / 255, mean: three(meta.normalization.mean, 'mean'), std: three(meta.normalization.std, 'std'),
    },
    outputs: { logits: 'logits', probabilities: 'probabilities' },
    model: { arch: meta.config.arch, head: meta.config.head, method: meta.method, dta: Boolean(meta.config.dta) },
  };
}

export interface ExportOptions {
  format: ExportFormat;
  /** ONNX: the .onnx file (an existing folder gets model.onnx inside). TF.js: the folder for model.json + shard. */
  out: string;
  /** The run folder, to check on its dataset's test images. */
  run?: string;
  /** Check images (default: the run's, else generated). */
  images?: CheckImages;
  /** Fold BatchNorms into convolutions (default true). */
  fold?: boolean;
  tolerance?: number;
  /** TF.js backend the check runs on (default 'wasm', as in the browser). */
  tfjsBackend?: TfBackend;
  /** Version string recorded as the producer. */
  producerVersion?: string;
  /** TF.js only: take another library's model interface instead of semifer's (humanCompat.ts). */
  compat?: CompatTarget;
}

export interface ExportResult {
  format: ExportFormat;
  /** The ONNX file or the TF.js model.json. */
  path: string;
  files: string[];
  bytes: number;
  metadata: SemiferExportMetadata;
  graph: { ops: Record<string, number>; initializers: number; foldedBatchNorms: number };
  /** maxAbsDiffLogits is null for a --compat export (it has no logits output). */
  check: { images: number; source: string; maxAbsDiffProbabilities: number; maxAbsDiffLogits: number | null; tolerance: number };
}

/** A failed post-export check. */
export class ExportCheckError extends ExportError {
  constructor(message: string, readonly maxAbsDiff: number) {
    super(message);
    this.name = 'ExportCheckError';
  }
}

function cannotWrite(path: string, err: unknown): never {
  const e = err as NodeJS.ErrnoException;
  // Node's message already starts with the code (ENOTDIR, EACCES, EEXIST for a file where a folder should be, …).
  throw new ExportError(`${path}: cannot write the export: ${e.message}`);
}

function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    cannotWrite(to, err);
  }
}

/** Where the files go, decided before anything is written. */
function resolveOut(format: ExportFormat, out: string): { dir: string; path: string } {
  // A trailing slash names a folder even before it exists.
  const isDir = /[\\/]$/.test(out) || (existsSync(out) && statSync(out).isDirectory());
  if (format === 'onnx') {
    const path = isDir ? join(out, 'model.onnx') : out;
    return { dir: dirname(path), path };
  }
  // A TF.js model is a folder; `--out web/model/model.json` means its folder.
  const dir = !isDir && basename(out) === 'model.json' ? dirname(out) : out;
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ExportError(`${dir}: exists and is not a folder (a TF.js export is a folder holding model.json and ${TFJS_SHARD})`);
  return { dir, path: join(dir, 'model.json') };
}

export async function exportModel(model: FerModel, meta: ModelFileMeta, o: ExportOptions): Promise<ExportResult> {
  if (!EXPORT_FORMATS.includes(o.format)) throw new ExportError(`unknown export format '${o.format}'; expected one of ${EXPORT_FORMATS.join(', ')}`);
  const tolerance = o.tolerance ?? CHECK_TOLERANCE;
  let metadata = exportMetadata(meta, o.format);
  let compat: CompatAdapter | undefined;
  if (o.compat) {
    if (o.format !== 'tfjs') throw new CompatError(`--compat ${o.compat} is a TF.js model interface: use it with --format tfjs`);
    compat = humanCompat(metadata, o.run ? join(o.run, 'model.safetensors') : 'the model');
    metadata = compat.metadata;
  }
  const g = graphFromModel(model, meta.size, { fold: false, compat });
  const foldedBatchNorms = o.fold === false ? 0 : foldBatchNorms(g);
  const { dir, path } = resolveOut(o.format, o.out);
  const images = o.images ?? await checkImagesForRun(o.run, meta.size);
  const expected = semiferOutputs(model, images.pixels, meta.size);
  // A compat export is judged on the probabilities semifer's model gives, put in the target's class order.
  if (compat) expected.probabilities = toTargetOrder(expected.probabilities, compat);

  let created: string | undefined;
  try {
    // The first folder this call creates, if any: removed again when the export fails.
    created = mkdirSync(dir, { recursive: true });
  } catch (err) {
    cannotWrite(dir, err);
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const files: string[] = [];
  let bytes = 0;
  let got: Partial<ExportedOutputs> & Pick<ExportedOutputs, 'probabilities'>;
  let ok = false;
  try {
    if (o.format === 'onnx') {
      const onnx = writeOnnx(g, metadata, { producerVersion: o.producerVersion });
      try {
        writeFileSynced(tmp, onnx);
      } catch (err) {
        cannotWrite(path, err);
      }
      bytes = onnx.length;
      got = await runOnnx(tmp, images.pixels, metadata);
      check(got, expected, tolerance, 'ONNX');
      moveInto(tmp, path);
      files.push(path);
    } else {
      const { modelJson, shard } = writeTfjs(g, metadata, { generatedBy: `semifer ${o.producerVersion ?? ''}`.trim() });
      const json = JSON.stringify(modelJson);
      try {
        mkdirSync(tmp);
        writeFileSynced(join(tmp, TFJS_SHARD), shard);
        writeFileSynced(join(tmp, 'model.json'), json);
      } catch (err) {
        cannotWrite(dir, err);
      }
      bytes = shard.length + Buffer.byteLength(json);
      got = compat
        ? { probabilities: await runTfjsProbabilities(tmp, images.pixels, metadata, { backend: o.tfjsBackend }) }
        : await runTfjs(tmp, images.pixels, metadata, { backend: o.tfjsBackend });
      check(got, expected, tolerance, 'TF.js');
      // The shard first: a model.json is never visible before the weights it names.
      moveInto(join(tmp, TFJS_SHARD), join(dir, TFJS_SHARD));
      moveInto(join(tmp, 'model.json'), path);
      files.push(path, join(dir, TFJS_SHARD));
    }
    ok = true;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (!ok && created) rmSync(created, { recursive: true, force: true });
  }
  return {
    format: o.format, path, files, bytes, metadata,
    graph: { ops: g.opCounts(), initializers: g.initializers.size, foldedBatchNorms },
    check: {
      images: images.count, source: images.source, tolerance,
      maxAbsDiffProbabilities: maxAbsDiff(got.probabilities, expected.probabilities),
      maxAbsDiffLogits: got.logits ? maxAbsDiff(got.logits, expected.logits) : null,
    },
  };
}

function check(got: Pick<ExportedOutputs, 'probabilities'>, expected: ExportedOutputs, tolerance: number, what: string): void {
  const d = maxAbsDiff(got.probabilities, expected.probabilities);
  if (!(d < tolerance)) {
    throw new ExportCheckError(`the exported ${what} model disagrees with semifer's: max |Δ probability| = ${d.toExponential(2)} ≥ ${tolerance} on the check images; nothing was written`, d);
  }
}

/** Loads RUNDIR/model.safetensors and exports it. */
export async function exportRun(run: string, o: Omit<ExportOptions, 'run'>): Promise<ExportResult> {
  const weights = join(run, 'model.safetensors');
  if (!existsSync(weights)) throw new ExportError(`${weights}: no model file (train first: semifer train … --out ${run})`);
  const { loadModelFile, requireExpressionModelFile } = await import('../models/modelFile.js');
  requireExpressionModelFile(weights, 'be exported yet');
  const { model, meta } = loadModelFile(weights);
  try {
    return await exportModel(model, meta, { ...o, run });
  } finally {
    model.dispose();
  }
}
