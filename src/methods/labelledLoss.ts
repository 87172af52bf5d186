/**
 * The supervised term Lx, pluggable so that any semi-supervised method can run
 * on noisily labelled data with SCN's handling (e.g. Ada-CM + SCN):
 *  - 'ce':  cross-entropy with the dataset's labels;
 *  - 'scn': SCN's logit-weighted cross-entropy + rank regularisation, with
 *           relabelling from a given epoch (the stored labels change for later epochs).
 */
import { F, tensor, zeros, type Tensor } from '../torch/index.js';
import type { HeadOutput } from '../models/index.js';
import type { RelabelSummary, StepStats } from './method.js';
import { hyperValues } from './declaration.js';
import { lowImportanceGroup, rankRegularization, relabel, scnDelta1ForBatch, SCN_DELTA1_POINTS, SCN_HYPER } from './losses/scnRank.js';

export { SCN_HYPER };

export interface LabelledLossResult {
  loss: Tensor;
  terms: Record<string, Tensor>;
  stats: StepStats;
}

export interface LabelledLoss {
  readonly kind: 'ce' | 'scn';
  compute(out: HeadOutput, labels: Tensor, indices: Int32Array, epoch: number): LabelledLossResult;
  /** What relabelling has changed (a loss that relabels). */
  summary?(): RelabelSummary;
  state(): Record<string, unknown>;
  loadState(s: Record<string, unknown>): void;
}

export class CrossEntropyLoss implements LabelledLoss {
  readonly kind = 'ce' as const;
  constructor(readonly labelSmoothing = 0) {}
  compute(out: HeadOutput, labels: Tensor): LabelledLossResult {
    const loss = F.crossEntropy(out.logits, labels, { labelSmoothing: this.labelSmoothing });
    return { loss, terms: {}, stats: {} };
  }
  state(): Record<string, unknown> {
    return {};
  }
  loadState(): void {}
}

/** ScnLoss's options from SCN's hyper-parameters as given (unset ones take SCN_HYPER's defaults in ScnLoss). */
export function scnOptionsFrom(hyper: Readonly<Record<string, number>>, batchSize?: number): ScnOptions {
  const o: ScnOptions = {};
  if (batchSize !== undefined) o.batchSize = batchSize;
  if (hyper.relabelEpoch !== undefined) o.relabelEpoch = hyper.relabelEpoch;
  if (hyper.scnWarmup !== undefined) o.warmupEpochs = hyper.scnWarmup;
  if (hyper.relabelLowOnly !== undefined) o.relabelGroup = hyper.relabelLowOnly ? 'low' : 'all';
  if (hyper.beta !== undefined) o.beta = hyper.beta;
  if (hyper.delta1 !== undefined) o.delta1 = hyper.delta1;
  if (hyper.delta2 !== undefined) o.delta2 = hyper.delta2;
  return o;
}

export interface ScnOptions {
  beta?: number;
  /** Rank-regularisation margin; unset: scnDelta1ForBatch(batchSize). */
  delta1?: number;
  /** Labelled images per step, which sets δ1's default (unset: the authors' 1024, δ1 = 0.15). */
  batchSize?: number;
  delta2?: number;
  /** First epoch (1-based) at which relabelling applies (unset: SCN_HYPER's, the authors'). */
  relabelEpoch?: number;
  /**
   * Epochs (from the first) trained with plain cross-entropy on W f + b before
   * the α weighting and rank regularisation start (unset: SCN_HYPER's, the paper's). The
   * authors start from MS-Celeb-1M weights, whose logits are large from the
   * first step. From scratch, one epoch helped on the synthetic faces (73.3 vs
   * 69.4 %, docs/results.md); it was needed while the SCN head still had dropout,
   * when α collapsed without it.
   */
  warmupEpochs?: number;
  /** Which samples relabelling may change: 'all' (the authors' code) or 'low' (the paper: the low-importance group); the hyper-parameter relabelLowOnly. */
  relabelGroup?: 'all' | 'low';
}

export class ScnLoss implements LabelledLoss {
  readonly kind = 'scn' as const;
  readonly beta: number;
  readonly delta1: number;
  readonly delta2: number;
  readonly relabelEpoch: number;
  readonly warmupEpochs: number;
  readonly relabelGroup: 'all' | 'low';
  /** Current label of every labelled sample, by loader index (null until the first batch). */
  labels: Int32Array | null = null;
  relabelledTotal = 0;
  relabelledByClass: number[];

  constructor(readonly numClasses: number, readonly initialLabels: Int32Array, o: ScnOptions = {}) {
    const d = hyperValues(SCN_HYPER, {});
    this.beta = o.beta ?? d.beta;
    this.delta1 = o.delta1 ?? scnDelta1ForBatch(o.batchSize ?? SCN_DELTA1_POINTS.large.batch);
    this.delta2 = o.delta2 ?? d.delta2;
    this.relabelEpoch = o.relabelEpoch ?? d.relabelEpoch;
    this.warmupEpochs = o.warmupEpochs ?? d.scnWarmup;
    this.relabelGroup = o.relabelGroup ?? (d.relabelLowOnly ? 'low' : 'all');
    this.labels = Int32Array.from(initialLabels);
    this.relabelledByClass = new Array(numClasses).fill(0);
  }

  compute(out: HeadOutput, _given: Tensor, indices: Int32Array, epoch: number): LabelledLossResult {
    if (!out.alpha) throw new Error("SCN needs the model's SCN head (importance weights α); build the model with head 'scn'");
    const current = Int32Array.from(indices, (i) => this.labels![i]);
    const y = tensor(current, { dtype: 'int64', device: out.logits.device });
    const stats: StepStats = { alphaMean: out.alpha.detach().mean() };
    if (epoch <= this.warmupEpochs) {
      if (!out.rawLogits) throw new Error("SCN's warm-up needs the head's logits before weighting (rawLogits)");
      const ce = F.crossEntropy(out.rawLogits, y);
      return { loss: ce, terms: { WCE: ce, RR: zeros([], { device: ce.device }) }, stats };
    }
    const wce = F.crossEntropy(out.logits, y);
    const rr = rankRegularization(out.alpha, this.beta, this.delta1);
    if (epoch >= this.relabelEpoch) {
      const probs = out.logits.detach().softmax(1).data() as Float32Array;
      const eligible = this.relabelGroup === 'low' ? lowImportanceGroup(out.alpha.detach().flatten().data() as Float32Array, this.beta) : undefined;
      const { labels, changed } = relabel(probs, current, this.numClasses, this.delta2, eligible);
      for (const k of changed) {
        this.labels![indices[k]] = labels[k];
        this.relabelledByClass[labels[k]] += 1;
      }
      this.relabelledTotal += changed.length;
      stats.relabelled = changed.length;
    }
    return { loss: wce.add(rr), terms: { WCE: wce, RR: rr }, stats };
  }

  /** How many stored labels differ from the originals now, by new class. */
  summary(): RelabelSummary {
    let changedNow = 0;
    this.labels!.forEach((l, i) => (changedNow += l !== this.initialLabels[i] ? 1 : 0));
    return { changedNow, relabelledTotal: this.relabelledTotal, relabelledByClass: [...this.relabelledByClass] };
  }

  state(): Record<string, unknown> {
    return { labels: Array.from(this.labels!), relabelledTotal: this.relabelledTotal, relabelledByClass: this.relabelledByClass };
  }
  loadState(s: Record<string, unknown>): void {
    this.labels = Int32Array.from(s.labels as number[]);
    this.relabelledTotal = s.relabelledTotal as number;
    this.relabelledByClass = [...(s.relabelledByClass as number[])];
  }
}
