/**
 * The manifest of `semifer data faces`: OUT/manifest.jsonl, one JSON line per
 * photo, appended after that photo's crops are on disk. A line is the record
 * that the photo is done, so a run that stops anywhere resumes at the first
 * photo without a line. A line cut off by a kill (no final newline, or not
 * JSON) is cut from the file on the next start and that photo is redone.
 */
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import type { Point } from '../deploy/detector.js';

export const MANIFEST_FILE = 'manifest.jsonl';
export const FACES_FOLDER = 'faces';

export interface ManifestFace {
  /** The crop, relative to the output folder ('faces/<hash>.png'). */
  file: string;
  /** 0-based, faces ordered left to right in the photo. */
  index: number;
  /** In the photo file's own pixels (upright). */
  box: { x: number; y: number; width: number; height: number };
  /** The 68 face-api landmarks, photo pixels. */
  landmarks: Point[];
  score: number;
  /** The crop's perceptual hash (faceHash.ts), hex. */
  hash: string;
}

export interface ManifestDuplicate {
  index: number;
  box: ManifestFace['box'];
  score: number;
  /** The kept crop it matches, and how many hash bits differ. */
  of: string;
  distance: number;
}

export type PhotoStatus = 'ok' | 'no-face' | 'same-photo' | 'missing' | 'unreadable' | 'empty' | 'not-image' | 'damaged' | 'too-large' | 'failed';

export interface ManifestLine {
  /** The photo's path, absolute. */
  photo: string;
  /** sha256 of the file's bytes (absent when it could not be read). */
  sha256?: string;
  status: PhotoStatus;
  /** For 'same-photo': the earlier photo with the same bytes. */
  sameAs?: string;
  error?: string;
  width?: number;
  height?: number;
  faces: ManifestFace[];
  duplicates: ManifestDuplicate[];
  ms: number;
}

/** Reads the manifest, cutting a torn last line off the file. */
export function loadManifest(file: string): ManifestLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines: ManifestLine[] = [];
  let good = 0; // bytes of whole, parsed lines
  let at = 0;
  let lineNo = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    lineNo++;
    if (end < 0) break; // no newline: the write was cut
    const raw = text.slice(at, end);
    let parsed: ManifestLine;
    try {
      parsed = JSON.parse(raw) as ManifestLine;
    } catch {
      // Only the last line may be torn; garbage in the middle is not ours to drop.
      if (text.indexOf('\n', end + 1) >= 0 || end + 1 < text.length) throw new Error(`${file}:${lineNo}: not a JSON line; the manifest is damaged (move it away to start over)`);
      break;
    }
    if (typeof parsed?.photo !== 'string' || !Array.isArray(parsed.faces)) throw new Error(`${file}:${lineNo}: expected a photo record with 'photo' and 'faces'`);
    lines.push(parsed);
    at = end + 1;
    good = Buffer.byteLength(text.slice(0, at));
  }
  if (good < Buffer.byteLength(text)) truncateSync(file, good);
  return lines;
}

export function appendManifest(file: string, line: ManifestLine): void {
  // One write of one line: the whole record or (after a kill) a torn tail loadManifest drops.
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
