/**
 * Dataset inspection for the CLI's `inspect` command: counts per class and
 * split, the sizes and formats of every image (or of a seeded sample: a header
 * read plus a decode, so corrupt and truncated files show up), and every
 * problem the reader found.
 * A fatal reader error is reported in `fatal` instead of thrown, so the CLI can
 * print one report either way; any other error is a bug and is thrown.
 */
import sharp from 'sharp';
import { compareGroupNames } from './attributes.js';
import { readDataset, type AnyReaderOptions } from './readers/index.js';
import { rngFor } from './random.js';
import { DataError, type Dataset, type Problem, type Sample } from './types.js';

export interface InspectOptions {
  readerOptions?: AnyReaderOptions;
  /** Open only this many images, a seeded sample (0 skips the image check); unset: every image. */
  sampleImages?: number;
  /** Called after each image is checked. */
  onProgress?: (done: number, total: number) => void;
  /** Seed for choosing the sampled images (default 0). */
  seed?: number;
}

export interface SplitCounts {
  split: string;
  total: number;
  /** Count per class, in `classes` order. */
  perClass: number[];
  /** Samples with label -1. */
  unlabelled: number;
}

/** Faces per group of one attribute, per split. */
export interface AttributeCounts {
  attribute: string;
  /** Group names, sorted. */
  groups: string[];
  /** Split → count per group (in `groups` order), then the faces with no value last. */
  perSplit: Record<string, { perGroup: number[]; unknown: number }>;
}

export interface SizeBucket {
  width: number;
  height: number;
  count: number;
}

export interface InspectReport {
  format: string;
  root: string;
  classes: string[];
  splits: SplitCounts[];
  /** Images with each action unit, per split (CK+'s FACS files); empty when no image is FACS-coded. */
  actionUnits: { au: number; perSplit: Record<string, number> }[];
  /** FACS-coded images per split (the denominators of `actionUnits`). */
  facsCoded: Record<string, number>;
  /** Counts per attribute group (RAF-DB gender/race/age, attributes.csv columns); empty when the faces carry none. */
  attributes: AttributeCounts[];
  /** Splits that are the same sample list as another (SFEW's test = val). */
  aliases: Record<string, string>;
  images: {
    /** Images opened: every image, or the sample's size with sampleImages. */
    sampled: number;
    /** Whether `sampled` is every image of the dataset. */
    all: boolean;
    /** Distinct sizes, most frequent first. */
    sizes: SizeBucket[];
    formats: Record<string, number>;
    unreadable: Problem[];
  };
  /** Reader problems, then sampled images that failed to decode. */
  problems: Problem[];
  notes: Record<string, number>;
  /** The DataError message when the dataset could not be read at all. */
  fatal?: string;
}

export async function inspectDataset(format: string, root: string, opts: InspectOptions = {}): Promise<InspectReport> {
  let dataset: Dataset;
  try {
    dataset = await readDataset(format, root, opts.readerOptions ?? {});
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    return {
      format, root, classes: [], splits: [], attributes: [], actionUnits: [], facsCoded: {}, aliases: {}, notes: {}, problems: [], fatal: err.message,
      images: { sampled: 0, all: false, sizes: [], formats: {}, unreadable: [] },
    };
  }
  return inspectLoadedDataset(dataset, opts);
}

/** The same report for a dataset already read. */
export async function inspectLoadedDataset(dataset: Dataset, opts: InspectOptions = {}): Promise<InspectReport> {
  const aliases: Record<string, string> = {};
  const splits: SplitCounts[] = [];
  const names = Object.keys(dataset.splits);
  for (const split of names) {
    const samples = dataset.splits[split]!;
    const same = names.find((other) => other !== split && dataset.splits[other] === samples && names.indexOf(other) < names.indexOf(split));
    if (same) aliases[split] = same;
    const perClass = new Array<number>(dataset.classes.length).fill(0);
    let unlabelled = 0;
    for (const s of samples) {
      if (s.label < 0) unlabelled++;
      else perClass[s.label]!++;
    }
    splits.push({ split, total: samples.length, perClass, unlabelled });
  }
  const images = await checkImages(dataset, opts.sampleImages, opts.seed ?? 0, opts.onProgress);
  return {
    format: dataset.format,
    root: dataset.root,
    classes: dataset.classes,
    splits,
    attributes: countAttributes(dataset, names.filter((n) => !(n in aliases))),
    ...countActionUnits(dataset, names.filter((n) => !(n in aliases))),
    aliases,
    images,
    problems: [...dataset.problems, ...images.unreadable],
    notes: dataset.notes ?? {},
  };
}

function countActionUnits(dataset: Dataset, splits: string[]): Pick<InspectReport, 'actionUnits' | 'facsCoded'> {
  const facsCoded: Record<string, number> = {};
  const actionUnits = (dataset.actionUnitNumbers ?? []).map((au) => ({ au, perSplit: {} as Record<string, number> }));
  for (const split of splits) {
    const samples = dataset.splits[split]!.filter((s) => s.actionUnits);
    if (samples.length === 0) continue;
    facsCoded[split] = samples.length;
    for (const a of actionUnits) a.perSplit[split] = samples.filter((s) => a.au in s.actionUnits!).length;
  }
  return { actionUnits, facsCoded };
}

function countAttributes(dataset: Dataset, splits: string[]): AttributeCounts[] {
  return (dataset.attributeNames ?? []).map((attribute) => {
    const tallies = splits.map((split) => {
      const m = new Map<string, number>();
      let unknown = 0;
      for (const s of dataset.splits[split]!) {
        const v = s.attributes?.[attribute];
        if (v === undefined) unknown++;
        else m.set(v, (m.get(v) ?? 0) + 1);
      }
      return { split, m, unknown };
    });
    const groups = [...new Set(tallies.flatMap((t) => [...t.m.keys()]))].sort(compareGroupNames);
    const perSplit: AttributeCounts['perSplit'] = {};
    for (const t of tallies) perSplit[t.split] = { perGroup: groups.map((g) => t.m.get(g) ?? 0), unknown: t.unknown };
    return { attribute, groups, perSplit };
  });
}

async function checkImages(dataset: Dataset, count: number | undefined, seed: number, onProgress?: (done: number, total: number) => void): Promise<InspectReport['images']> {
  const unique = new Map<string, Sample>();
  for (const samples of Object.values(dataset.splits)) for (const s of samples) unique.set(s.id, s);
  const all = [...unique.values()];
  const chosen = count === undefined ? all : rngFor(seed, 'inspect').shuffle(all).slice(0, Math.max(0, count));
  const sizes = new Map<string, SizeBucket>();
  const formats: Record<string, number> = {};
  const failed: Sample[] = [];
  const add = (found: Measured): void => {
    const key = `${found.width}x${found.height}`;
    const bucket = sizes.get(key) ?? { width: found.width, height: found.height, count: 0 };
    bucket.count++;
    sizes.set(key, bucket);
    formats[found.format] = (formats[found.format] ?? 0) + 1;
  };
  let next = 0;
  let done = 0;
  // Several images at once: libvips decodes each on its own thread pool, so the cores stay busy.
  const worker = async (): Promise<void> => {
    for (let i = next++; i < chosen.length; i = next++) {
      const found = await measure(chosen[i]!);
      if ('problem' in found) failed.push(chosen[i]!);
      else add(found);
      onProgress?.(++done, chosen.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  // Failures again one at a time: libvips keeps one global error message, so a failure
  // beside another can read 'Unknown error'; alone it gives the real reason (or succeeds).
  const unreadable: Problem[] = [];
  for (const s of failed) {
    const found = await measure(s);
    if ('problem' in found) unreadable.push(found.problem);
    else add(found);
  }
  return {
    sampled: chosen.length,
    all: chosen.length === all.length,
    sizes: [...sizes.values()].sort((a, b) => b.count - a.count || a.width - b.width || a.height - b.height),
    formats,
    unreadable: unreadable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  };
}

interface Measured {
  width: number;
  height: number;
  format: string;
}

async function measure(s: Sample): Promise<Measured | { problem: Problem }> {
  const src = s.source;
  if (src.kind === 'pixels') return { width: src.width, height: src.height, format: 'raw pixels' };
  const problem = (what: string, err: unknown): { problem: Problem } => {
    const reason = err instanceof Error ? err.message : String(err);
    return { problem: { file: src.path, message: `unreadable image: ${what}${reason && reason !== 'Unknown error' ? `: ${reason}` : ''}`, severity: 'skipped' } };
  };
  // The header first (cheap, and the clearest reason for a file that is not an image at all) ...
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(src.path).metadata();
  } catch (err) {
    return problem('the header cannot be read (not an image, or cut off before its pixels)', err);
  }
  // ... then the pixels: a decode (shrunk on load where the format allows) reaches a cut-off or corrupt body.
  try {
    await sharp(src.path, { failOn: 'truncated' }).resize(8, 8).raw().toBuffer();
  } catch (err) {
    return problem(`the ${meta.format ?? 'image'} data is truncated or corrupt`, err);
  }
  return { width: meta.autoOrient?.width ?? meta.width ?? 0, height: meta.autoOrient?.height ?? meta.height ?? 0, format: meta.format ?? 'unknown' };
}

/** A plain-text report: a class × split table, image sizes, notes and problems. */
export function formatInspectReport(report: InspectReport, opts: { maxProblems?: number } = {}): string {
  const out: string[] = [`Dataset '${report.format}' at ${report.root}`];
  if (report.fatal) {
    out.push(`FATAL: ${report.fatal}`);
    return out.join('\n');
  }
  out.push(`Classes (${report.classes.length}): ${report.classes.join(', ')}`, '');
  const splits = report.splits.filter((s) => !(s.split in report.aliases));
  const hasUnlabelled = splits.some((s) => s.unlabelled > 0);
  const rows: string[][] = [['class', ...splits.map((s) => s.split)]];
  report.classes.forEach((name, c) => rows.push([name, ...splits.map((s) => String(s.perClass[c]))]));
  if (hasUnlabelled) rows.push(['(unlabelled)', ...splits.map((s) => String(s.unlabelled))]);
  rows.push(['total', ...splits.map((s) => String(s.total))]);
  out.push(...table(rows));
  for (const [split, same] of Object.entries(report.aliases)) out.push(`(split '${split}' is the same list as '${same}')`);
  if (report.actionUnits.length > 0) {
    const names = splits.map((s) => s.split).filter((s) => s in report.facsCoded);
    const rows2: string[][] = [['action unit', ...names]];
    for (const a of report.actionUnits) rows2.push([`AU${a.au}`, ...names.map((s) => String(a.perSplit[s] ?? 0))]);
    rows2.push(['FACS-coded images', ...names.map((s) => String(report.facsCoded[s]))]);
    out.push('', ...table(rows2));
  }
  for (const a of report.attributes) {
    const names = splits.map((s) => s.split).filter((s) => a.perSplit[s]);
    const rows2: string[][] = [[a.attribute, ...names]];
    a.groups.forEach((g, i) => rows2.push([g, ...names.map((s) => String(a.perSplit[s]!.perGroup[i]))]));
    if (names.some((s) => a.perSplit[s]!.unknown > 0)) rows2.push(['(unknown)', ...names.map((s) => String(a.perSplit[s]!.unknown))]);
    out.push('', ...table(rows2));
  }

  const img = report.images;
  if (img.sampled > 0) {
    out.push('', `Image sizes (${img.all ? `all ${img.sampled} images checked` : `${img.sampled} sampled`}):`);
    const shown = img.sizes.slice(0, 10);
    for (const b of shown) out.push(`  ${b.width}×${b.height}: ${b.count}`);
    if (img.sizes.length > shown.length) out.push(`  … ${img.sizes.length - shown.length} more sizes`);
    out.push(`Formats: ${Object.entries(img.formats).map(([f, n]) => `${f} ${n}`).join(', ') || '-'}`);
    if (img.unreadable.length > 0) out.push(`Unreadable: ${img.unreadable.length} of the ${img.all ? 'images' : 'sampled images'}`);
  }
  const notes = Object.entries(report.notes);
  if (notes.length > 0) {
    out.push('', 'Notes:');
    for (const [reason, n] of notes) out.push(`  ${n} × ${reason}`);
  }
  const warnings = report.problems.filter((p) => p.severity === 'warning').length;
  out.push('', `Problems: ${report.problems.length} (${report.problems.length - warnings} skipped, ${warnings} warnings)`);
  const max = opts.maxProblems ?? 20;
  for (const p of report.problems.slice(0, max)) {
    out.push(`  ${p.severity === 'warning' ? 'warning' : 'skipped'}  ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);
  }
  if (report.problems.length > max) out.push(`  … and ${report.problems.length - max} more`);
  return out.join('\n');
}

/** Left-aligned first column, right-aligned numbers. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}
