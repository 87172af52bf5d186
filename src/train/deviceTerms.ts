/**
 * Loss terms and statistics that stay on the device between reads. Reading a
 * value (item(), data()) waits for the device to finish every queued kernel,
 * which on a GPU stalls the pipeline once per step; so the trainer records each
 * step here and reads every --log-every steps and before every checkpoint.
 * Divergence is still caught at the step where it happens: the first step with
 * a non-finite term since the last read, and that step's terms, are kept on
 * the device (a few element-wise ops per step, no sync) and come back with the
 * next read.
 */
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';

export type StatValue = number | number[] | Tensor;

export interface TermsRead {
  /** The latest recorded step's terms, by name. */
  terms: Record<string, number>;
  /** The latest recorded step's statistics, tensors read as numbers (a one-element tensor as a number). */
  stats: Record<string, number | number[]>;
  /** The first step since the previous read with a non-finite term: which term first (in recording order), and its value. */
  diverged?: { step: number; term: string; value: number };
}

export class DeviceTerms {
  #names: string[] = [];
  /** float32 [K]: the latest step's terms. */
  #last: Tensor | null = null;
  /** float32 [1 + K]: the first non-finite step since the last read (−1: none), then its terms; null until a step is recorded. */
  #firstBad: Tensor | null = null;
  /** A divergence found when the term names changed (read early), reported by the next read. */
  #carried: TermsRead['diverged'];
  #stats: Record<string, StatValue> = {};

  /** Records one step (inside the step's tidy scope is fine: what it keeps, it keeps itself). */
  record(step: number, terms: Record<string, Tensor>, stats: Record<string, StatValue> = {}): void {
    const names = Object.keys(terms);
    if (names.join('\n') !== this.#names.join('\n')) this.#restart(names);
    torch.noGrad(() => {
      const values = torch.keep(torch.tidy(() => torch.stack(names.map((n) => terms[n].detach().to('float32').reshape([])))));
      const firstBad = torch.keep(torch.tidy(() => {
        const prev = this.#firstBad ?? torch.full([names.length + 1], -1, { device: values.device });
        // New only if this step has a non-finite term and none was seen since the last read.
        const isNew = values.isfinite().logicalNot().any().logicalAnd(prev.narrow(0, 0, 1).lt(0).squeeze(0));
        const mine = torch.cat([torch.full([1], step, { device: values.device }), values]);
        return torch.where(isNew, mine, prev);
      }));
      this.#last?.dispose();
      this.#firstBad?.dispose();
      this.#last = values;
      this.#firstBad = firstBad;
    });
    this.#setStats(stats);
  }

  /** Reads the latest terms and statistics (one wait for the device) and clears the divergence record. */
  read(): TermsRead {
    const out: TermsRead = { terms: {}, stats: this.#readStats() };
    if (this.#last && this.#firstBad) {
      const K = this.#names.length;
      const all = torch.tidy(() => torch.cat([this.#last!, this.#firstBad!]).toArray());
      this.#names.forEach((n, i) => (out.terms[n] = all[i]));
      if (all[K] >= 0) {
        const values = all.slice(K + 1);
        const i = values.findIndex((v) => !Number.isFinite(v));
        out.diverged = { step: all[K], term: this.#names[i], value: values[i] };
      }
    }
    if (this.#carried) out.diverged = this.#carried;
    this.#carried = undefined;
    this.#firstBad?.dispose();
    this.#firstBad = null;
    return out;
  }

  dispose(): void {
    this.#last?.dispose();
    this.#firstBad?.dispose();
    this.#last = this.#firstBad = null;
    this.#setStats({});
  }

  #restart(names: string[]): void {
    // A method changed its terms (e.g. SCN after its warm-up): what was recorded under the old names is checked now.
    if (this.#firstBad) this.#carried = this.read().diverged ?? this.#carried;
    this.#names = names;
    this.#last?.dispose();
    this.#last = null;
  }

  #setStats(stats: Record<string, StatValue>): void {
    for (const v of Object.values(this.#stats)) if (v instanceof torch.Tensor) v.dispose();
    this.#stats = {};
    for (const [k, v] of Object.entries(stats)) this.#stats[k] = v instanceof torch.Tensor ? torch.keep(torch.tidy(() => v.detach().to('float32'))) : v;
  }

  #readStats(): Record<string, number | number[]> {
    const out: Record<string, number | number[]> = {};
    for (const [k, v] of Object.entries(this.#stats)) {
      if (!(v instanceof torch.Tensor)) out[k] = v;
      else {
        const a = v.toArray();
        out[k] = v.ndim === 0 ? a[0] : a;
      }
    }
    return out;
  }
}

/** Statistics that count images (Ada-CM's subsets, SCN's relabels): over the ranks they add up rather than average. */
export const COUNT_STATS: ReadonlySet<string> = new Set(['subsetI', 'subsetII', 'relabelled']);

/**
 * A read combined over the ranks of a data-parallel run, so that metrics.jsonl
 * logs the global batch's loss terms and statistics rather than rank 0's
 * slice: every term and every number of a statistic (element-wise for lists)
 * becomes its mean over the ranks, as DistributedDataParallel users average
 * their loss for logging, and counts (COUNT_STATS) their sum. Each rank has
 * B/N images, so a mean over a rank's images averages to the global batch's.
 * A divergence seen on any rank is reported by every rank (a rank that
 * stopped alone would leave the others waiting).
 */
export function averageRead(read: TermsRead, meanOverRanks: (values: readonly number[]) => number[], worldSize: number): TermsRead {
  const termNames = Object.keys(read.terms);
  const statNames = Object.keys(read.stats);
  const flat = [...termNames.map((n) => read.terms[n]!), ...statNames.flatMap((n) => read.stats[n]!), read.diverged ? 1 : 0];
  const mean = meanOverRanks(flat);
  let i = 0;
  const terms: Record<string, number> = {};
  for (const n of termNames) terms[n] = mean[i++]!;
  const stats: Record<string, number | number[]> = {};
  for (const n of statNames) {
    const v = read.stats[n]!;
    if (Array.isArray(v)) {
      stats[n] = mean.slice(i, i + v.length);
      i += v.length;
    } else stats[n] = COUNT_STATS.has(n) ? mean[i++]! * worldSize : mean[i++]!;
  }
  const anyDiverged = mean[i]! > 0;
  const out: TermsRead = { terms, stats };
  if (read.diverged) out.diverged = read.diverged;
  else if (anyDiverged) out.diverged = { step: Number.NaN, term: 'a term on another rank', value: Number.NaN };
  return out;
}
