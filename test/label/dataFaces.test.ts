// `semifer data faces` on real photos: faces cropped and recorded, a repeated photo and a
// re-compressed copy's faces skipped as duplicates, a photo without a face reported, and a
// run that was killed mid-line resumed without reading a finished photo again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { createDetector } from '../../src/deploy/detector.js';
import { extractFaces } from '../../src/label/extractFaces.js';
import { DEFAULT_DUPLICATE_DISTANCE, faceHash, hammingDistance, hashFromHex, hashToHex } from '../../src/label/faceHash.js';
import { loadManifest } from '../../src/label/faceManifest.js';
import { samplePhoto, SAMPLE_FACES } from '../deploy/photos.js';

test('face hash: hex round trip and distances', () => {
  const a = new Uint8Array(32 * 32 * 3), b = new Uint8Array(32 * 32 * 3);
  // a: brightness falls left to right (every bit set); b: rises (no bit set).
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
    a.fill(255 - 8 * x, (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
    b.fill(8 * x, (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
  }
  const ha = faceHash(a, 32), hb = faceHash(b, 32);
  assert.equal(hammingDistance(ha, hb), 256);
  assert.equal(hammingDistance(ha, ha), 0);
  assert.deepEqual(hashFromHex(hashToHex(ha)), ha);
  assert.equal(hashToHex(ha), 'f'.repeat(64));
});

test('data faces: crops, duplicates, no face, resume after a torn line', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-faces-'));
  try {
    const copy = join(dir, 'copy.jpg'), smaller = join(dir, 'smaller.jpg'), blank = join(dir, 'blank.png');
    copyFileSync(samplePhoto(1), copy);
    const meta = await sharp(samplePhoto(1)).metadata();
    await sharp(samplePhoto(1)).resize(Math.round(meta.width! * 0.9)).jpeg({ quality: 70 }).toFile(smaller);
    await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 90, g: 120, b: 150 } } }).png().toFile(blank);
    const out = join(dir, 'out');
    const detector = await createDetector();
    const photos = [samplePhoto(1), copy, smaller, blank];
    const first = await extractFaces(photos, { out, detector, size: 64, duplicateDistance: DEFAULT_DUPLICATE_DISTANCE });
    assert.equal(first.faces, SAMPLE_FACES[1], `kept faces: ${JSON.stringify(first)}`);
    assert.equal(first.samePhotos, 1);
    assert.equal(first.duplicates, SAMPLE_FACES[1], 'every face of the shrunk, re-compressed copy is a duplicate');
    assert.deepEqual(first.noFace, [resolve(blank)]);
    const files = readdirSync(join(out, 'faces'));
    assert.equal(files.length, SAMPLE_FACES[1]);
    const lines = loadManifest(join(out, 'manifest.jsonl'));
    assert.deepEqual(lines.map((l) => l.status), ['ok', 'same-photo', 'ok', 'no-face']);
    const f = lines[0]!.faces[0]!;
    assert.equal(f.landmarks.length, 68);
    assert.ok(f.score >= 0.5 && f.box.width > 50 && existsSync(join(out, f.file)));
    const png = await sharp(join(out, f.file)).metadata();
    assert.equal(png.width, 64);
    assert.equal(lines[2]!.duplicates[0]!.of.startsWith('faces/'), true);

    // A kill in the middle of writing the next line: the torn tail is cut and that photo redone.
    const manifest = join(out, 'manifest.jsonl');
    const before = readFileSync(manifest, 'utf8');
    appendFileSync(manifest, '{"photo":"/somewhere/else.jpg","sta');
    const again = await extractFaces([...photos, samplePhoto(2)], { out, detector, size: 64, duplicateDistance: DEFAULT_DUPLICATE_DISTANCE });
    assert.equal(again.resumed, 4, 'finished photos are not read again');
    assert.equal(again.faces, SAMPLE_FACES[1] + SAMPLE_FACES[2]);
    const after = readFileSync(manifest, 'utf8');
    assert.ok(after.startsWith(before) && !after.includes('somewhere'), 'torn line cut, new line appended');
    assert.equal(loadManifest(manifest).length, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
