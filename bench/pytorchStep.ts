/**
 * The command line of bench/pytorch_step.py (the PyTorch eager reference), in
 * one place for bench/trainStep.ts and for the test that checks the Python
 * side parses it (test/bench/pytorchStep.test.ts; no torch needed for that).
 */
import { join } from 'node:path';
import type { Precision } from '../src/torch/index.js';
import { packageRoot } from './buildCpp.js';

export interface PytorchStepArgs {
  batch: number;
  size: number;
  threads: number;
  warmup: number;
  steps: number;
  device: string;
  channelsLast: boolean;
  precision: Precision;
}

export function pytorchStepScript(): string {
  return join(packageRoot(), 'bench', 'pytorch_step.py');
}

/** Arguments after the script's path, in its positional order. */
export function pytorchStepArgv(a: PytorchStepArgs): string[] {
  return [a.batch, a.size, a.threads, a.warmup, a.steps, a.device, a.channelsLast ? 1 : 0, a.precision].map(String);
}
