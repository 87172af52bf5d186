/**
 * A sweep file (YAML or JSON) and the runs it stands for. The file holds the
 * `semifer train` options every run shares (`train:`), the methods (each with
 * its own options), the seeds, and the axes: a grid (every combination of the
 * listed values) or a random search (values drawn from ranges with a seeded
 * generator, so a resumed sweep draws the same ones). An axis is a train
 * option (`lr`, `margin-scale`) or a method hyper-parameter (`hyper.lambdaS`);
 * a method hyper-parameter only varies the methods that read it, the others
 * run once per seed. Every run's options are checked the way `semifer train`
 * checks its own before anything starts. Torch-free.
 */
import { isAbsolute, join, resolve as resolvePath, dirname } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { readConfigFile, type ConfigEntry } from '../cli/options/configFile.js';
import { coerceValue } from '../cli/options/coerce.js';
import { normalizeName, didYouMean } from '../cli/options/suggest.js';
import { resolveOptions } from '../cli/options/resolve.js';
import type { OptionSpec } from '../cli/options/spec.js';
import { TRAIN_OPTIONS } from '../cli/commands/trainOptions.js';
import { HYPER_FLAGS, trainConfigFrom } from '../cli/commands/train.js';
import { hyperNamesFor, mergeHyper } from '../methods/hyperParameters.js';
import { Rng } from '../data/random.js';

export type AxisValue = string | number | boolean;

/** How a random search draws one axis. */
export type Distribution =
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'log-uniform'; min: number; max: number }
  | { kind: 'int-uniform'; min: number; max: number }
  | { kind: 'choice'; values: AxisValue[] };

export interface Axis {
  /** As written in the file, normalised: `lr`, `margin-scale`, `hyper.lambdaS`. */
  name: string;
  /** As written in the file (for the line of a message). */
  key?: string;
  /** The method hyper-parameter it sets, when it sets one (only methods that read it vary). */
  hyperName?: string;
  /** Grid values (a random search fills them with its draws). */
  values: AxisValue[];
}

export interface PlannedRun {
  /** Folder name inside the sweep folder, e.g. `adacm-lr=0.002-s1`. */
  name: string;
  dir: string;
  method: string;
  /** The methods: entry it comes from: the method's name, or a variant's (`ce-scn-pipeline: { method: scn, … }`). */
  label: string;
  seed: number;
  /** The axes that apply to this run's method, with their values. */
  setting: Record<string, AxisValue>;
  /** The methods: entry's own train options (a variant's, `method` aside; {} for a plain method). */
  options: Record<string, AxisValue>;
  /** `semifer train` arguments, --out included. */
  argv: string[];
}

export interface SweepPlan {
  file: string;
  out: string;
  methods: string[];
  seeds: number[];
  axes: Axis[];
  search: 'grid' | 'random' | 'none';
  /** `semifer data synth` arguments, run before training (it does nothing when the data already exist). */
  synth: string[] | null;
  runs: PlannedRun[];
}

const TOP_KEYS = ['description', 'out', 'train', 'methods', 'seeds', 'grid', 'random', 'synth'] as const;
/** Set by the sweep itself, per run. */
const SWEEP_OWNED = new Set(['method', 'seed', 'out', 'resume', 'dry-run', 'folds', 'config']);
const SYNTH_KEYS = ['out', 'n', 'format', 'noise', 'seed', 'size', 'test-fraction', 'class-balance', 'nuisance'];
const TRAIN_SPECS = TRAIN_OPTIONS as readonly OptionSpec[];

class Problems {
  readonly list: string[] = [];
  constructor(readonly file: string) {}
  /** `path` points inside the entry's value (keys, list indices) for the line of a nested value. */
  at(entry: ConfigEntry | undefined, message: string, path?: readonly (string | number)[]): void {
    const line = (path && entry?.lineAt?.(path)) ?? entry?.line;
    this.list.push(`${this.file}${line !== undefined ? `:${line}` : ''}: ${message}`);
  }
  throwIfAny(): void {
    if (this.list.length) throw new UsageError(this.list);
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks train option entries (the shared `train:` or one method's) and returns them by option name, paths made absolute. */
function trainEntries(raw: unknown, where: string, entry: ConfigEntry | undefined, baseDir: string, p: Problems, at: readonly (string | number)[] = []): Record<string, AxisValue> {
  const out: Record<string, AxisValue> = {};
  if (raw === null || raw === undefined) return out;
  if (!isMapping(raw)) {
    p.at(entry, `${where}: expected a mapping of semifer train options`, at);
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    const name = normalizeName(key);
    const spec = TRAIN_SPECS.find((s) => s.name === name);
    if (!spec) {
      p.at(entry, `${where}: unknown train option '${key}'${didYouMean(key, TRAIN_SPECS.map((s) => s.name), (c) => `'${c}'`)}`, [...at, key]);
      continue;
    }
    if (SWEEP_OWNED.has(name)) {
      p.at(entry, `${where}: '${key}' is set by the sweep (methods:, seeds: and --out)`, [...at, key]);
      continue;
    }
    if (value === null) continue;
    const r = coerceValue(spec, value, { from: 'config', baseDir });
    if (!r.ok) p.at(entry, `${where}: ${key}: ${r.error}`, [...at, key]);
    else out[name] = r.value;
  }
  return out;
}

function numberPair(v: unknown): [number, number] | undefined {
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && v[0] <= v[1] ? [v[0], v[1]] : undefined;
}

function distribution(raw: unknown): Distribution | string {
  if (!isMapping(raw) || Object.keys(raw).length !== 1) return 'expected one of {uniform: [MIN, MAX]}, {log-uniform: [MIN, MAX]}, {int-uniform: [MIN, MAX]}, {choice: [V, …]}';
  const [kind, arg] = Object.entries(raw)[0]!;
  if (kind === 'choice') {
    return Array.isArray(arg) && arg.length > 0 && arg.every((x) => ['string', 'number', 'boolean'].includes(typeof x)) ? { kind, values: arg as AxisValue[] } : 'choice: expected a non-empty list of values';
  }
  if (kind !== 'uniform' && kind !== 'log-uniform' && kind !== 'int-uniform') return `unknown distribution '${kind}'; expected uniform, log-uniform, int-uniform or choice`;
  const pair = numberPair(arg);
  if (!pair) return `${kind}: expected [MIN, MAX] with MIN ≤ MAX`;
  if (kind === 'log-uniform' && pair[0] <= 0) return 'log-uniform: expected MIN > 0';
  return { kind, min: pair[0], max: pair[1] };
}

/** One draw, rounded to 3 significant digits so run names stay readable and the drawn value is the one recorded. */
function draw(d: Distribution, rng: Rng): AxisValue {
  const round = (v: number) => Number(v.toPrecision(3));
  switch (d.kind) {
    case 'uniform': return round(d.min + (d.max - d.min) * rng.next());
    case 'log-uniform': return round(Math.exp(Math.log(d.min) + (Math.log(d.max) - Math.log(d.min)) * rng.next()));
    case 'int-uniform': return d.min + Math.floor(rng.next() * (d.max - d.min + 1));
    case 'choice': return d.values[Math.floor(rng.next() * d.values.length)]!;
  }
}

/** `hyper.lambdaS` or a train option; returns the axis or a problem. */
function axisOf(key: string): { name: string; hyperName?: string; spec?: OptionSpec } | string {
  const m = /^hyper\.([A-Za-z][A-Za-z0-9]*)$/.exec(key);
  if (m) return { name: key, hyperName: m[1] };
  const name = normalizeName(key);
  const spec = TRAIN_SPECS.find((s) => s.name === name);
  if (!spec) return `unknown axis '${key}': expected a semifer train option or hyper.NAME${didYouMean(key, TRAIN_SPECS.map((s) => s.name), (c) => `'${c}'`)}`;
  if (SWEEP_OWNED.has(name)) return `'${key}' cannot be an axis: list methods under methods: and seeds under seeds:`;
  if (name === 'hyper') return "'hyper' cannot be an axis: sweep one parameter at a time with hyper.NAME";
  const flagHyper = Object.entries(HYPER_FLAGS).find(([, flag]) => flag === `--${name}`)?.[0];
  return { name, hyperName: flagHyper, spec };
}

/** A value as it appears in a folder name. */
function nameValue(v: AxisValue): string {
  return String(v).replace(/[^A-Za-z0-9.+-]/g, '_');
}

function optionArgs(options: Record<string, AxisValue>): string[] {
  return Object.entries(options).flatMap(([name, value]) => {
    const spec = TRAIN_SPECS.find((s) => s.name === name);
    if (spec?.type === 'boolean') return [value ? `--${name}` : `--no-${name}`];
    return [`--${name}`, String(value)];
  });
}

/** Command-line changes to a sweep file (`semifer sweep --out --set --methods --seeds`). */
export interface SweepOverrides {
  out?: string;
  /** `OPTION=VALUE` for every run, or `ENTRY.OPTION=VALUE` for one methods: entry's runs. */
  set?: string[];
  /** Only these methods: entries. */
  methods?: string[];
  seeds?: number[];
}

/** Reads and checks a sweep file with its overrides. Throws UsageError naming the file and line. */
export async function planSweep(file: string, overrides: SweepOverrides = {}): Promise<SweepPlan> {
  const outOverride = overrides.out;
  const entries = readConfigFile(file).entries;
  const p = new Problems(file);
  const baseDir = dirname(file);
  const byKey = new Map<string, ConfigEntry>();
  for (const e of entries) {
    if (!(TOP_KEYS as readonly string[]).includes(e.key)) p.at(e, `unknown key '${e.key}'${didYouMean(e.key, TOP_KEYS, (c) => `'${c}'`)}; a sweep file has ${TOP_KEYS.join(', ')}`);
    else byKey.set(e.key, e);
  }
  const get = (k: (typeof TOP_KEYS)[number]) => byKey.get(k);

  let out = outOverride;
  const outEntry = get('out');
  if (out === undefined) {
    if (typeof outEntry?.value !== 'string' || outEntry.value.trim() === '') p.at(outEntry, 'out: expected the sweep folder (a path, relative to this file), or give --out');
    else out = isAbsolute(outEntry.value) ? outEntry.value : resolvePath(baseDir, outEntry.value);
  }

  const shared = trainEntries(get('train')?.value, 'train', get('train'), baseDir, p);

  // methods: a list of names, or a mapping name → that method's own train options; an entry
  // whose options name a `method` is a variant under its own name (two settings of one method).
  const methodsEntry = get('methods');
  const methodOptions = new Map<string, { method: string; options: Record<string, AxisValue> }>();
  const methodValues = TRAIN_SPECS.find((s) => s.name === 'method');
  const known = methodValues?.type === 'enum' ? methodValues.values : [];
  const rawMethods = methodsEntry?.value;
  const methodList: [string, unknown][] = Array.isArray(rawMethods) ? rawMethods.map((m) => [String(m), null]) : isMapping(rawMethods) ? Object.entries(rawMethods) : [];
  if (methodList.length === 0) p.at(methodsEntry, 'methods: expected a list of methods, or a mapping of each method to its own train options');
  for (const [i, [label, opts]] of methodList.entries()) {
    const where = [Array.isArray(rawMethods) ? i : label];
    const variantOf = isMapping(opts) && typeof opts.method === 'string' ? opts.method : undefined;
    const method = variantOf ?? label;
    if (!known.includes(method)) {
      p.at(methodsEntry, `methods: ${variantOf ? `${label}: ` : ''}unknown method '${method}'; expected one of ${known.join(', ')}${didYouMean(method, known, (c) => `'${c}'`)}`, where);
    } else if (!/^[A-Za-z0-9._-]+$/.test(label)) {
      p.at(methodsEntry, `methods: '${label}': a variant's name becomes a folder name: letters, digits, '.', '_' and '-' only`, where);
    } else {
      const own = variantOf ? Object.fromEntries(Object.entries(opts as Record<string, unknown>).filter(([k]) => k !== 'method')) : opts;
      methodOptions.set(label, { method, options: trainEntries(own, `methods: ${label}`, methodsEntry, baseDir, p, where) });
    }
  }

  // seeds: a list, or N for 0..N-1.
  const seedsEntry = get('seeds');
  let seeds: number[] = [0];
  if (seedsEntry !== undefined) {
    const v = seedsEntry.value;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) seeds = Array.from({ length: v }, (_, i) => i);
    else if (Array.isArray(v) && v.length > 0 && v.every((s) => Number.isInteger(s) && s >= 0) && new Set(v).size === v.length) seeds = v as number[];
    else p.at(seedsEntry, 'seeds: expected a list of distinct integers ≥ 0, or a count N (seeds 0 … N−1)');
  }

  applyOverrides(overrides, shared, methodOptions, p);
  if (overrides.seeds?.length) seeds = overrides.seeds;

  // Axes: grid (lists) or random (distributions), not both.
  const axes: Axis[] = [];
  const axisSpecs = new Map<string, OptionSpec | undefined>();
  const gridEntry = get('grid');
  const randomEntry = get('random');
  let search: SweepPlan['search'] = 'none';
  if (gridEntry && randomEntry) p.at(randomEntry, 'give grid: or random:, not both');
  if (gridEntry) {
    search = 'grid';
    if (!isMapping(gridEntry.value)) p.at(gridEntry, 'grid: expected a mapping of axis → list of values');
    else for (const [key, values] of Object.entries(gridEntry.value)) {
      const a = axisOf(key);
      if (typeof a === 'string') { p.at(gridEntry, `grid: ${a}`, [key]); continue; }
      if (!Array.isArray(values) || values.length === 0) { p.at(gridEntry, `grid: ${key}: expected a non-empty list of values`, [key]); continue; }
      axes.push({ name: a.name, key, hyperName: a.hyperName, values: values as AxisValue[] });
      axisSpecs.set(a.name, a.spec);
    }
  } else if (randomEntry) {
    search = 'random';
    const r = randomEntry.value;
    if (!isMapping(r)) p.at(randomEntry, 'random: expected samples:, seed: and axes:');
    else {
      const samples = r.samples;
      const seed = r.seed ?? 0;
      if (!Number.isInteger(samples) || (samples as number) < 1) p.at(randomEntry, 'random: samples: expected an integer ≥ 1 (settings drawn)');
      if (!Number.isInteger(seed)) p.at(randomEntry, 'random: seed: expected an integer');
      for (const k of Object.keys(r)) if (!['samples', 'seed', 'axes'].includes(k)) p.at(randomEntry, `random: unknown key '${k}'; expected samples, seed, axes`);
      const dists: [Axis, Distribution][] = [];
      if (!isMapping(r.axes) || Object.keys(r.axes).length === 0) p.at(randomEntry, 'random: axes: expected a mapping of axis → distribution');
      else for (const [key, raw] of Object.entries(r.axes)) {
        const a = axisOf(key);
        if (typeof a === 'string') { p.at(randomEntry, `random: ${a}`, ['axes', key]); continue; }
        const d = distribution(raw);
        if (typeof d === 'string') { p.at(randomEntry, `random: ${key}: ${d}`, ['axes', key]); continue; }
        const axis: Axis = { name: a.name, key, hyperName: a.hyperName, values: [] };
        axes.push(axis);
        axisSpecs.set(a.name, a.spec);
        dists.push([axis, d]);
      }
      if (Number.isInteger(samples) && Number.isInteger(seed)) {
        const rng = new Rng(seed as number);
        for (let i = 0; i < (samples as number); i++) for (const [axis, d] of dists) axis.values.push(draw(d, rng));
      }
    }
  }
  // Each value must be a valid value of its option.
  for (const axis of axes) {
    const spec = axisSpecs.get(axis.name);
    const entry = search === 'grid' ? gridEntry : randomEntry;
    const path = (i: number) => (search === 'grid' ? [axis.key!, i] : ['axes', axis.key!]);
    axis.values = axis.values.map((v, i) => {
      if (!spec) {
        if (typeof v !== 'number' || !Number.isFinite(v)) p.at(entry, `${axis.name}: expected numbers, got ${JSON.stringify(v)}`, path(i));
        return v;
      }
      const r = coerceValue(spec, v, { from: 'config', baseDir });
      if (!r.ok) p.at(entry, `${axis.name}: ${r.error}`, path(i));
      return r.ok ? r.value : v;
    });
  }

  // A method hyper-parameter that no method of the sweep reads would vary nothing.
  for (const axis of axes) {
    if (axis.hyperName === undefined || methodOptions.size === 0) continue;
    const readers = [...methodOptions.values()].filter(({ method, options }) => axis.hyperName! in hyperNamesFor(method, String(options['noisy-labels'] ?? shared['noisy-labels'] ?? 'none')));
    if (readers.length === 0) p.at(search === 'grid' ? gridEntry : randomEntry, `${axis.name}: no method of this sweep reads '${axis.hyperName}' (${[...methodOptions.keys()].join(', ')})`, search === 'grid' ? [axis.key!] : ['axes', axis.key!]);
  }

  const synthEntry = get('synth');
  let synth: string[] | null = null;
  if (synthEntry) {
    if (!isMapping(synthEntry.value)) p.at(synthEntry, 'synth: expected the options of semifer data synth (out, n, format, …)');
    else {
      synth = ['data', 'synth'];
      for (const [k, v] of Object.entries(synthEntry.value)) {
        if (!SYNTH_KEYS.includes(k)) { p.at(synthEntry, `synth: unknown option '${k}'; expected ${SYNTH_KEYS.join(', ')}`, [k]); continue; }
        synth.push(`--${k}`, k === 'out' && typeof v === 'string' && !isAbsolute(v) ? resolvePath(baseDir, v) : String(v));
      }
    }
  }
  p.throwIfAny();

  const runs = await expandRuns(file, out!, methodOptions, shared, seeds, axes, search);
  return { file, out: out!, methods: [...methodOptions.keys()], seeds, axes, search, synth, runs };
}

/** --set values (relative paths against the working folder, as on a command line) and the --methods selection. */
function applyOverrides(o: SweepOverrides, shared: Record<string, AxisValue>, methods: Map<string, { method: string; options: Record<string, AxisValue> }>, p: Problems): void {
  for (const item of o.set ?? []) {
    const m = /^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z][A-Za-z0-9-]*)=(.*)$/.exec(item);
    if (!m) {
      p.list.push(`--set: expected OPTION=VALUE or METHOD.OPTION=VALUE, got '${item}'`);
      continue;
    }
    const [, label, option, value] = m;
    const target = label === undefined ? shared : methods.get(label)?.options;
    if (!target) {
      p.list.push(`--set ${item}: no methods: entry '${label}' in ${p.file}${didYouMean(label!, [...methods.keys()], (c) => `'${c}'`)}`);
      continue;
    }
    const before = p.list.length;
    const parsed = trainEntries({ [option!]: value }, `--set ${item}`, undefined, process.cwd(), p);
    // Problems from --set are not in the file: drop the file prefix trainEntries gave them.
    for (let i = before; i < p.list.length; i++) p.list[i] = p.list[i]!.slice(`${p.file}: `.length);
    Object.assign(target, parsed);
  }
  if (o.methods?.length) {
    for (const label of o.methods) {
      if (!methods.has(label)) p.list.push(`--methods: no methods: entry '${label}' in ${p.file}; it has ${[...methods.keys()].join(', ')}`);
    }
    for (const label of [...methods.keys()]) if (!o.methods.includes(label)) methods.delete(label);
  }
}

/** Settings (one value per axis) in file order: the grid's product, or the random search's draws. */
function settingsOf(axes: Axis[], search: SweepPlan['search']): Record<string, AxisValue>[] {
  if (axes.length === 0) return [{}];
  if (search === 'random') {
    return axes[0]!.values.map((_, i) => Object.fromEntries(axes.map((a) => [a.name, a.values[i]!])));
  }
  let out: Record<string, AxisValue>[] = [{}];
  for (const a of axes) out = out.flatMap((s) => a.values.map((v) => ({ ...s, [a.name]: v })));
  return out;
}

/** Every run, seed outermost (a sweep stopped half-way has compared the methods on the same seeds), duplicates removed. */
async function expandRuns(file: string, out: string, methods: Map<string, { method: string; options: Record<string, AxisValue> }>, shared: Record<string, AxisValue>,
  seeds: number[], axes: Axis[], search: SweepPlan['search']): Promise<PlannedRun[]> {
  const problems: string[] = [];
  const runs: PlannedRun[] = [];
  const seen = new Set<string>();
  for (const seed of seeds) {
    for (const setting of settingsOf(axes, search)) {
      for (const [label, { method, options: own }] of methods) {
        const options: Record<string, AxisValue> = { ...shared, ...own };
        const applied: Record<string, AxisValue> = {};
        for (const axis of axes) {
          const value = setting[axis.name]!;
          if (axis.hyperName !== undefined) {
            const noisy = String(options['noisy-labels'] ?? 'none');
            if (!(axis.hyperName in hyperNamesFor(method, noisy))) continue;
          }
          applied[axis.name] = value;
          if (axis.name.startsWith('hyper.')) {
            const entry = `${axis.hyperName}=${value}`;
            options.hyper = options.hyper === undefined ? entry : mergeHyper(String(options.hyper), entry);
          } else options[axis.name] = value;
        }
        const suffix = Object.entries(applied).map(([k, v]) => `-${k.replace(/^hyper\./, '')}=${nameValue(v)}`).join('');
        const name = `${label}${suffix}-s${seed}`;
        if (seen.has(name)) continue;
        seen.add(name);
        const dir = join(out, name);
        const argv = [...optionArgs(options), '--method', method, '--seed', String(seed), '--out', dir];
        try {
          await trainConfigFrom(resolveOptions(TRAIN_OPTIONS, argv));
        } catch (err) {
          if (!(err instanceof UsageError)) throw err;
          problems.push(...err.problems.map((m) => `${file}: run ${name}: ${m}`));
        }
        runs.push({ name, dir, method, label, seed, setting: applied, options: own, argv });
      }
    }
  }
  if (problems.length) throw new UsageError([...new Set(problems)].slice(0, 20));
  return runs;
}
