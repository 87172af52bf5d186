/**
 * The checks of a run's configuration that can be made before any image is
 * decoded (device, schedule, label protocol, pretrained file) or right after (the batch against
 * the labelled set), each failing with a RunConfigError: the user's mistake,
 * exit 2, one line naming the flag, no stack trace.
 */
import { existsSync, statSync } from 'node:fs';
import * as torch from '../torch/index.js';
import type { TrainConfig } from './config.js';
import { checkSchedule } from './schedule.js';
import { parseLabelSpec } from '../data/splits.js';
import { loadPretrainedWeights } from '../models/pretrained/load.js';
import { looksLikeSpec } from '../models/pretrained/catalog.js';
import { errorOfKind } from '../errorKind.js';

export class RunConfigError extends errorOfKind('bad-input') {}

/** 'cpu', 'cuda' or 'cuda:N' with N a device this process can see, or 'lazy' (the tests' placement check, torch/runtime.ts). */
export function checkDevice(spec: string, flag = '--device'): void {
  if (spec === 'cpu' || spec === 'lazy' || spec === 'lazy:0') return;
  const m = /^cuda(?::(\d+))?$/.exec(spec);
  if (!m) throw new RunConfigError(`${flag} '${spec}': expected cpu, cuda, cuda:N or lazy`);
  const count = torch.cuda.deviceCount();
  if (count === 0) throw new RunConfigError(`${flag} ${spec}: no CUDA device is available to this build of LibTorch; use ${flag} cpu`);
  const index = Number(m[1] ?? 0);
  if (index >= count) {
    throw new RunConfigError(`${flag} ${spec}: there ${count === 1 ? 'is one CUDA device (cuda:0)' : `are ${count} CUDA devices (cuda:0 to cuda:${count - 1})`}`);
  }
}

/** Everything about cfg that is wrong regardless of the data; before decoding. */
export function checkRunBeforeData(cfg: TrainConfig): void {
  checkDevice(cfg.device);
  try {
    checkSchedule(cfg.schedule);
  } catch (e) {
    throw new RunConfigError(`--schedule: ${(e as Error).message}`);
  }
  try {
    parseLabelSpec(cfg.labels);
  } catch (e) {
    throw new RunConfigError(`--labels: ${(e as Error).message}`);
  }
  // A catalog spec (human-models:mobilefacenet) is checked when it is loaded (models/pretrained/load.ts).
  if (cfg.pretrained && !looksLikeSpec(cfg.pretrained) && (!existsSync(cfg.pretrained) || !statSync(cfg.pretrained).isFile())) {
    throw new RunConfigError(`--pretrained ${cfg.pretrained}: no such file`);
  }
}

/** A batch bigger than the labelled set would repeat images within one step (and can exhaust memory). */
export function checkBatch(cfg: TrainConfig, labelled: number): void {
  if (cfg.batch > labelled) {
    throw new RunConfigError(`--batch ${cfg.batch} is larger than the labelled set (${labelled} images with labels '${cfg.labels}'); use --batch ${labelled} or less, or label more images`);
  }
}

/** Loads --pretrained weights, blaming the file (not the program) when they cannot be read or do not fit. */
export async function loadPretrained(path: string, arch: string, apply: (sd: Map<string, torch.Tensor>) => void): Promise<void> {
  let sd: Map<string, torch.Tensor>;
  try {
    sd = await loadPretrainedWeights(path, arch);
  } catch (e) {
    const message = (e as Error).message;
    throw new RunConfigError(`--pretrained ${path}: cannot read the weights: ${message.replace(`${path}: `, '')}`);
  }
  try {
    apply(sd);
  } catch (e) {
    throw new RunConfigError(`--pretrained ${path}: the weights do not fit the model: ${(e as Error).message}`);
  } finally {
    for (const t of sd.values()) t.dispose();
  }
}
