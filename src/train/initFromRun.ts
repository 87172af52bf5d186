/**
 * `semifer train --resume-from RUNDIR`: a new run that starts from another
 * run's final model (RUNDIR/model.safetensors: the EMA teacher where the
 * method has one) instead of random or ImageNet weights — the active-learning
 * loop, where each round adds labels and continues from the last model. Only
 * the weights carry over: the optimiser, schedule, method state and data are
 * the new run's. The classes must be the same in the same order and the
 * backbone the same; the head is taken too when it is the same kind (another
 * method's head, e.g. supervised → Ada-CM, starts fresh).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../torch/index.js';
import type { FerModel } from '../models/index.js';
import type { ModelFileMeta } from '../models/modelFile.js';

export function runModelPath(run: string): string {
  return existsSync(run) && statSync(run).isFile() ? run : join(run, 'model.safetensors');
}

/** Loads the run's weights into `model`; returns what was taken, for the log. */
export function initFromRun(model: FerModel, run: string, classes: readonly string[]): { head: boolean; file: string } {
  const file = runModelPath(run);
  if (!existsSync(file)) throw new Error(`--resume-from ${run}: no model file ${file} (a finished semifer train run has one)`);
  const { tensors, metadata } = torch.loadSafetensors(file);
  try {
    let meta: ModelFileMeta;
    try {
      meta = JSON.parse(metadata.semifer ?? 'null');
    } catch {
      throw new Error(`${file}: model metadata is not valid JSON`);
    }
    if (!meta || meta.format !== 'semifer-model') throw new Error(`${file}: not a semifer model file`);
    if (meta.classes.join(',') !== classes.join(',')) throw new Error(`--resume-from ${run}: its classes (${meta.classes.join(', ')}) differ from this dataset's (${classes.join(', ')})`);
    if (meta.config.arch !== model.config.arch) throw new Error(`--resume-from ${run}: its backbone is ${meta.config.arch}, this run's --model is ${model.config.arch}`);
    const head = meta.config.head === model.config.head && Boolean(meta.config.dta) === Boolean(model.config.dta);
    const pick = new Map([...tensors].filter(([k]) => head || k.startsWith('backbone.')));
    const r = model.loadStateDict(pick, { strict: false });
    if (r.mismatched.length) throw new Error(`${file}: shape mismatches: ${r.mismatched.map((m) => m.key).join(', ')}`);
    return { head, file };
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
