import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { cropRegion, decodeMany, decodeSample } from '../../src/data/decode.js';
import { readAffectnet } from '../../src/data/readers/affectnet.js';
import { readExpw } from '../../src/data/readers/expw.js';
import type { Box, Sample } from '../../src/data/types.js';
import { BLACK, BLUE, GRAY, GREEN, makeTempDir, meanRgb, near, RED, writeGarbage, writeRaw, writeSolid, writeSquare, writeText, writeTruncatedJpeg, type Rgb } from './fixtures.js';

const tmp = makeTempDir('decode');
after(tmp.cleanup);
const file = (path: string, box?: Box): Sample => ({
  id: path,
  label: 0,
  source: box ? { kind: 'file', path: join(tmp.dir, path), box } : { kind: 'file', path: join(tmp.dir, path) },
});
const pixelAt = (px: Uint8Array, size: number, x: number, y: number): Rgb => {
  const i = (y * size + x) * 3;
  return [px[i]!, px[i + 1]!, px[i + 2]!];
};

test('decodes JPEG, PNG, WebP, TIFF and GIF to size × size × 3 RGB', async () => {
  const cases: [string, Rgb][] = [['red.jpg', RED], ['green.png', GREEN], ['blue.webp', BLUE], ['gray.tif', GRAY], ['red.gif', RED]];
  for (const [name, color] of cases) {
    await writeSolid(join(tmp.dir, name), color, 20, 12);
    const px = await decodeSample(file(name), 8);
    assert.equal(px.length, 8 * 8 * 3);
    assert.ok(near(meanRgb(px, 8), color, name.endsWith('.gif') ? 30 : 6), `${name}: ${meanRgb(px, 8)} vs ${color}`);
  }
  const exact = await decodeSample(file('green.png'), 5);
  assert.deepEqual(pixelAt(exact, 5, 4, 4), GREEN);
});

test('grayscale becomes RGB and alpha is flattened onto black', async () => {
  await writeRaw(join(tmp.dir, 'gray1.png'), Buffer.alloc(16 * 16, 90), 16, 16, 1);
  const g = await decodeSample(file('gray1.png'), 4);
  assert.deepEqual(pixelAt(g, 4, 1, 2), [90, 90, 90]);
  const rgba = Buffer.alloc(16 * 16 * 4);
  for (let i = 0; i < 16 * 16; i++) rgba.set(i < 128 ? [200, 100, 50, 255] : [200, 100, 50, 0], i * 4); // top half opaque, bottom transparent
  await writeRaw(join(tmp.dir, 'alpha.png'), rgba, 16, 16, 4);
  const a = await decodeSample(file('alpha.png'), 16);
  assert.deepEqual(pixelAt(a, 16, 3, 2), [200, 100, 50]);
  assert.deepEqual(pixelAt(a, 16, 3, 13), BLACK);
});

test('16-bit and CMYK images come out as 8-bit sRGB', async () => {
  await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 100, b: 50 } } }).toColourspace('rgb16').png().toFile(join(tmp.dir, 'deep.png'));
  assert.deepEqual(pixelAt(await decodeSample(file('deep.png'), 4), 4, 1, 1), [200, 100, 50]);
  await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 100, b: 50 } } }).toColourspace('cmyk').jpeg().toFile(join(tmp.dir, 'cmyk.jpg'));
  assert.ok(near(pixelAt(await decodeSample(file('cmyk.jpg'), 4), 4, 1, 1), [200, 100, 50], 20));
});

test('EXIF orientation is applied before the face box', async () => {
  // Stored 32×16: left half red, right half blue. Orientation 6 displays it rotated 90° clockwise,
  // so upright it is 16×32 with red on top.
  const raw = Buffer.alloc(32 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 32; x++) raw.set(x < 16 ? RED : BLUE, (y * 32 + x) * 3);
  await sharp(raw, { raw: { width: 32, height: 16, channels: 3 } }).png().withMetadata({ orientation: 6 }).toFile(join(tmp.dir, 'rotated.png'));
  const px = await decodeSample(file('rotated.png'), 8);
  assert.ok(near(pixelAt(px, 8, 4, 0), RED, 2), `top ${pixelAt(px, 8, 4, 0)}`);
  assert.ok(near(pixelAt(px, 8, 4, 7), BLUE, 2), `bottom ${pixelAt(px, 8, 4, 7)}`);
  const lower = await decodeSample(file('rotated.png', { x: 0, y: 16, width: 16, height: 16 }), 4); // the lower upright square
  assert.ok(near(meanRgb(lower, 4), BLUE, 2));
});

test('face box crops to the square inside it, with margin and clamping', async () => {
  await writeSquare(join(tmp.dir, 'square.png'), 64, 48, GRAY, { x: 40, y: 8, side: 16, color: GREEN });
  const inside = await decodeSample(file('square.png', { x: 40, y: 8, width: 16, height: 16 }), 8);
  for (let i = 0; i < 64; i++) assert.deepEqual(pixelAt(inside, 8, i % 8, Math.floor(i / 8)), GREEN);
  const whole = meanRgb(await decodeSample(file('square.png'), 8), 8);
  assert.ok(!near(whole, GREEN, 40), 'without the box the image is mostly gray');
  // Margin 0.5 grows the box by 8 px each side: (32,0)–(64,32) — green square plus gray ring, clamped at the right edge.
  const withMargin = await decodeSample(file('square.png', { x: 40, y: 8, width: 16, height: 16 }), 32, { margin: 0.5 });
  assert.deepEqual(pixelAt(withMargin, 32, 1, 1), GRAY);
  assert.deepEqual(pixelAt(withMargin, 32, 20, 16), GREEN);
  assert.deepEqual(cropRegion({ x: 40, y: 8, width: 16, height: 16 }, 0.5, 64, 48), { left: 32, top: 0, width: 32, height: 32 });
  assert.deepEqual(cropRegion({ x: -5, y: 40, width: 20, height: 20 }, 0, 64, 48), { left: 0, top: 40, width: 15, height: 8 });
  assert.equal(cropRegion({ x: 70, y: 0, width: 10, height: 10 }, 0, 64, 48), undefined);
  await assert.rejects(decodeSample(file('square.png', { x: 70, y: 0, width: 10, height: 10 }), 8), /outside the 64×48 image/);
});

test("fit 'cover' centre-crops, 'fill' stretches", async () => {
  const raw = Buffer.alloc(48 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 48; x++) raw.set(x < 16 ? RED : x < 32 ? GREEN : BLUE, (y * 48 + x) * 3);
  await writeRaw(join(tmp.dir, 'stripes.png'), raw, 48, 16, 3);
  const cover = await decodeSample(file('stripes.png'), 8, { fit: 'cover' });
  assert.ok(near(meanRgb(cover, 8), GREEN, 3));
  const fill = await decodeSample(file('stripes.png'), 6);
  assert.ok(near(pixelAt(fill, 6, 0, 3), RED, 3) && near(pixelAt(fill, 6, 5, 3), BLUE, 3));
});

test('pixel sources (FER2013 rows) decode through raw input', async () => {
  const gray: Sample = { id: 'fer0000000', label: 6, source: { kind: 'pixels', width: 48, height: 48, channels: 1, data: new Uint8Array(2304).fill(77) } };
  const px = await decodeSample(gray, 24);
  assert.equal(px.length, 24 * 24 * 3);
  assert.ok(px.every((v) => v === 77));
  const rgbData = new Uint8Array(4 * 4 * 3);
  for (let i = 0; i < 16; i++) rgbData.set(BLUE, i * 3);
  const rgb = await decodeSample({ id: 'c', label: 0, source: { kind: 'pixels', width: 4, height: 4, channels: 3, data: rgbData } }, 2);
  assert.deepEqual(pixelAt(rgb, 2, 1, 1), BLUE);
  await assert.rejects(decodeSample({ id: 'bad', label: 0, source: { kind: 'pixels', width: 48, height: 48, channels: 1, data: new Uint8Array(10) } }, 8), /expected 2304 bytes/);
});

test('decodeMany keeps order, skips corrupt, truncated and missing images with reasons', async () => {
  await writeSolid(join(tmp.dir, 'm-red.jpg'), RED);
  await writeSolid(join(tmp.dir, 'm-blue.png'), BLUE);
  writeGarbage(join(tmp.dir, 'm-garbage.jpg'));
  await writeTruncatedJpeg(join(tmp.dir, 'm-truncated.jpg'));
  writeText(join(tmp.dir, 'm-empty.png'), '');
  const samples: Sample[] = ['m-red.jpg', 'm-garbage.jpg', 'm-truncated.jpg', 'm-blue.png', 'm-missing.jpg', 'm-empty.png'].map((p, i) => ({ ...file(p), label: i }));
  samples[0]!.soft = new Float32Array([1, 0]);
  const progress: [number, number][] = [];
  const out = await decodeMany(samples, 6, { concurrency: 2, onProgress: (d, t) => progress.push([d, t]) });
  assert.equal(out.count, 2);
  assert.equal(out.size, 6);
  assert.deepEqual(out.ids, ['m-red.jpg', 'm-blue.png']);
  assert.deepEqual(Array.from(out.labels), [0, 3]);
  assert.equal(out.pixels.length, 2 * 6 * 6 * 3);
  assert.ok(near(meanRgb(out.pixels, 6, 0), RED, 6));
  assert.ok(near(meanRgb(out.pixels, 6, 1), BLUE, 0));
  assert.equal(out.soft, undefined); // only one sample had soft labels
  assert.deepEqual(out.skipped.map((p) => p.file), ['m-garbage.jpg', 'm-truncated.jpg', 'm-missing.jpg', 'm-empty.png'].map((p) => join(tmp.dir, p)));
  assert.match(out.skipped[0]!.message, /unsupported image format/);
  assert.match(out.skipped[1]!.message, /premature end of JPEG/i);
  assert.match(out.skipped[2]!.message, /missing|not exist|no such file/i);
  assert.equal(progress.length, 6);
  assert.deepEqual(progress.at(-1), [6, 6]);
});

test('BMP: decoded where libvips reads it, otherwise skipped and counted, never fatal', async () => {
  // A 2×2 24-bit BMP, bottom-up rows padded to 4 bytes.
  const row = Buffer.from([...[BLUE[2], BLUE[1], BLUE[0]], ...[BLUE[2], BLUE[1], BLUE[0]], 0, 0]);
  const pixels = Buffer.concat([row, row]);
  const header = Buffer.alloc(54);
  header.write('BM', 0);
  header.writeUInt32LE(54 + pixels.length, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(2, 18);
  header.writeInt32LE(2, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(pixels.length, 34);
  writeFileSync(join(tmp.dir, 'blue.bmp'), Buffer.concat([header, pixels]));
  const out = await decodeMany([file('blue.bmp')], 2);
  if (out.count === 1) assert.ok(near(meanRgb(out.pixels, 2), BLUE, 2));
  else assert.match(out.skipped[0]!.message, /could not decode image/);
});

test('reader boxes end to end: AffectNet and ExpW faces decode to the boxed square', async () => {
  const root = join(tmp.dir, 'affectnet');
  const header = 'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal';
  writeText(join(root, 'Manually_Annotated_file_lists', 'training.csv'), `${header}\n1/face.png,8,20,24,24,"1;2;3",1,0.5,0.5\n`);
  writeText(join(root, 'Manually_Annotated_file_lists', 'validation.csv'), `${header}\n1/face.png,0,0,64,64,"1;2;3",0,0,0\n1/face.png,0,0,64,64,"",0,0,0\n`);
  await writeSquare(join(root, 'Manually_Annotated_Images', '1', 'face.png'), 64, 64, GRAY, { x: 8, y: 20, side: 24, color: RED });
  const d = await readAffectnet(root);
  // both validation rows repeat the training image's id: duplicates, skipped
  assert.deepEqual(d.problems.filter((p) => p.severity !== 'warning').map((p) => p.line), [2, 3]);
  const face = await decodeMany(d.splits['train']!, 12);
  assert.ok(near(meanRgb(face.pixels, 12), RED, 0));

  const expw = join(tmp.dir, 'expw');
  writeText(join(expw, 'label', 'label.lst'), 'photo.png 0 20 8 32 44 90.1 3\nphoto.png 1 4 40 60 20 50.0 0\n');
  await writeSquare(join(expw, 'image', 'origin', 'photo.png'), 64, 64, GRAY, { x: 8, y: 20, side: 24, color: RED });
  const e = await readExpw(expw);
  const faces = await decodeMany(e.splits['train']!, 8);
  assert.ok(near(meanRgb(faces.pixels, 8, 0), RED, 0));
  assert.ok(near(meanRgb(faces.pixels, 8, 1), GRAY, 0)); // box (40,4)–(60,20) lies in the gray part
});
