/**
 * `node dist/bench/faceHash.js`: how far apart `data faces`' perceptual hashes
 * (src/label/faceHash.ts) are for the same face and for different faces, on
 * face-api's six sample photos. Each photo is also shrunk to 80 % and re-saved
 * at JPEG quality 60; each of its faces is paired with the nearest face (by
 * box centre) of the original. Prints the distances that choose
 * DEFAULT_DUPLICATE_DISTANCE: same face (copy) vs. different faces (originals).
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createDetector } from '../src/deploy/detector.js';
import { readPhoto } from '../src/deploy/photo.js';
import { alignFace } from '../src/deploy/align.js';
import { faceHash, hammingDistance, DEFAULT_DUPLICATE_DISTANCE, type FaceHash } from '../src/label/faceHash.js';

const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
const dir = mkdtempSync(join(tmpdir(), 'semifer-facehash-'));
interface Face { photo: number; cx: number; cy: number; h: FaceHash }
try {
  const detector = await createDetector();
  const orig: Face[] = [], copy: Face[] = [];
  for (let i = 1; i <= 6; i++) {
    const file = join(demo, `sample${i}.jpg`), mod = join(dir, `copy${i}.jpg`);
    const meta = await sharp(file).metadata();
    await sharp(file).resize(Math.round(meta.width! * 0.8)).jpeg({ quality: 60 }).toFile(mod);
    for (const [f, into] of [[file, orig], [mod, copy]] as const) {
      const p = await readPhoto(f);
      for (const d of await detector.detect(p)) {
        into.push({ photo: i, cx: (d.box.x + d.box.width / 2) / p.width, cy: (d.box.y + d.box.height / 2) / p.height, h: faceHash(alignFace(p, d, 112), 112) });
      }
    }
  }
  const different: number[] = [];
  for (let a = 0; a < orig.length; a++) for (let b = a + 1; b < orig.length; b++) different.push(hammingDistance(orig[a]!.h, orig[b]!.h));
  const same = copy.map((m) => {
    const o = orig.filter((x) => x.photo === m.photo).sort((x, y) => Math.hypot(x.cx - m.cx, x.cy - m.cy) - Math.hypot(y.cx - m.cx, y.cy - m.cy))[0]!;
    return hammingDistance(o.h, m.h);
  });
  different.sort((a, b) => a - b);
  same.sort((a, b) => a - b);
  console.log(`faces: ${orig.length} in the originals, ${copy.length} in the copies`);
  console.log(`same face (copy vs original), bits differing: ${same.join(', ')}`);
  console.log(`different faces: min ${different[0]}, 5th percentile ${different[Math.floor(different.length * 0.05)]}, median ${different[different.length >> 1]} (${different.length} pairs)`);
  console.log(`default --duplicate-distance ${DEFAULT_DUPLICATE_DISTANCE}: ${same.filter((d) => d <= DEFAULT_DUPLICATE_DISTANCE).length} of ${same.length} copies caught, ${different.filter((d) => d <= DEFAULT_DUPLICATE_DISTANCE).length} different pairs merged`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
