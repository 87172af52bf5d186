/**
 * Building a method by name from its declaration (registry.ts): the supervised
 * term is cross-entropy, or SCN's loss with --noisy-labels scn (SCN's knobs are
 * its hyper-parameters: --relabel-epoch, --scn-warmup, --relabel-group, --hyper beta=…).
 */
import type { Method } from './method.js';
import { Supervised } from './supervised.js';
import { Scn } from './scn.js';
import { FixMatch } from './fixmatch.js';
import { MeanTeacher } from './meanTeacher.js';
import { AdaCm } from './adacm.js';
import { DtaSnl } from './dtaSnl.js';
import { checkHyper } from './hyperParameters.js';
import { methodDeclaration, METHOD_NAMES } from './registry.js';
import { CrossEntropyLoss, ScnLoss, scnOptionsFrom, type LabelledLoss, type ScnOptions } from './labelledLoss.js';

export type { Method, TrainBatch, StepContext, StepResult, EpochContext, ViewKind, RelabelSummary } from './method.js';
export { Supervised, Scn, FixMatch, MeanTeacher, AdaCm, DtaSnl, CrossEntropyLoss, ScnLoss, METHOD_NAMES };

export interface MethodOptions {
  numClasses: number;
  /** Labels of the labelled set, by loader index (SCN relabels a copy). */
  labels: Int32Array;
  /** Use SCN's noisy-label handling for the supervised term of any method. */
  noisyLabels?: 'scn' | 'none';
  scn?: ScnOptions;
  /** Labelled images per step (SCN's δ1 default follows it). */
  batchSize?: number;
  /** Supervised, FixMatch and Mean Teacher get Ada-CM's head and weight shrink, FixMatch an EMA model (fairBaseline.ts). */
  fairBaseline?: boolean;
  /** Method hyper-parameters (see each method's declaration), e.g. { threshold: 0.95 }. */
  hyper?: Record<string, number>;
}

export function createMethod(name: string, o: MethodOptions): Method {
  const declaration = methodDeclaration(name);
  const hyper = o.hyper ?? {};
  checkHyper(name, hyper, o.noisyLabels);
  const scn = declaration.scnLoss || o.noisyLabels === 'scn';
  const labelledLoss: LabelledLoss = scn ? new ScnLoss(o.numClasses, o.labels, { ...o.scn, ...scnOptionsFrom(hyper, o.batchSize) }) : new CrossEntropyLoss();
  return declaration.create({ numClasses: o.numClasses, labels: o.labels, labelledLoss, hyper, fairBaseline: o.fairBaseline ?? false, batchSize: o.batchSize });
}
