/**
 * Checkpoints: one safetensors file holding the student, the EMA teacher, the
 * optimiser's state tensors and the RNG state, with everything else (config,
 * step, schedule, method state such as Ada-CM's margins or SCN's relabels,
 * loader position, best score) as JSON metadata. Written to a temporary file and
 * renamed, so a crash or a kill never leaves a half-written checkpoint.
 */
import { existsSync } from 'node:fs';
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import type { FerModel } from '../models/index.js';
import type { OptimizerStateDict } from '../torch/optim/index.js';
import { errorOfKind } from '../errorKind.js';

export interface CheckpointMeta {
  format: 'semifer-checkpoint';
  version: 1;
  /** The step the resumed run starts at (0-based global), and the epoch it belongs to. */
  nextStep: number;
  epoch: number;
  config: Record<string, unknown>;
  classes: string[];
  method: Record<string, unknown>;
  optimizer: { paramGroups: OptimizerStateDict['paramGroups']; scalars: Record<string, Record<string, number>> };
  scheduler: { lastStep: number; baseLrs: number[] } | null;
  loader: Record<string, unknown> | null;
  best: { score: number; epoch: number } | null;
  /** Bytes of metrics.jsonl written up to this checkpoint (resume truncates to it). */
  metricsBytes: number;
  /** Which model the checkpoint's headline score describes. */
  selectedModel: 'student' | 'teacher';
  extra?: Record<string, unknown>;
}

export interface CheckpointContent {
  meta: CheckpointMeta;
  student: Map<string, Tensor>;
  teacher: Map<string, Tensor> | null;
  optimizerState: OptimizerStateDict['state'];
  rng: Tensor | null;
}

export function saveCheckpoint(path: string, c: { meta: CheckpointMeta; student: FerModel; teacher: FerModel | null; optimizer: OptimizerStateDict; rng: Tensor }): void {
  const tensors = new Map<string, Tensor>();
  for (const [k, v] of c.student.stateDict()) tensors.set(`student.${k}`, v);
  if (c.teacher) for (const [k, v] of c.teacher.stateDict()) tensors.set(`teacher.${k}`, v);
  const scalars: Record<string, Record<string, number>> = {};
  for (const [idx, s] of Object.entries(c.optimizer.state)) {
    for (const [key, v] of Object.entries(s)) {
      if (typeof v === 'number') (scalars[idx] ??= {})[key] = v;
      else tensors.set(`optim.${idx}.${key}`, v);
    }
  }
  tensors.set('rng', c.rng);
  const meta: CheckpointMeta = { ...c.meta, optimizer: { paramGroups: c.optimizer.paramGroups, scalars } };
  torch.saveSafetensors(tensors, path, { semifer: JSON.stringify(meta) });
}

/** A checkpoint file that is missing, truncated or not a checkpoint: the user's file, not a bug. */
export class CheckpointError extends errorOfKind('bad-input') {}

export function loadCheckpoint(path: string): CheckpointContent {
  if (!existsSync(path)) throw new CheckpointError(`${path}: no checkpoint here`);
  const { tensors, metadata } = torch.loadSafetensorsOr(path, (message) => new CheckpointError(message));
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(metadata.semifer ?? 'null');
  } catch {
    throw new CheckpointError(`${path}: checkpoint metadata is not valid JSON`);
  }
  if (!meta || meta.format !== 'semifer-checkpoint') throw new CheckpointError(`${path}: not a semifer checkpoint (no 'semifer' metadata); for plain weights use --pretrained`);
  const student = new Map<string, Tensor>();
  const teacher = new Map<string, Tensor>();
  const state: OptimizerStateDict['state'] = {};
  let rng: Tensor | null = null;
  for (const [k, v] of tensors) {
    if (k.startsWith('student.')) student.set(k.slice(8), v);
    else if (k.startsWith('teacher.')) teacher.set(k.slice(8), v);
    else if (k.startsWith('optim.')) {
      const [, idx, key] = k.split('.');
      (state[Number(idx)] ??= {})[key] = v;
    } else if (k === 'rng') rng = v;
  }
  for (const [idx, s] of Object.entries(meta.optimizer.scalars)) Object.assign((state[Number(idx)] ??= {}), s);
  for (const [which, weights] of [['student', student], ['teacher', teacher]] as const) {
    for (const [name, t] of weights) {
      if (!t.allFinite()) throw new CheckpointError(`${path}: ${which} tensor '${name}' holds NaN or infinite values; the checkpoint is damaged`);
    }
  }
  return { meta, student, teacher: teacher.size ? teacher : null, optimizerState: state, rng };
}
