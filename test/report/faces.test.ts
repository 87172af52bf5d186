import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { faceListsFromImages, pickFaces } from '../../src/report/faces.js';
import { encodePng, pngDataUri } from '../../src/report/png.js';

test('face picks: confident correct, smallest top-2 margin, misclassified', () => {
  // 3 classes, 5 samples
  const probs = [
    0.9, 0.05, 0.05, // 0: y0 correct, conf .9
    0.4, 0.35, 0.25, // 1: y1 wrong (pred 0), margin .05
    0.1, 0.8, 0.1,   // 2: y1 correct, conf .8
    0.2, 0.2, 0.6,   // 3: y0 wrong (pred 2), conf .6, margin .4
    0.34, 0.33, 0.33, // 4: y0 correct, margin .01
  ];
  const labels = [0, 1, 1, 0, 0];
  const p = pickFaces(probs, labels, 3, 2);
  assert.deepEqual(p.confident.map((f) => f.index), [0, 2]);
  assert.deepEqual(p.ambiguous.map((f) => f.index), [4, 1]);
  assert.deepEqual(p.misclassified.map((f) => f.index), [3, 1]);
  assert.equal(p.misclassified[0]!.predLabel, 2);
  assert.ok(Math.abs(p.ambiguous[0]!.margin - 0.01) < 1e-9);
});

test('PNG encoder writes a valid file: signature, IHDR, CRCs, and the pixels back out of IDAT', () => {
  const w = 3, h = 2;
  const pixels = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256);
  const png = encodePng(pixels, w, h, 3);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  const chunks: { type: string; data: Buffer }[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    chunks.push({ type, data: png.subarray(off + 8, off + 8 + len) });
    off += 12 + len;
  }
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  assert.equal(chunks[0]!.data.readUInt32BE(0), w);
  assert.equal(chunks[0]!.data.readUInt32BE(4), h);
  assert.equal(chunks[0]!.data[9], 2); // RGB
  // IEND's CRC is a well-known constant
  assert.equal(png.readUInt32BE(png.length - 4), 0xae426082);
  const raw = inflateSync(chunks[1]!.data);
  assert.equal(raw.length, (w * 3 + 1) * h);
  assert.deepEqual([...raw.subarray(1, 1 + w * 3)], [...pixels.subarray(0, w * 3)]);
  assert.throws(() => encodePng(pixels, 4, 2, 3), /18 bytes for 4×2×3 = 24/);
});

test('data URIs from bytes or base64; anything else is refused', () => {
  assert.equal(pngDataUri(Uint8Array.from([1, 2, 3])), 'data:image/png;base64,AQID');
  assert.equal(pngDataUri(' AQID\n'), 'data:image/png;base64,AQID');
  assert.equal(pngDataUri('data:image/jpeg;base64,AQID'), 'data:image/jpeg;base64,AQID');
  assert.equal(pngDataUri('data:text/html;base64,AQID'), undefined);
  assert.equal(pngDataUri('x" onload="alert(1)'), undefined);
});

test('face lists from a decoded batch carry PNG crops of the right images', () => {
  const size = 2;
  const pixels = Uint8Array.from({ length: 3 * size * size * 3 }, (_, i) => Math.floor(i / 12) * 100); // image k filled with k·100
  const lists = faceListsFromImages({ size, pixels, ids: ['a', 'b', 'c'] }, [0.9, 0.1, 0.2, 0.8, 0.6, 0.4], [0, 1, 1], 2, 5);
  assert.deepEqual(lists.confident.map((f) => f.id), ['a', 'b']);
  assert.deepEqual(lists.misclassified.map((f) => f.id), ['c']);
  const idat = (png: Buffer): Buffer => inflateSync(png.subarray(33 + 8, png.length - 12 - 4));
  const c = lists.misclassified[0]!.png as Buffer;
  assert.ok(idat(c).subarray(1, 7).every((v) => v === 200));
});
