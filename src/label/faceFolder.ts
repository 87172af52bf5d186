/**
 * The faces `semifer label` works on: every image under a folder (typically
 * `semifer data faces`' output), named by their path relative to the labels
 * file's folder — the name the labels file records — and decoded on demand.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { listImages, requireRoot } from '../data/readers/files.js';
import { decodeMany } from '../data/decode.js';
import { DEFAULT_LABELS_FILE } from '../data/labelsFile.js';

/** Written by `label suggest` beside the labels file, read by `label serve`. */
export const SUGGESTIONS_FILE = 'suggested.json';

export interface FaceEntry {
  /** Relative to the labels file's folder, '/'-separated. */
  image: string;
  path: string;
}

export interface FaceFolder {
  dir: string;
  labelsFile: string;
  suggestionsFile: string;
  faces: FaceEntry[];
}

export function openFaceFolder(dir: string, labelsFile?: string): FaceFolder {
  requireRoot(dir, 'face folder', 'face images (semifer data faces --out DIR writes one)');
  const file = resolve(labelsFile ?? join(dir, DEFAULT_LABELS_FILE));
  const base = dirname(file);
  const faces = listImages(dir, true).map((p) => ({ image: relative(base, resolve(p)).split(sep).join('/'), path: resolve(p) }));
  return { dir, labelsFile: file, suggestionsFile: join(base, SUGGESTIONS_FILE), faces };
}

/** The faces' pixels at size × size; faces that do not decode are left out (`kept` indexes `faces`). */
export async function decodeFaces(faces: readonly FaceEntry[], size: number, onProgress?: (done: number, total: number) => void): Promise<{ pixels: Uint8Array; kept: number[]; skipped: string[] }> {
  const d = await decodeMany(faces.map((f, i) => ({ id: String(i), source: { kind: 'file' as const, path: f.path }, label: -1 })), size, { onProgress });
  return { pixels: d.pixels, kept: d.ids.map(Number), skipped: d.skipped.map((p) => `${p.file}: ${p.message}`) };
}
