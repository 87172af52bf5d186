/** Reading photos: each way a file can fail has its own kind and a message naming the file; huge photos are shrunk. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { readPhoto, PhotoError } from '../../src/deploy/photo.js';
import { problemFiles, samplePhoto } from './photos.js';

async function failure(file: string): Promise<PhotoError> {
  try {
    await readPhoto(file);
  } catch (err) {
    assert.ok(err instanceof PhotoError, String(err));
    assert.ok(err.message.startsWith(`${file}: `), err.message);
    return err;
  }
  assert.fail(`${file} was read`);
}

test('a sample photo decodes to upright RGB at its own size', async () => {
  const p = await readPhoto(samplePhoto(1));
  assert.deepEqual([p.width, p.height, p.fileWidth, p.fileHeight, p.scale], [1920, 1280, 1920, 1280, 1]);
  assert.equal(p.rgb.length, 1920 * 1280 * 3);
});

test('bad files: each gets its kind and a clear reason', async () => {
  const f = await problemFiles();
  const cases: Array<[string, string, RegExp]> = [
    [f.text, 'not-image', /not an image/],
    [f.truncated, 'damaged', /damaged or truncated/],
    [f.empty, 'empty', /empty file/],
    [f.missing, 'missing', /no such file/],
    [f.dir, 'unreadable', /is a folder/],
  ];
  for (const [file, kind, message] of cases) {
    const e = await failure(file);
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, message);
  }
});

test('a huge photo is shrunk to maxSide, and says by how much', async () => {
  const f = await problemFiles();
  const p = await readPhoto(f.huge);
  assert.equal(p.fileWidth, 6000);
  assert.equal(p.width, 4096);
  assert.equal(p.height, Math.round((p.fileHeight * 4096) / 6000));
  assert.ok(Math.abs(p.scale - 4096 / 6000) < 1e-9);
  const small = await readPhoto(f.huge, { maxSide: 1000 });
  assert.equal(Math.max(small.width, small.height), 1000);
});

test('EXIF orientation is applied: a portrait-tagged landscape JPEG comes out upright, greyscale becomes RGB', async () => {
  const { dir } = await problemFiles();
  const tagged = join(dir, 'tagged.jpg');
  // Stored 1920×1280, tagged "rotate 90° clockwise to display".
  await sharp(samplePhoto(1)).withMetadata({ orientation: 6 }).jpeg().toFile(tagged);
  const p = await readPhoto(tagged);
  assert.deepEqual([p.width, p.height, p.fileWidth, p.fileHeight], [1280, 1920, 1280, 1920]);
  const grey = join(dir, 'grey.png');
  await sharp(samplePhoto(1)).resize(200).greyscale().png().toFile(grey);
  const g = await readPhoto(grey);
  assert.equal(g.rgb.length, g.width * g.height * 3);
  assert.equal(g.rgb[0], g.rgb[1]);
});
