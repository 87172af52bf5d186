/** Photos for the deploy tests: face-api's real sample photos and generated problem files (made once per process). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);
const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');

/** node_modules/@vladmandic/face-api/demo/sample<i>.jpg, i = 1…6 (1920 px wide group photos). */
export function samplePhoto(i: number): string {
  return join(demo, `sample${i}.jpg`);
}

/**
 * True face counts, from looking at the photos: 1–3 three people each, 4 four,
 * 5 five (one low in the corner), 6 four.
 */
export const SAMPLE_FACES: Record<number, number> = { 1: 3, 2: 3, 3: 3, 4: 4, 5: 5, 6: 4 };

export interface ProblemFiles {
  dir: string;
  /** Plain text saved as .jpg. */
  text: string;
  /** The first half of a real JPEG. */
  truncated: string;
  empty: string;
  missing: string;
  /** A smooth colour gradient, no face. */
  gradient: string;
  /** sample3 enlarged to 6000×4219 (a "huge photo"). */
  huge: string;
}

let made: Promise<ProblemFiles> | undefined;

export function problemFiles(): Promise<ProblemFiles> {
  made ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'semifer-predict-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const f = (name: string) => join(dir, name);
    writeFileSync(f('notes.jpg'), 'These are my holiday notes, not a photo.\n');
    const jpeg = readFileSync(samplePhoto(1));
    writeFileSync(f('cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    writeFileSync(f('empty.jpg'), Buffer.alloc(0));
    const W = 640, H = 480, g = Buffer.alloc(W * H * 3);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) g.set([(x * 255) / W, (y * 255) / H, 128], (y * W + x) * 3);
    await sharp(g, { raw: { width: W, height: H, channels: 3 } }).png().toFile(f('gradient.png'));
    await sharp(samplePhoto(3)).resize(6000).jpeg({ quality: 80 }).toFile(f('huge.jpg'));
    return { dir, text: f('notes.jpg'), truncated: f('cut.jpg'), empty: f('empty.jpg'), missing: f('no-such-photo.jpg'), gradient: f('gradient.png'), huge: f('huge.jpg') };
  })();
  return made;
}
