/**
 * What `semifer label` needs from a run: its model (RUNDIR/model.safetensors,
 * loaded as `eval` and `predict` load it) and the method's own confidence
 * thresholds at the end of training, rebuilt from the last checkpoint's method
 * state by the method class itself (so the rule lives in one place):
 * Ada-CM's learnt per-class margins, DTA's dynamic thresholds τ·ρ_c/max ρ,
 * FixMatch's fixed threshold. Other methods have none.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointMeta } from '../train/checkpoint.js';
import type { FerModel } from '../models/index.js';
import type { ModelFileMeta } from '../models/modelFile.js';

export interface RunModel {
  model: FerModel;
  meta: ModelFileMeta;
  /** Per-class thresholds, when the method has them. */
  thresholds?: number[];
  /** Where they came from, for messages ('adacm margins', …). */
  thresholdSource?: string;
}

export async function openRunModel(run: string): Promise<RunModel> {
  const file = existsSync(run) && statSync(run).isFile() ? run : join(run, 'model.safetensors');
  if (!existsSync(file)) throw new Error(`${file}: no model file (train a model first: semifer train --out ${run})`);
  const { loadModelFile, requireExpressionModelFile } = await import('../models/modelFile.js');
  requireExpressionModelFile(file, 'rank faces for labelling');
  const { model, meta } = loadModelFile(file);
  const ckpt = join(file, '..', 'checkpoint-last.safetensors');
  const t = existsSync(ckpt) ? await thresholdsFrom(readCheckpointMeta(ckpt), meta.classes.length) : undefined;
  return { model, meta, ...(t ? { thresholds: t.thresholds, thresholdSource: t.source } : {}) };
}

/** A checkpoint's JSON metadata, read from the safetensors header alone (no tensor is loaded). */
export function readCheckpointMeta(file: string): CheckpointMeta {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    if (readSync(fd, head, 0, 8, 0) !== 8) throw new Error(`${file}: too short for a safetensors file`);
    const n = Number(head.readBigUInt64LE(0));
    if (!(n > 0 && n < 100 * 1024 * 1024)) throw new Error(`${file}: not a safetensors file (header length ${n})`);
    const json = Buffer.alloc(n);
    readSync(fd, json, 0, n, 8);
    const meta = JSON.parse(json.toString('utf8'))?.__metadata__?.semifer;
    if (typeof meta !== 'string') throw new Error(`${file}: not a semifer checkpoint (no 'semifer' metadata)`);
    return JSON.parse(meta) as CheckpointMeta;
  } finally {
    closeSync(fd);
  }
}

/** The method's thresholds after loading the checkpoint's method state. */
export async function thresholdsFrom(meta: CheckpointMeta, numClasses: number): Promise<{ thresholds: number[]; source: string } | undefined> {
  const cfg = meta.config as { method?: string; hyper?: Record<string, number>; noisyLabels?: 'scn' | 'none' };
  const { createMethod, METHOD_NAMES } = await import('../methods/index.js');
  if (cfg.method === undefined || !METHOD_NAMES.includes(cfg.method)) return undefined;
  const method = createMethod(cfg.method, { numClasses, labels: new Int32Array(0), hyper: cfg.hyper ?? {}, noisyLabels: cfg.noisyLabels });
  if (!method.confidenceThresholds) return undefined;
  method.loadState(meta.method);
  return method.confidenceThresholds({ epoch: meta.epoch, numClasses });
}
