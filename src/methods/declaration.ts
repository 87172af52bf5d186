/**
 * What a method file declares about itself, once (as each algorithm of
 * Microsoft's USB declares its arguments as name, type and default): its name,
 * the hyper-parameters it reads from `TrainConfig.hyper` (`--hyper name=value`)
 * with their defaults and a one-line doc, the training defaults where it
 * departs from the shared ones, and how to build it. The registry
 * (registry.ts) collects the declarations; the `--method` choices, the
 * `--hyper` check, `train --help` and the default learning rate are read from
 * them. Types only: no engine code here.
 */
import type { Method } from './method.js';
import type { LabelledLoss } from './labelledLoss.js';

/** One hyper-parameter a method reads. */
export interface HyperParameter {
  /** 'number': any finite value ≥ 0; 'switch': 0 (off) or 1 (on). */
  readonly type: 'number' | 'switch';
  /** Its value when none is given; absent where it follows the run, as the doc says. */
  readonly default?: number;
  /** One line for `train --help`; the default is appended from `default`. */
  readonly doc: string;
  /** A training run that leaves it unset gives it the EMA teacher's decay, which follows the run's length (src/train/runDefaults.ts). */
  readonly followsTeacherDecay?: boolean;
  /**
   * The value another of the method's hyper-parameters must have for this one to be read
   * (Ada-CM's teacherBatchStats acts only on the teacher's pseudo-labels): setting it
   * otherwise is refused, so that a flag cannot silently change nothing.
   */
  readonly readOnlyWith?: Readonly<Record<string, number>>;
}

export type HyperTable = Readonly<Record<string, HyperParameter>>;

/** The values a method reads: a declared default fills every name left unset. */
export type HyperValues<H extends HyperTable> = { readonly [K in keyof H]: H[K] extends { default: number } ? number : number | undefined };

/** `given` over the declared defaults (names `table` does not declare are left out: checkHyper refuses them earlier). */
export function hyperValues<H extends HyperTable>(table: H, given: Readonly<Record<string, number>>): HyperValues<H> {
  const out: Record<string, number | undefined> = {};
  for (const [name, p] of Object.entries(table)) out[name] = given[name] ?? p.default;
  return out as HyperValues<H>;
}

/** The optimiser settings a method trains with unless the run sets them (`--lr`, `--weight-decay`, `--schedule`). */
export interface TrainingDefaults {
  lr: number;
  weightDecay: number;
  /** A schedule spec (src/train/schedule.ts). */
  schedule: string;
}

/**
 * The training defaults of every method that does not say otherwise. Cosine
 * decay to zero (as FixMatch, Mean Teacher and USB train): the last epochs
 * settle instead of ending wherever a constant rate's noise leaves them.
 */
export const SHARED_TRAINING_DEFAULTS: Readonly<TrainingDefaults> = { lr: 5e-4, weightDecay: 0, schedule: 'cosine' };

/** What the registry hands a method's `create`. */
export interface MethodInputs {
  numClasses: number;
  /** Labels of the labelled set, by loader index (SCN relabels a copy). */
  labels: Int32Array;
  /** The supervised term: cross-entropy, or SCN's loss with --noisy-labels scn. */
  labelledLoss: LabelledLoss;
  /** The method's own hyper-parameters as given (its `create` fills in the defaults with hyperValues). */
  hyper: Readonly<Record<string, number>>;
  /** Supervised, FixMatch and Mean Teacher train Ada-CM's model (fairBaseline.ts). */
  fairBaseline: boolean;
  /** Labelled images per step (SCN's δ1 default follows it). */
  batchSize?: number;
}

export interface MethodDeclaration {
  /** The `--method` name. */
  readonly name: string;
  readonly hyper: HyperTable;
  /** Where it trains with other optimiser settings than SHARED_TRAINING_DEFAULTS. */
  readonly training?: Partial<TrainingDefaults>;
  /** Whether `--noisy-labels scn` is implied (SCN itself): its supervised term is always SCN's. */
  readonly scnLoss?: boolean;
  create(inputs: MethodInputs): Method;
}

/** Checks nothing at run time; gives a declaration its type where it is written. */
export function declareMethod<D extends MethodDeclaration>(d: D): D {
  return d;
}
