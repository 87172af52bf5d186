/**
 * A sweep's results: one row per method and setting of the axes, with the
 * mean ± sample standard deviation over seeds of each finished run's
 * summary.json (accuracy of the model the run selected, mean class accuracy,
 * macro-F1), written as markdown and JSON. Reads only the sweep folder: the
 * manifest (sweep.json) and the runs' summaries.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/errors.js';
import type { AxisValue } from './plan.js';

export const MANIFEST_FILE = 'sweep.json';

export interface SweepManifest {
  file: string;
  search: 'grid' | 'random' | 'none';
  methods: string[];
  seeds: number[];
  axes: { name: string; hyperName: string | null; values: AxisValue[] }[];
  /** `label`: the methods: entry (a method's name, or a variant's); `options`: that entry's own train options (absent before they were recorded). */
  runs: { name: string; dir: string; method: string; label: string; seed: number; setting: Record<string, AxisValue>; options?: Record<string, AxisValue> }[];
}

export interface SeedStat {
  mean: number;
  /** Sample standard deviation (n − 1); null for a single run. */
  sd: number | null;
  values: number[];
}

export interface SweepRow {
  /** The methods: entry: a method, or a named variant of one. */
  method: string;
  /** The axes that apply to the method; an axis missing here does not affect it. */
  setting: Record<string, AxisValue>;
  seeds: number[];
  /** Runs of this row in the sweep, finished or not. */
  planned: number;
  accuracy: SeedStat;
  meanClassAccuracy: SeedStat;
  macroF1: SeedStat;
  /** Share of unlabelled images given a pseudo-label in the last epoch (methods that have one). */
  pseudoLabelRate: SeedStat | null;
  /** Teacher minus student accuracy at the end, in points (methods with an EMA teacher). */
  teacherGap: SeedStat | null;
  /**
   * Mean over the seeds both rows finished of (this accuracy − supervised's), the supervised row
   * with the same setting: a seed fixes the labelled images, so the pairs share them. Where a
   * variant of supervised has the same own options (`adacm-pretrained: { method: adacm,
   * pretrained: … }` against `supervised-pretrained: { method: supervised, pretrained: … }`), that
   * one; else the row named `supervised`. Null when the sweep has no such row or no common seed.
   */
  vsSupervised: number | null;
  runs: string[];
}

export interface SweepTable {
  axes: string[];
  rows: SweepRow[];
  /** Planned runs without a summary.json. */
  unfinished: string[];
}

export function isSweepFolder(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

export function readManifest(dir: string): SweepManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw new UsageError(`${dir}: no sweep here yet (no ${MANIFEST_FILE}); semifer sweep FILE writes it when it starts`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SweepManifest;
  } catch (err) {
    throw new UsageError(`${file}: cannot read the sweep manifest: ${(err as Error).message}`);
  }
}

export function seedStat(values: number[]): SeedStat {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : null;
  return { mean, sd, values };
}

interface Summary { accuracy: number; meanClassAccuracy: number; macroF1: number; semiSupervised?: { pseudoLabelRate?: number; teacherGap?: number } }

/** The statistic over the runs that report the value; null when none does. */
function statOf(values: (number | undefined)[]): SeedStat | null {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length ? seedStat(present) : null;
}

/** Groups the finished runs of the sweep in `dir` by method and setting, in the manifest's order. */
export function sweepTable(dir: string, manifest: SweepManifest = readManifest(dir)): SweepTable {
  const groups = new Map<string, { method: string; trains: string; options: string; setting: Record<string, AxisValue>; planned: number; done: { name: string; seed: number; s: Summary }[] }>();
  const unfinished: string[] = [];
  for (const run of manifest.runs) {
    const label = run.label ?? run.method;
    const key = JSON.stringify([label, Object.entries(run.setting)]);
    const g = groups.get(key) ?? { method: label, trains: run.method, options: JSON.stringify(Object.entries(run.options ?? {}).sort()), setting: run.setting, planned: 0, done: [] };
    groups.set(key, g);
    g.planned++;
    const file = join(dir, run.dir, 'summary.json');
    if (!existsSync(file)) {
      unfinished.push(run.name);
      continue;
    }
    let s: Summary;
    try {
      s = JSON.parse(readFileSync(file, 'utf8')) as Summary;
    } catch (err) {
      throw new UsageError(`${file}: not a run summary: ${(err as Error).message}`);
    }
    if (typeof s.accuracy !== 'number') throw new UsageError(`${file}: expected a run summary with 'accuracy', got none`);
    g.done.push({ name: run.name, seed: run.seed, s });
  }
  const finished = [...groups.values()].filter((g) => g.done.length > 0);
  const rows = finished.map((g): SweepRow => ({
    method: g.method,
    setting: g.setting,
    seeds: g.done.map((d) => d.seed),
    planned: g.planned,
    accuracy: seedStat(g.done.map((d) => d.s.accuracy)),
    meanClassAccuracy: seedStat(g.done.map((d) => d.s.meanClassAccuracy)),
    macroF1: seedStat(g.done.map((d) => d.s.macroF1)),
    pseudoLabelRate: statOf(g.done.map((d) => d.s.semiSupervised?.pseudoLabelRate)),
    teacherGap: statOf(g.done.map((d) => d.s.semiSupervised?.teacherGap)),
    vsSupervised: null,
    runs: g.done.map((d) => d.name),
  }));
  const sameSetting = (a: SweepRow, b: SweepRow) => JSON.stringify(a.setting) === JSON.stringify(b.setting);
  rows.forEach((r, i) => {
    const twin = rows.find((b, j) => b !== r && finished[j]!.trains === 'supervised' && finished[j]!.options === finished[i]!.options && sameSetting(b, r));
    const base = twin ?? rows.find((b) => b.method === 'supervised' && sameSetting(b, r));
    if (!base || base === r) return;
    const diffs = r.seeds.flatMap((seed, k) => {
      const j = base.seeds.indexOf(seed);
      return j < 0 ? [] : [r.accuracy.values[k] - base.accuracy.values[j]];
    });
    if (diffs.length) r.vsSupervised = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  });
  return { axes: manifest.axes.map((a) => a.name), rows, unfinished };
}

/** `45.36 ± 1.23` in percent (one run: `45.36`). */
export function statText(s: SeedStat): string {
  return s.sd === null ? (100 * s.mean).toFixed(2) : `${(100 * s.mean).toFixed(2)} ± ${(100 * s.sd).toFixed(2)}`;
}

function axisTitle(axis: string): string {
  return axis.replace(/^hyper\./, '');
}

/** The table in markdown (also what the terminal shows). */
export function sweepMarkdown(t: SweepTable): string {
  const semi = t.rows.some((r) => r.vsSupervised !== null || r.pseudoLabelRate || r.teacherGap);
  const head = ['method', ...t.axes.map(axisTitle), 'seeds', 'accuracy %', 'mean class acc. %', 'macro-F1 %', 'accuracy per seed %',
    ...(semi ? ['vs supervised (points)', 'pseudo-labels %', 'teacher − student (points)'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 || i <= t.axes.length ? '---' : '---:')).join('|')}|`];
  for (const r of t.rows) {
    const cells = [
      r.method,
      ...t.axes.map((a) => (a in r.setting ? String(r.setting[a]) : '–')),
      r.seeds.length === r.planned ? String(r.seeds.length) : `${r.seeds.length} of ${r.planned}`,
      statText(r.accuracy), statText(r.meanClassAccuracy), statText(r.macroF1),
      r.accuracy.values.map((v, i) => `${r.seeds[i]}: ${(100 * v).toFixed(1)}`).join(', '),
      ...(semi ? [
        r.vsSupervised === null ? '–' : `${r.vsSupervised >= 0 ? '+' : '−'}${Math.abs(100 * r.vsSupervised).toFixed(2)}`,
        r.pseudoLabelRate ? (100 * r.pseudoLabelRate.mean).toFixed(1) : '–',
        r.teacherGap ? `${r.teacherGap.mean >= 0 ? '+' : '−'}${Math.abs(r.teacherGap.mean).toFixed(1)}` : '–',
      ] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const notes = ['', 'mean ± sample standard deviation over seeds; accuracy of the model each run selected (summary.json).'];
  if (semi) notes.push('vs supervised: mean difference from the supervised run of the same seed (the same labelled images) and setting, over the seeds both finished; pseudo-labels: share of unlabelled images given one in the last epoch, mean over seeds; teacher − student: the EMA teacher\'s accuracy minus its student\'s on the validation images at the end, mean over seeds.');
  if (t.axes.length) notes.push('– : the method does not read this parameter (one run per seed).');
  if (t.unfinished.length) notes.push(`${t.unfinished.length} planned run(s) not finished: ${t.unfinished.slice(0, 8).join(', ')}${t.unfinished.length > 8 ? ', …' : ''}`);
  return [...lines, ...notes].join('\n') + '\n';
}

/** A sweep folder's finished run folders, in the manifest's order; any other folder stands for itself. */
export function sweepRunDirs(dir: string): string[] {
  if (!isSweepFolder(dir)) return [dir];
  return readManifest(dir).runs.map((r) => join(dir, r.dir)).filter((d) => existsSync(join(d, 'summary.json')));
}
