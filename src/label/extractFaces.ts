/**
 * `semifer data faces`: every face of every photo, detected and aligned as
 * `semifer predict` does (src/deploy), saved as a PNG crop in OUT/faces/ with
 * its record in OUT/manifest.jsonl (faceManifest.ts). Skipped, and recorded:
 * a photo whose bytes equal an earlier one's, and a face whose perceptual hash
 * is within `duplicateDistance` bits of a face already kept (faceHash.ts).
 * Resumes: photos already in the manifest are not read again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../files/writeFileAtomic.js';
import { readPhoto, PhotoError, DEFAULT_MAX_SIDE } from '../deploy/photo.js';
import { alignFace } from '../deploy/align.js';
import type { Detector, Point } from '../deploy/detector.js';
import { faceHash, hashFromHex, hashToHex, HashIndex } from './faceHash.js';
import { appendManifest, loadManifest, FACES_FOLDER, MANIFEST_FILE, type ManifestLine } from './faceManifest.js';

export interface ExtractOptions {
  out: string;
  detector: Detector;
  /** Side of the saved crops (px). */
  size: number;
  duplicateDistance: number;
  onPhoto?: (line: ManifestLine, done: number, total: number) => void;
}

export interface ExtractSummary {
  photos: number;
  /** Photos found in the manifest and not read again. */
  resumed: number;
  faces: number;
  duplicates: number;
  samePhotos: number;
  noFace: string[];
  failed: { photo: string; error: string }[];
  /** Mean time per photo read in this run (ms). */
  msPerPhoto: number;
}

export async function extractFaces(photos: readonly string[], o: ExtractOptions): Promise<ExtractSummary> {
  mkdirSync(join(o.out, FACES_FOLDER), { recursive: true });
  const manifestFile = join(o.out, MANIFEST_FILE);
  const previous = loadManifest(manifestFile);
  const done = new Set(previous.map((l) => l.photo));
  const bySha = new Map<string, string>();
  const index = new HashIndex();
  for (const l of previous) {
    if (l.sha256 && l.status !== 'same-photo') bySha.set(l.sha256, l.photo);
    for (const f of l.faces) index.add(hashFromHex(f.hash), f.file);
  }
  const summary: ExtractSummary = { photos: photos.length, resumed: 0, faces: 0, duplicates: 0, samePhotos: 0, noFace: [], failed: [], msPerPhoto: 0 };
  for (const l of previous) count(summary, l);
  let ms = 0, read = 0, finished = 0;
  for (const given of photos) {
    const photo = resolve(given);
    if (done.has(photo)) {
      summary.resumed++;
      o.onPhoto?.(previous.find((l) => l.photo === photo)!, ++finished, photos.length);
      continue;
    }
    const t0 = performance.now();
    const line = await onePhoto(photo, o, bySha, index);
    line.ms = Math.round(performance.now() - t0);
    appendManifest(manifestFile, line);
    done.add(photo);
    count(summary, line);
    ms += line.ms;
    read++;
    o.onPhoto?.(line, ++finished, photos.length);
  }
  summary.msPerPhoto = read ? ms / read : 0;
  return summary;
}

function count(s: ExtractSummary, l: ManifestLine): void {
  s.faces += l.faces.length;
  s.duplicates += l.duplicates.length;
  if (l.status === 'same-photo') s.samePhotos++;
  else if (l.status === 'no-face') s.noFace.push(l.photo);
  else if (l.status !== 'ok') s.failed.push({ photo: l.photo, error: l.error ?? l.status });
}

async function onePhoto(photo: string, o: ExtractOptions, bySha: Map<string, string>, index: HashIndex): Promise<ManifestLine> {
  const line: ManifestLine = { photo, status: 'ok', faces: [], duplicates: [], ms: 0 };
  try {
    line.sha256 = createHash('sha256').update(readFileSync(photo)).digest('hex');
  } catch {
    // readPhoto below gives the reason in its own words.
  }
  const same = line.sha256 ? bySha.get(line.sha256) : undefined;
  if (same) return { ...line, status: 'same-photo', sameAs: same };
  let image;
  try {
    image = await readPhoto(photo, { maxSide: DEFAULT_MAX_SIDE });
  } catch (err) {
    if (err instanceof PhotoError) return { ...line, status: err.kind, error: err.message };
    return { ...line, status: 'failed', error: `${photo}: ${(err as Error).message}` };
  }
  if (line.sha256) bySha.set(line.sha256, photo);
  line.width = image.fileWidth;
  line.height = image.fileHeight;
  let found;
  try {
    found = await o.detector.detect(image);
  } catch (err) {
    return { ...line, status: 'failed', error: `${photo}: detection failed (${(err as Error).message})` };
  }
  if (found.length === 0) return { ...line, status: 'no-face' };
  const k = 1 / image.scale;
  const toFile = (p: Point): Point => [round1(p[0] * k), round1(p[1] * k)];
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    const crop = alignFace(image, f, o.size);
    const hash = faceHash(crop, o.size);
    const box = { x: round1(f.box.x * k), y: round1(f.box.y * k), width: round1(f.box.width * k), height: round1(f.box.height * k) };
    const score = Number(f.score.toFixed(4));
    const near = index.nearest(hash, o.duplicateDistance);
    if (near) {
      line.duplicates.push({ index: i, box, score, of: near.name, distance: near.distance });
      continue;
    }
    // Named by content: the same crop always gets the same name, so a photo redone after a kill overwrites its own files.
    const file = `${FACES_FOLDER}/${createHash('sha256').update(crop).digest('hex').slice(0, 16)}.png`;
    writeFileAtomic(join(o.out, file), await sharp(crop, { raw: { width: o.size, height: o.size, channels: 3 } }).png().toBuffer());
    index.add(hash, file);
    line.faces.push({ file, index: i, box, landmarks: f.landmarks.map(toFile), score, hash: hashToHex(hash) });
  }
  return line;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
