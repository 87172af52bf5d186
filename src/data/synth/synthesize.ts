/**
 * `synthesizeDataset`: writes a synthetic FER dataset in a real dataset's
 * layout (RAF-DB, FER2013 or ImageFolder) so the real readers read it.
 *
 * Order of writes, so an interrupted run is detectable and never mistaken for
 * a finished one: `synth_meta.json` (the options; also marks the folder as
 * ours) → images → `synth_truth.json` → `attributes.csv` (what each face
 * drew: skin tone, apparent age, glasses, occlusion) → the label file (temp + rename; for
 * ImageFolder the train/ folder is renamed into place). A later call with the
 * same options finds meta + label file and returns without generating; a call
 * with other options removes what the generator wrote and starts again. A
 * non-empty folder without `synth_meta.json` is never touched.
 */
import { access, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/writeFileAtomic.js';
import { EXPRESSION_COUNT } from './expressions.js';
import { CLASS_NAMES, type SynthFormat, defaultSize, labelFileOf } from './formats.js';
import { type ClassBalance, type PlannedSample, planDataset } from './plan.js';
import { PARTIAL_DIR, WRITERS, paramsOf } from './writers.js';
import { ATTRIBUTES_FILE } from '../attributes.js';
import { SYNTH_ATTRIBUTES, faceAttributes } from './attributes.js';

/** Bump when the renderer or the plan changes, so cached datasets are regenerated. */
export const SYNTH_VERSION = 3;

export interface SynthesizeOptions {
  out: string;
  n: number;
  format: SynthFormat;
  /** Image size in pixels; default 100 (RAF-DB aligned), and always 48 for fer2013 (FER2013 is 48×48 by definition, any other value is ignored). */
  size?: number;
  seed?: number;
  /** Fraction of TRAIN labels flipped to a random other class (exactly round(noise · Ntrain) of them). */
  noise?: number;
  /** Fraction of each class put in the test split (default 0.2). */
  testFraction?: number;
  /** 'uniform' (default) or 'rafdb' (RAF-DB's train class proportions). */
  classBalance?: ClassBalance;
  /** Nuisance level: 0 = clean studio faces, 1 = default variety (pose, light, blur, noise, occlusion). */
  nuisance?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SynthesizeResult {
  out: string;
  /** True when a finished dataset with the same options was already there. */
  skipped: boolean;
  size: number;
  /** Faces per canonical class by TRUE label, per split. */
  counts: { train: number[]; test: number[] };
  /** How many training labels were flipped. */
  flipped: number;
}

interface Meta {
  generator: 'semifer-synth';
  version: number;
  options: Required<Omit<SynthesizeOptions, 'out' | 'onProgress'>>;
  classes: readonly string[];
  counts: SynthesizeResult['counts'];
  flipped: number;
}

/** Everything the generator may have written, label files first (so removal unpublishes before it deletes). */
const GENERATED = ['EmoLabel/list_patition_label.txt', 'fer2013.csv', 'train', 'test', 'EmoLabel', 'Image', PARTIAL_DIR, 'synth_truth.json', ATTRIBUTES_FILE];

export async function synthesizeDataset(opts: SynthesizeOptions): Promise<SynthesizeResult> {
  const options: Meta['options'] = {
    n: opts.n,
    format: opts.format,
    size: opts.format === 'fer2013' ? 48 : (opts.size ?? defaultSize(opts.format)),
    seed: opts.seed ?? 0,
    noise: opts.noise ?? 0,
    testFraction: opts.testFraction ?? 0.2,
    classBalance: opts.classBalance ?? 'uniform',
    nuisance: opts.nuisance ?? 1,
  };
  if (!(options.format in WRITERS)) throw new Error(`unknown synthetic dataset format '${String(opts.format)}' (rafdb, fer2013, imagefolder)`);
  if (!(Number.isInteger(options.size) && options.size >= 8)) throw new RangeError(`size must be an integer ≥ 8, got ${options.size}`);
  const out = opts.out;
  const metaPath = join(out, 'synth_meta.json');
  await mkdir(out, { recursive: true });

  const existing = await readMeta(metaPath);
  if (existing && sameOptions(existing, options) && (await exists(join(out, labelFileOf(options.format))))) {
    return { out, skipped: true, size: options.size, counts: existing.counts, flipped: existing.flipped };
  }
  if (existing) {
    for (const p of GENERATED) await rm(join(out, p), { recursive: true, force: true });
  } else {
    const entries = (await readdir(out)).filter((e) => e !== 'synth_meta.json');
    if (entries.length > 0) {
      throw new Error(`${out}: folder is not empty and has no synth_meta.json; refusing to write a synthetic dataset over it`);
    }
  }

  const plan = planDataset(options);
  const counts = { train: new Array<number>(EXPRESSION_COUNT).fill(0), test: new Array<number>(EXPRESSION_COUNT).fill(0) };
  for (const s of plan) counts[s.split][s.trueLabel]++;
  const flipped = plan.filter((s) => s.label !== s.trueLabel).length;
  const meta: Meta = { generator: 'semifer-synth', version: SYNTH_VERSION, options, classes: CLASS_NAMES, counts, flipped };
  writeFileAtomic(metaPath, JSON.stringify(meta, null, 1) + '\n');

  let done = 0;
  const ctx = { out, size: options.size, nuisance: options.nuisance, plan, tick: () => opts.onProgress?.(++done, plan.length) };
  const writer = WRITERS[options.format];
  await writer.images(ctx);
  const train = plan.filter((s) => s.split === 'train');
  writeFileAtomic(join(out, 'synth_truth.json'), JSON.stringify({
    classes: CLASS_NAMES,
    // Labels are canonical class indices; only the training split has flipped labels.
    ids: train.map((s) => s.id),
    trueLabels: train.map((s) => s.trueLabel),
    noisyLabels: train.map((s) => s.label),
    testIds: plan.filter((s) => s.split === 'test').map((s) => s.id),
    testLabels: plan.filter((s) => s.split === 'test').map((s) => s.trueLabel),
  }) + '\n');
  await writeFileAtomic(join(out, ATTRIBUTES_FILE), attributesCsv(plan, options.nuisance));
  await writer.finish(ctx);
  return { out, skipped: false, size: options.size, counts, flipped };
}

/** The attribute manifest of the planned faces: what the generator drew for each (their params, not re-rendered). */
function attributesCsv(plan: PlannedSample[], nuisance: number): string {
  const rows = plan.map((s) => {
    const a = faceAttributes(paramsOf(s, nuisance));
    return [s.id, ...SYNTH_ATTRIBUTES.map((k) => a[k])].join(',');
  });
  return `${['id', ...SYNTH_ATTRIBUTES].join(',')}\n${rows.join('\n')}\n`;
}

async function readMeta(path: string): Promise<Meta | null> {
  try {
    const m = JSON.parse(await readFile(path, 'utf8')) as Meta;
    return m && m.generator === 'semifer-synth' ? m : null;
  } catch {
    return null;
  }
}

function sameOptions(meta: Meta, options: Meta['options']): boolean {
  return meta.version === SYNTH_VERSION && JSON.stringify(meta.options) === JSON.stringify(options);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
