/**
 * A disk cache of decoded images, so a dataset is decoded once, not every run.
 * Per dataset/split/size/options: one binary file of uint8 N × S × S × 3 (RGB,
 * NHWC) and a JSON index (ids, labels, soft labels, skipped images, fingerprint).
 *
 * The fingerprint covers everything that changes the result: the reader and
 * decode options, the size, every sample's id/label/box, and for each image file
 * and label/CSV file its path, byte size and mtime. Any change → rebuild.
 *
 * Crash safety: both files are written to temporary names and renamed into
 * place, data first; the data file name contains the fingerprint, so an index
 * can only ever point at data built for it, and the data length is checked on
 * load. A half-written or truncated cache is rebuilt, never used. (Node has no
 * mmap; the data file is read into memory whole.)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/writeFileAtomic.js';
import { decodeMany, type DecodeManyOptions } from './decode.js';
import { DataError, type Dataset, type DecodedImages, type Problem, type Sample } from './types.js';

const CACHE_VERSION = 1;

export interface CacheOptions extends DecodeManyOptions {
  /** The reader options that produced `dataset` (they are part of the fingerprint). */
  readerOptions?: unknown;
}

export interface CachedImages extends DecodedImages {
  /** True when read from disk, false when decoded now. */
  fromCache: boolean;
  /** Why the cache was (re)built or 'hit'. */
  reason: string;
  dataFile: string;
  indexFile: string;
}

interface CacheIndex {
  version: number;
  fingerprint: string;
  format: string;
  root: string;
  split: string;
  size: number;
  count: number;
  byteLength: number;
  dataFile: string;
  ids: string[];
  labels: number[];
  soft?: number[];
  skipped: Problem[];
}

/** Loads the cached decoded images of a split, or decodes them and writes the cache. */
export async function loadOrBuildCache(dataset: Dataset, split: string, size: number, cacheDir: string, opts: CacheOptions = {}): Promise<CachedImages> {
  const samples = dataset.splits[split];
  if (!samples) throw new DataError(dataset.root, undefined, `dataset has no split '${split}'; available: ${Object.keys(dataset.splits).join(', ')}`);
  const key = cacheKey(dataset, split, size, opts);
  const indexFile = join(cacheDir, `${key}.json`);
  const fingerprint = cacheFingerprint(dataset, split, size, opts);

  const loaded = tryLoad(indexFile, cacheDir, fingerprint, size);
  if (loaded.images) return { ...loaded.images, fromCache: true, reason: 'hit', dataFile: loaded.dataFile!, indexFile };

  const images = await decodeMany(samples, size, opts);
  const dataFile = join(cacheDir, `${key}.${fingerprint.slice(0, 16)}.bin`);
  write(cacheDir, key, indexFile, dataFile, {
    version: CACHE_VERSION,
    fingerprint,
    format: dataset.format,
    root: dataset.root,
    split,
    size,
    count: images.count,
    byteLength: images.pixels.byteLength,
    dataFile: `${key}.${fingerprint.slice(0, 16)}.bin`,
    ids: images.ids,
    labels: Array.from(images.labels),
    ...(images.soft ? { soft: Array.from(images.soft) } : {}),
    skipped: images.skipped,
  }, images.pixels);
  return { ...images, fromCache: false, reason: loaded.reason, dataFile, indexFile };
}

/** File-name stem: readable parts plus a short hash of what distinguishes two caches of one split. */
function cacheKey(dataset: Dataset, split: string, size: number, opts: CacheOptions): string {
  const distinct = sha256(stableJson({ root: dataset.root, reader: readerKey(opts.readerOptions), decode: decodeSettings(opts) })).slice(0, 10);
  return `${dataset.format}-${split.replace(/[^A-Za-z0-9_-]/g, '_')}-${size}-${distinct}`;
}

/**
 * Reader options as the cache sees them: none and an empty object read the
 * same images (a run's config.json records {} where `train` passed nothing,
 * and `eval --run` decoded the test split a second time over that difference).
 */
function readerKey(options: unknown): unknown {
  if (options === undefined || options === null) return null;
  if (typeof options === 'object' && Object.values(options as Record<string, unknown>).every((v) => v === undefined)) return null;
  return options;
}

function decodeSettings(opts: CacheOptions): object {
  return { margin: opts.margin ?? 0, fit: opts.fit ?? 'fill', failOn: opts.failOn ?? 'truncated' };
}

/** The fingerprint of a split's sources (see the file comment). Stats every image file. */
export function cacheFingerprint(dataset: Dataset, split: string, size: number, opts: CacheOptions = {}): string {
  const h = createHash('sha256');
  h.update(stableJson({ v: CACHE_VERSION, format: dataset.format, root: dataset.root, split, size, reader: readerKey(opts.readerOptions), decode: decodeSettings(opts) }));
  for (const file of dataset.sourceFiles ?? []) h.update(`\nsrc ${file} ${fileStamp(file)}`);
  for (const s of dataset.splits[split] ?? []) h.update(sampleLine(s));
  return h.digest('hex');
}

function sampleLine(s: Sample): string {
  const soft = s.soft ? ` soft ${Array.from(s.soft).join(',')}` : '';
  const src = s.source;
  if (src.kind === 'pixels') return `\n${s.id} ${s.label}${soft} px ${src.width}x${src.height}x${src.channels}`;
  const box = src.box ? ` box ${src.box.x},${src.box.y},${src.box.width},${src.box.height}` : '';
  const align = src.align ? ` align ${[src.align.eyeLeft, src.align.eyeRight, src.align.mouth].flat().join(',')}` : '';
  return `\n${s.id} ${s.label}${soft} file ${src.path} ${fileStamp(src.path)}${box}${align}`;
}

/** Size and modification time of a file, or 'missing'. */
function fileStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function tryLoad(indexFile: string, cacheDir: string, fingerprint: string, size: number): { images?: DecodedImages; dataFile?: string; reason: string } {
  let index: CacheIndex;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8')) as CacheIndex;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { reason: code === 'ENOENT' ? 'no cache yet' : 'cache index unreadable' };
  }
  if (index.version !== CACHE_VERSION) return { reason: 'cache format changed' };
  if (index.fingerprint !== fingerprint) return { reason: 'sources or options changed' };
  const frame = size * size * 3;
  const dataFile = join(cacheDir, index.dataFile);
  const expected = index.count * frame;
  if (index.byteLength !== expected || index.ids.length !== index.count || index.labels.length !== index.count) return { reason: 'cache index inconsistent' };
  let data: Buffer;
  try {
    if (statSync(dataFile).size !== expected) return { reason: 'cache data file has the wrong length (truncated?)' };
    data = readFileSync(dataFile);
  } catch {
    return { reason: 'cache data file missing' };
  }
  if (data.byteLength !== expected) return { reason: 'cache data file has the wrong length (truncated?)' };
  const images: DecodedImages = {
    size,
    count: index.count,
    pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    labels: Int32Array.from(index.labels),
    ids: index.ids,
    skipped: index.skipped,
  };
  if (index.soft) images.soft = Float32Array.from(index.soft);
  return { images, dataFile, reason: 'hit' };
}

function write(cacheDir: string, key: string, indexFile: string, dataFile: string, index: CacheIndex, pixels: Uint8Array): void {
  mkdirSync(cacheDir, { recursive: true });
  // The data first: an index is only ever published next to the data it describes.
  writeFileAtomic(dataFile, pixels);
  writeFileAtomic(indexFile, JSON.stringify(index));
  // Data files of older fingerprints of the same key are garbage now.
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(`${key}.`) && name.endsWith('.bin') && name !== index.dataFile) rmSync(join(cacheDir, name), { force: true });
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so equal options always give equal text. */
export function stableJson(value: unknown): string {
  if (value === undefined || typeof value === 'function') return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<number>).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
