/**
 * Seeded splits of a training set:
 *  - labelled / unlabelled ("few labels") by n per class, a per-class fraction,
 *    explicit per-class counts or a named preset (Ada-CM's RAF-DB protocols);
 *  - saved to / loaded from a JSON split file so a run can be reproduced;
 *  - subject-independent k-fold (CK+) and a stratified holdout (ExpW) for
 *    datasets without a test split;
 *  - label-noise injection (SCN's experiments).
 * Results depend only on the sample ids, labels and seed, not on the order the
 * reader listed files in: members of each class are sorted by id before the
 * seeded shuffle. With one seed, a smaller labelled set is a subset of a larger
 * one (each class takes a prefix of the same shuffled order).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { canonicalClassName } from './classes.js';
import { rngFor, type Rng } from './random.js';
import { DataError, type Dataset, type Sample } from './types.js';
import { errorOfKind } from '../errorKind.js';

/** A split request that cannot be met (too few samples in a class, bad numbers). */
/** A label budget or split request the data cannot meet; bad input like a usage error (nothing has been trained). */
export class SplitError extends errorOfKind('bad-input') {}

export type LabelSpec =
  /** Every training image is labelled (a supervised run on the whole split). */
  | { kind: 'all' }
  | { kind: 'nPerClass'; n: number }
  /** Per class: round(fraction × class size), at least 1 for a non-empty class. */
  | { kind: 'fraction'; fraction: number }
  /** Per class counts, by class name (missing classes get 0) or by label index. */
  | { kind: 'counts'; counts: Record<string, number> | readonly number[] }
  /** A named protocol, e.g. 'adacm-rafdb-400'. */
  | { kind: 'preset'; name: string };

/** What a split file holds. */
export interface LabelSplit {
  seed: number;
  protocol: string;
  labelled: string[];
  unlabelled: string[];
  /** The images that select checkpoint-best (validationSplit.ts); absent in split files from before validation. */
  validation?: string[];
  /** Where they come from: the dataset's own 'val' split, or held out of the training split's unlabelled or labelled part. */
  validationSource?: 'dataset-val' | 'held-out-unlabelled' | 'held-out-labelled';
  /** Classes that got fewer validation images than asked, and how many they got. */
  validationShort?: { class: string; got: number }[];
}

/** Ada-CM's class-imbalanced RAF-DB protocols (docs/methods.md §1): [fear, every other class]. */
const ADACM_RAFDB: Record<string, readonly [number, number]> = {
  '100': [10, 15],
  '400': [40, 60],
  '1000': [100, 150],
  '2000': [200, 300],
  '4000': [250, 625],
};

export const PRESET_NAMES: readonly string[] = Object.keys(ADACM_RAFDB).map((n) => `adacm-rafdb-${n}`);

/**
 * Parses a protocol string: 'all', 'adacm-rafdb-400', 'n:25' (or 'n-per-class:25'),
 * 'fraction:0.1' (or '10%'), 'counts:fear=10,happy=15,…'.
 */
export function parseLabelSpec(text: string): LabelSpec {
  const t = text.trim();
  if (t === 'all') return { kind: 'all' };
  if (PRESET_NAMES.includes(t)) return { kind: 'preset', name: t };
  let m = /^(?:n|n-per-class|per-class):(\d+)$/i.exec(t);
  if (m) return { kind: 'nPerClass', n: Number(m[1]) };
  m = /^(?:fraction:)?(\d*\.?\d+)(%?)$/i.exec(t);
  if (m && (t.startsWith('fraction:') || m[2] === '%')) return { kind: 'fraction', fraction: Number(m[1]) / (m[2] === '%' ? 100 : 1) };
  m = /^counts:(.+)$/i.exec(t);
  if (m) {
    const counts: Record<string, number> = {};
    for (const part of m[1]!.split(',')) {
      const kv = /^\s*([^=\s]+)\s*=\s*(\d+)\s*$/.exec(part);
      if (!kv) throw new SplitError(`label protocol '${text}': expected counts:<class>=<n>,… but found '${part}'`);
      counts[kv[1]!] = Number(kv[2]);
    }
    return { kind: 'counts', counts };
  }
  throw new SplitError(`unknown label protocol '${text}'; expected all, one of ${PRESET_NAMES.join(', ')}, n:<per class>, fraction:<0-1> or <p>%, counts:<class>=<n>,…`);
}

/** The protocol as a string that parseLabelSpec reads back. */
export function describeLabelSpec(spec: LabelSpec): string {
  switch (spec.kind) {
    case 'all':
      return 'all';
    case 'preset':
      return spec.name;
    case 'nPerClass':
      return `n:${spec.n}`;
    case 'fraction':
      return `fraction:${spec.fraction}`;
    case 'counts':
      return Array.isArray(spec.counts)
        ? `counts:${(spec.counts as readonly number[]).map((n, i) => `${i}=${n}`).join(',')}`
        : `counts:${Object.entries(spec.counts).map(([k, n]) => `${k}=${n}`).join(',')}`;
  }
}

/** How many labelled samples each class gets under `spec`, given each class's size. */
export function labelCounts(spec: LabelSpec, classes: readonly string[], available: readonly number[]): number[] {
  const protocol = describeLabelSpec(spec);
  let counts: number[];
  switch (spec.kind) {
    case 'all':
      return [...available];
    case 'nPerClass':
      if (!Number.isInteger(spec.n) || spec.n < 0) throw new SplitError(`n per class must be a non-negative integer, got ${spec.n}`);
      counts = classes.map(() => spec.n);
      break;
    case 'fraction':
      if (!(spec.fraction > 0 && spec.fraction <= 1)) throw new SplitError(`label fraction must be in (0, 1], got ${spec.fraction}`);
      counts = available.map((n) => (n === 0 ? 0 : Math.max(1, Math.round(spec.fraction * n))));
      break;
    case 'counts':
      counts = explicitCounts(spec.counts, classes);
      break;
    case 'preset':
      counts = presetCounts(spec.name, classes);
      break;
  }
  counts.forEach((asked, c) => {
    if (asked > (available[c] ?? 0)) {
      throw new SplitError(`class '${classes[c]}' has ${available[c] ?? 0} training samples but ${asked} are asked for as labelled (protocol ${protocol})`);
    }
  });
  return counts;
}

function explicitCounts(counts: Record<string, number> | readonly number[], classes: readonly string[]): number[] {
  if (Array.isArray(counts)) {
    const list = counts as readonly number[];
    if (list.length !== classes.length) throw new SplitError(`per-class counts: expected ${classes.length} numbers (${classes.join(', ')}), got ${list.length}`);
    list.forEach((n) => checkCount(n));
    return [...list];
  }
  const out = classes.map(() => 0);
  for (const [name, n] of Object.entries(counts)) {
    const c = classIndex(name, classes);
    if (c < 0) throw new SplitError(`per-class counts name an unknown class '${name}'; classes are ${classes.join(', ')}`);
    out[c] = checkCount(n);
  }
  return out;
}

function checkCount(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new SplitError(`a per-class count must be a non-negative integer, got ${n}`);
  return n;
}

/** Index of a class by exact name (case-insensitive) or canonical synonym; -1 if absent. */
function classIndex(name: string, classes: readonly string[]): number {
  const lower = classes.map((c) => c.toLowerCase());
  const exact = lower.indexOf(name.toLowerCase());
  if (exact >= 0) return exact;
  const canonical = canonicalClassName(name);
  return canonical ? lower.indexOf(canonical) : -1;
}

/** Per-class counts of a named preset. */
export function presetCounts(name: string, classes: readonly string[]): number[] {
  const m = /^adacm-rafdb-(\d+)$/.exec(name);
  const row = m ? ADACM_RAFDB[m[1]!] : undefined;
  if (!row) throw new SplitError(`unknown preset '${name}'; known: ${PRESET_NAMES.join(', ')}`);
  const fear = classIndex('fear', classes);
  if (fear < 0) throw new SplitError(`preset ${name} needs a 'fear' class; classes are ${classes.join(', ')}`);
  return classes.map((_, c) => (c === fear ? row[0] : row[1]));
}

/** Sample positions grouped by label (unlabelled, -1, left out), each group sorted by id then shuffled. */
function shuffledByClass(samples: readonly Sample[], numClasses: number, rng: Rng): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  samples.forEach((s, i) => {
    if (s.label >= 0) {
      if (s.label >= numClasses) throw new SplitError(`sample '${s.id}' has label ${s.label} but there are ${numClasses} classes`);
      groups[s.label]!.push(i);
    }
  });
  return groups.map((g) => rng.shuffle(g.sort((a, b) => compareIds(samples[a]!.id, samples[b]!.id))));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Chooses the labelled samples of a training set; everything else (including
 * samples without a label) is unlabelled. Ids keep the input order.
 */
export function splitLabelled(samples: readonly Sample[], classes: readonly string[], spec: LabelSpec, seed: number): LabelSplit {
  // Every sample, in input order, with or without a label; nothing is drawn.
  if (spec.kind === 'all') return { seed, protocol: 'all', labelled: samples.map((s) => s.id), unlabelled: [] };
  const groups = shuffledByClass(samples, classes.length, rngFor(seed, 'labelled-split'));
  const counts = labelCounts(spec, classes, groups.map((g) => g.length));
  const chosen = new Uint8Array(samples.length);
  groups.forEach((g, c) => g.slice(0, counts[c]).forEach((i) => (chosen[i] = 1)));
  const labelled: string[] = [];
  const unlabelled: string[] = [];
  samples.forEach((s, i) => (chosen[i] ? labelled : unlabelled).push(s.id));
  return { seed, protocol: describeLabelSpec(spec), labelled, unlabelled };
}

/** Writes a split file (pretty JSON). */
export function saveSplit(file: string, split: LabelSplit): void {
  const { seed, protocol, labelled, unlabelled, validation, validationSource, validationShort } = split;
  writeFileSync(file, `${JSON.stringify({ seed, protocol, labelled, unlabelled, validation, validationSource, validationShort }, null, 1)}\n`);
}

/**
 * Reads a split file and checks it against the training samples: every id must
 * exist, and no id may be both labelled and unlabelled (or listed twice).
 */
export function loadSplit(file: string, samples: readonly Sample[]): LabelSplit {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(file, undefined, code === 'ENOENT' ? 'split file not found' : `split file is not valid JSON: ${(err as Error).message}`);
  }
  const o = raw as Partial<LabelSplit> | null;
  const isIds = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!o || typeof o !== 'object' || typeof o.seed !== 'number' || typeof o.protocol !== 'string' || !isIds(o.labelled) || !isIds(o.unlabelled)) {
    throw new DataError(file, undefined, 'expected a split file {"seed": number, "protocol": string, "labelled": [ids], "unlabelled": [ids]}');
  }
  if (o.validation !== undefined && !isIds(o.validation)) throw new DataError(file, undefined, '"validation" must be a list of ids');
  const SOURCES = ['dataset-val', 'held-out-unlabelled', 'held-out-labelled'];
  if (o.validation !== undefined && !SOURCES.includes(o.validationSource as string)) {
    throw new DataError(file, undefined, `"validationSource" must be one of ${SOURCES.join(', ')}, got ${JSON.stringify(o.validationSource)}`);
  }
  // Held-out validation images are training images, disjoint from the labelled and unlabelled ones; the dataset's val split is checked where it is read.
  const heldOut = o.validation && o.validationSource !== 'dataset-val' ? o.validation : [];
  const known = new Set(samples.map((s) => s.id));
  const seen = new Set<string>();
  const missing: string[] = [];
  for (const id of [...o.labelled, ...o.unlabelled, ...heldOut]) {
    if (seen.has(id)) throw new DataError(file, undefined, `id '${id}' is listed twice (labelled, unlabelled and held-out validation must be disjoint)`);
    seen.add(id);
    if (!known.has(id)) missing.push(id);
  }
  if (missing.length > 0) {
    throw new DataError(file, undefined, `${missing.length} id(s) of the split file are not in the training set, e.g. ${missing.slice(0, 5).join(', ')} — wrong dataset or a changed copy?`);
  }
  return {
    seed: o.seed, protocol: o.protocol, labelled: o.labelled, unlabelled: o.unlabelled,
    ...(o.validation ? { validation: o.validation, validationSource: o.validationSource, validationShort: o.validationShort } : {}),
  };
}

/** The samples of a split, in the split file's order. */
export function applySplit(samples: readonly Sample[], split: LabelSplit): { labelled: Sample[]; unlabelled: Sample[] } {
  const byId = new Map(samples.map((s) => [s.id, s] as const));
  const pick = (ids: string[]): Sample[] =>
    ids.map((id) => {
      const s = byId.get(id);
      if (!s) throw new SplitError(`split id '${id}' is not in the training set`);
      return s;
    });
  return { labelled: pick(split.labelled), unlabelled: pick(split.unlabelled) };
}

/**
 * Subject-independent k-fold: every subject's samples fall in exactly one fold.
 * Subjects are shuffled (seeded), then placed largest first into the currently
 * smallest fold, which keeps fold sizes balanced. Returns sample positions per
 * fold, each ascending. Samples without `subject` are an error.
 */
export function subjectKFold(samples: readonly Sample[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new SplitError(`k-fold needs an integer k ≥ 2, got ${k}`);
  const bySubject = new Map<string, number[]>();
  samples.forEach((s, i) => {
    if (s.subject === undefined) throw new SplitError(`sample '${s.id}' has no subject: subject-independent folds need a subject for every sample`);
    const list = bySubject.get(s.subject);
    if (list) list.push(i);
    else bySubject.set(s.subject, [i]);
  });
  if (bySubject.size < k) throw new SplitError(`${bySubject.size} subject(s) cannot fill ${k} subject-independent folds`);
  const subjects = rngFor(seed, 'subject-kfold').shuffle([...bySubject.keys()].sort(compareIds));
  // Stable sort keeps the shuffled order among subjects of equal size.
  subjects.sort((a, b) => bySubject.get(b)!.length - bySubject.get(a)!.length);
  const folds: number[][] = Array.from({ length: k }, () => []);
  for (const subject of subjects) {
    let smallest = 0;
    for (let f = 1; f < k; f++) if (folds[f]!.length < folds[smallest]!.length) smallest = f;
    folds[smallest]!.push(...bySubject.get(subject)!);
  }
  return folds.map((f) => f.sort((a, b) => a - b));
}

/**
 * Seeded stratified holdout: from each class (and from the unlabelled samples)
 * round(fraction × size) samples go to `test`. Both lists keep the input order.
 */
export function stratifiedHoldout(samples: readonly Sample[], fraction: number, seed: number): { train: Sample[]; test: Sample[] } {
  if (!(fraction > 0 && fraction < 1)) throw new SplitError(`holdout fraction must be in (0, 1), got ${fraction}`);
  const numClasses = samples.reduce((m, s) => Math.max(m, s.label + 1), 0);
  const rng = rngFor(seed, 'holdout');
  const groups = shuffledByClass(samples, numClasses, rng);
  const unlabelled = samples.map((s, i) => (s.label < 0 ? i : -1)).filter((i) => i >= 0);
  groups.push(rng.shuffle(unlabelled.sort((a, b) => compareIds(samples[a]!.id, samples[b]!.id))));
  const inTest = new Uint8Array(samples.length);
  for (const g of groups) g.slice(0, Math.round(fraction * g.length)).forEach((i) => (inTest[i] = 1));
  const train: Sample[] = [];
  const test: Sample[] = [];
  samples.forEach((s, i) => (inTest[i] ? test : train).push(s));
  return { train, test };
}

/**
 * Seeded subject-wise holdout: whole subjects go to `test` (in a seeded order)
 * until they hold round(fraction × N) samples, so no person is on both sides —
 * the lab datasets (CK+, JAFFE, KDEF, RaFD) pose each person many times, and a
 * random image holdout would test on faces the model trained on. At least one
 * subject is held out and at least one kept.
 */
export function subjectHoldout(samples: readonly Sample[], fraction: number, seed: number): { train: Sample[]; test: Sample[] } {
  if (!(fraction > 0 && fraction < 1)) throw new SplitError(`holdout fraction must be in (0, 1), got ${fraction}`);
  const counts = new Map<string, number>();
  for (const s of samples) {
    if (s.subject === undefined) throw new SplitError(`subjectHoldout: sample ${s.id} has no subject id`);
    counts.set(s.subject, (counts.get(s.subject) ?? 0) + 1);
  }
  if (counts.size < 2) throw new SplitError(`subjectHoldout needs at least 2 subjects, got ${counts.size}`);
  const order = rngFor(seed, 'subject-holdout').shuffle([...counts.keys()].sort());
  const want = Math.round(fraction * samples.length);
  const held = new Set<string>();
  let n = 0;
  for (const subject of order.slice(0, -1)) {
    if (held.size > 0 && n >= want) break;
    held.add(subject);
    n += counts.get(subject)!;
  }
  const train: Sample[] = [];
  const test: Sample[] = [];
  for (const s of samples) (held.has(s.subject!) ? test : train).push(s);
  return { train, test };
}

/**
 * A copy of `dataset` whose `from` split is divided into `from` and `to`
 * (default train → test): by subject (subjectHoldout) when every sample has a
 * subject id and there are at least two, else stratified by class (stratifiedHoldout).
 */
export function withHoldout(dataset: Dataset, fraction: number, seed: number, from = 'train', to = 'test'): Dataset {
  const source = dataset.splits[from];
  if (!source) throw new SplitError(`dataset has no split '${from}'; available: ${Object.keys(dataset.splits).join(', ')}`);
  if (dataset.splits[to]) throw new SplitError(`dataset already has a '${to}' split`);
  const bySubject = source.length > 0 && source.every((s) => s.subject !== undefined) && new Set(source.map((s) => s.subject)).size >= 2;
  const { train, test } = bySubject ? subjectHoldout(source, fraction, seed) : stratifiedHoldout(source, fraction, seed);
  return { ...dataset, splits: { ...dataset.splits, [from]: train, [to]: test } };
}

/**
 * Label noise: flips exactly round(fraction × N) labels, chosen uniformly, each to
 * a uniformly random other class. Returns the new labels and the flipped
 * positions (ascending); the input is not modified.
 */
export function flipLabels(labels: ArrayLike<number>, fraction: number, numClasses: number, seed: number): { labels: Int32Array; flipped: number[] } {
  if (!(fraction >= 0 && fraction <= 1)) throw new SplitError(`noise fraction must be in [0, 1], got ${fraction}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new SplitError(`flipping labels needs at least 2 classes, got ${numClasses}`);
  const out = Int32Array.from(labels);
  out.forEach((l, i) => {
    if (l < 0 || l >= numClasses) throw new SplitError(`label ${l} at position ${i} is outside 0..${numClasses - 1}`);
  });
  const rng = rngFor(seed, 'flip-labels');
  const n = out.length;
  const count = Math.round(fraction * n);
  // Partial Fisher–Yates: the first `count` positions of a random permutation.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const flipped = order.slice(0, count).sort((a, b) => a - b);
  for (const i of flipped) {
    const r = rng.int(numClasses - 1);
    out[i] = r >= out[i]! ? r + 1 : r;
  }
  return { labels: out, flipped };
}
