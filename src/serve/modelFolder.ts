/**
 * Checks `--model` before the server starts: it must be a TF.js graph-model
 * folder written by `semifer export --format tfjs` (see src/export/metadata.ts),
 * so a wrong path fails at once with a clear line instead of a blank page.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { checkExportMetadata, EXPORT_METADATA_KEY, type SemiferExportMetadata } from '../export/metadata.js';
import { errorOfKind } from '../errorKind.js';

/** A model folder that cannot be served (one line, no stack in the CLI). */
export class ModelFolderError extends errorOfKind('failure') {}

export interface ExportedTfjsModel {
  /** Absolute folder holding model.json. */
  dir: string;
  metadata: SemiferExportMetadata;
  /** Weight file names from model.json's weightsManifest: the only other files served from the folder. */
  weightFiles: string[];
}

const TFJS_HINT = 'serve needs a TF.js export: semifer export --format tfjs';

/** Reads and checks an exported TF.js model; `path` is its folder or its model.json. */
export function readExportedTfjsModel(path: string): ExportedTfjsModel {
  if (!existsSync(path)) throw new ModelFolderError(`${path}: no such file or folder`);
  let dir = resolve(path);
  if (statSync(dir).isFile()) {
    if (basename(dir) !== 'model.json') {
      const what = dir.toLowerCase().endsWith('.onnx') ? 'is an ONNX model' : 'is not a TF.js model folder';
      throw new ModelFolderError(`${path}: ${what}; ${TFJS_HINT} --out DIR`);
    }
    dir = dirname(dir);
  }
  const modelJson = join(dir, 'model.json');
  if (!existsSync(modelJson)) {
    const onnx = readdirSync(dir).some((f) => f.toLowerCase().endsWith('.onnx'));
    throw new ModelFolderError(`${path}: no model.json${onnx ? ' (this folder holds an ONNX model)' : ''}; ${TFJS_HINT} --out DIR`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(modelJson, 'utf8'));
  } catch (err) {
    throw new ModelFolderError(`${modelJson}: not valid JSON (${(err as Error).message})`);
  }
  if (doc.format !== 'graph-model' || typeof doc.modelTopology !== 'object') {
    throw new ModelFolderError(`${modelJson}: not a TF.js graph model (format ${JSON.stringify(doc.format)}); ${TFJS_HINT}`);
  }
  const userMeta = doc.userDefinedMetadata as Record<string, unknown> | undefined;
  let metadata: SemiferExportMetadata;
  try {
    metadata = checkExportMetadata(userMeta?.[EXPORT_METADATA_KEY], modelJson);
  } catch (err) {
    throw new ModelFolderError((err as Error).message);
  }
  if (metadata.input.layout !== 'NHWC') throw new ModelFolderError(`${modelJson}: input layout ${metadata.input.layout}, expected NHWC for TF.js`);
  return { dir, metadata, weightFiles: weightFilesOf(doc, modelJson, dir) };
}

/** The shard names model.json lists; each must be a plain file name in the folder (never a path out of it). */
function weightFilesOf(doc: Record<string, unknown>, modelJson: string, dir: string): string[] {
  const manifest = doc.weightsManifest;
  if (!Array.isArray(manifest)) throw new ModelFolderError(`${modelJson}: no weightsManifest`);
  const files: string[] = [];
  for (const group of manifest as { paths?: unknown }[]) {
    for (const p of Array.isArray(group?.paths) ? group.paths : []) {
      if (typeof p !== 'string' || !/^[\w.-]+$/.test(p) || p.startsWith('.')) {
        throw new ModelFolderError(`${modelJson}: weight file ${JSON.stringify(p)} is not a plain file name in the model folder`);
      }
      if (!existsSync(join(dir, p))) throw new ModelFolderError(`${join(dir, p)}: weight file listed in model.json is missing`);
      files.push(p);
    }
  }
  return files;
}
