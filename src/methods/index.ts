/**
 * The method registry: a new method is a new file plus one line here.
 */
import type { Method } from './method.js';
import { Supervised } from './supervised.js';
import { Scn } from './scn.js';
import { FixMatch } from './fixmatch.js';
import { MeanTeacher } from './meanTeacher.js';
import { AdaCm } from './adacm.js';
import { DtaSnl } from './dtaSnl.js';
import { checkHyper } from './hyperParameters.js';
import { CrossEntropyLoss, ScnLoss, type LabelledLoss, type ScnOptions } from './labelledLoss.js';

export type { Method, TrainBatch, StepContext, StepResult, EpochContext, ViewKind } from './method.js';
export { Supervised, Scn, FixMatch, MeanTeacher, AdaCm, DtaSnl, CrossEntropyLoss, ScnLoss };

export const METHOD_NAMES = ['supervised', 'fixmatch', 'meanteacher', 'adacm', 'scn', 'dta-snl'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

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
  /** Method hyper-parameters (see each method's options), e.g. { threshold: 0.95 }. */
  hyper?: Record<string, number>;
}

export function createMethod(name: string, o: MethodOptions): Method {
  const h = o.hyper ?? {};
  checkHyper(name, h, o.noisyLabels);
  // SCN's knobs come as hyper-parameters from the CLI (--relabel-epoch, --scn-warmup, --relabel-group, --hyper beta=…).
  const scn: ScnOptions = { ...o.scn };
  if (o.batchSize !== undefined) scn.batchSize = o.batchSize;
  if (h.relabelEpoch !== undefined) scn.relabelEpoch = h.relabelEpoch;
  if (h.scnWarmup !== undefined) scn.warmupEpochs = h.scnWarmup;
  if (h.relabelLowOnly !== undefined) scn.relabelGroup = h.relabelLowOnly ? 'low' : 'all';
  if (h.beta !== undefined) scn.beta = h.beta;
  if (h.delta1 !== undefined) scn.delta1 = h.delta1;
  if (h.delta2 !== undefined) scn.delta2 = h.delta2;
  const labelled = (): LabelledLoss => (o.noisyLabels === 'scn' ? new ScnLoss(o.numClasses, o.labels, scn) : new CrossEntropyLoss());
  switch (name) {
    case 'supervised': return new Supervised(labelled(), o.fairBaseline);
    case 'scn': return new Scn(o.numClasses, o.labels, scn);
    case 'fixmatch': return new FixMatch(labelled(), h, o.fairBaseline);
    case 'meanteacher': return new MeanTeacher(labelled(), h, o.fairBaseline);
    case 'adacm': return new AdaCm(o.numClasses, labelled(), h);
    case 'dta-snl': return new DtaSnl(o.numClasses, labelled(), h);
    default: throw new Error(`unknown method '${name}'; expected one of ${METHOD_NAMES.join(', ')}`);
  }
}
