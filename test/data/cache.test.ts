import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFingerprint, loadOrBuildCache, stableJson } from '../../src/data/imageCache.js';
import { readImagefolder } from '../../src/data/readers/imagefolder.js';
import { readFer2013 } from '../../src/data/readers/fer2013.js';
import { readFerplus } from '../../src/data/readers/ferplus.js';
import { BLUE, GREEN, makeTempDir, meanRgb, near, RED, writeGarbage, writeSolid, writeText } from './fixtures.js';

const tmp = makeTempDir('cache');
after(tmp.cleanup);

async function makeFolder(root: string): Promise<void> {
  await writeSolid(join(root, 'happy', 'a.png'), RED);
  await writeSolid(join(root, 'sad', 'b.png'), GREEN);
  writeGarbage(join(root, 'sad', 'broken.jpg'));
}

test('cache: built once, reused, identical pixels and metadata', async () => {
  const root = join(tmp.dir, 'reuse');
  const cacheDir = join(tmp.dir, 'reuse-cache');
  await makeFolder(root);
  const d = await readImagefolder(root);
  const first = await loadOrBuildCache(d, 'train', 8, cacheDir);
  assert.equal(first.fromCache, false);
  assert.equal(first.reason, 'no cache yet');
  assert.equal(first.count, 2);
  assert.equal(first.skipped.length, 1);
  const second = await loadOrBuildCache(await readImagefolder(root), 'train', 8, cacheDir);
  assert.equal(second.fromCache, true);
  assert.equal(second.reason, 'hit');
  assert.deepEqual(second.ids, first.ids);
  assert.deepEqual(second.labels, first.labels);
  assert.deepEqual(second.skipped, first.skipped);
  assert.deepEqual(Buffer.from(second.pixels), Buffer.from(first.pixels));
  assert.ok(near(meanRgb(second.pixels, 8, 0), RED, 0));
  assert.equal(statSync(second.dataFile).size, 2 * 8 * 8 * 3);
  const index = JSON.parse(readFileSync(second.indexFile, 'utf8')) as { ids: string[]; fingerprint: string };
  assert.deepEqual(index.ids, ['happy/a.png', 'sad/b.png']);
  // Another size or other decode options are another cache entry, not a rebuild of this one.
  const other = await loadOrBuildCache(d, 'train', 4, cacheDir, { fit: 'cover' });
  assert.equal(other.fromCache, false);
  assert.equal((await loadOrBuildCache(d, 'train', 8, cacheDir)).fromCache, true);
  await assert.rejects(loadOrBuildCache(d, 'test', 8, cacheDir), /no split 'test'; available: train/);
});

test('cache: rebuilt when an image changes, is added, or reader options change', async () => {
  const root = join(tmp.dir, 'change');
  const cacheDir = join(tmp.dir, 'change-cache');
  await makeFolder(root);
  await loadOrBuildCache(await readImagefolder(root), 'train', 8, cacheDir);

  await writeSolid(join(root, 'happy', 'a.png'), BLUE, 16, 16); // same size on disk is possible: bump mtime too
  const later = new Date(Date.now() + 5000);
  utimesSync(join(root, 'happy', 'a.png'), later, later);
  const changed = await loadOrBuildCache(await readImagefolder(root), 'train', 8, cacheDir);
  assert.equal(changed.fromCache, false);
  assert.equal(changed.reason, 'sources or options changed');
  assert.ok(near(meanRgb(changed.pixels, 8, 0), BLUE, 0));
  // The old data file was removed: one .bin per key.
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.bin')).length, 1);

  await writeSolid(join(root, 'happy', 'c.png'), GREEN);
  const added = await loadOrBuildCache(await readImagefolder(root), 'train', 8, cacheDir);
  assert.equal(added.fromCache, false);
  assert.equal(added.count, 3);

  const relabelled = await readImagefolder(root, { classes: ['neutral', 'happy', 'sad'] });
  const withOpts = await loadOrBuildCache(relabelled, 'train', 8, cacheDir, { readerOptions: { classes: ['neutral', 'happy', 'sad'] } });
  assert.equal(withOpts.fromCache, false);
  assert.deepEqual(Array.from(withOpts.labels), [1, 1, 2]);
});

test('cache: a truncated or missing data file and a corrupt index are never used', async () => {
  const root = join(tmp.dir, 'trunc');
  const cacheDir = join(tmp.dir, 'trunc-cache');
  await makeFolder(root);
  const d = await readImagefolder(root);
  const built = await loadOrBuildCache(d, 'train', 8, cacheDir);
  truncateSync(built.dataFile, 100);
  const again = await loadOrBuildCache(d, 'train', 8, cacheDir);
  assert.equal(again.fromCache, false);
  assert.match(again.reason, /wrong length/);
  assert.equal(statSync(again.dataFile).size, 2 * 8 * 8 * 3);
  assert.equal((await loadOrBuildCache(d, 'train', 8, cacheDir)).fromCache, true);
  writeFileSync(again.indexFile, '{"version": 1, "finger');
  const fromBadIndex = await loadOrBuildCache(d, 'train', 8, cacheDir);
  assert.equal(fromBadIndex.fromCache, false);
  assert.equal(fromBadIndex.reason, 'cache index unreadable');
  // no temp files are left behind
  assert.deepEqual(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')), []);
});

test('cache: CSV pixel datasets are fingerprinted by the CSV file', async () => {
  const root = join(tmp.dir, 'fer');
  const cacheDir = join(tmp.dir, 'fer-cache');
  const row = (v: number): string => new Array(2304).fill(v).join(' ');
  writeText(join(root, 'fer2013.csv'), `emotion,pixels,Usage\n3,${row(40)},Training\n0,${row(200)},Training\n`);
  const first = await loadOrBuildCache(await readFer2013(root), 'train', 12, cacheDir);
  assert.equal(first.fromCache, false);
  assert.deepEqual(Array.from(first.pixels.subarray(0, 3)), [40, 40, 40]);
  assert.equal((await loadOrBuildCache(await readFer2013(root), 'train', 12, cacheDir)).fromCache, true);
  writeText(join(root, 'fer2013.csv'), `emotion,pixels,Usage\n3,${row(41)},Training\n0,${row(200)},Training\n`);
  const later = new Date(Date.now() + 5000);
  utimesSync(join(root, 'fer2013.csv'), later, later);
  const rebuilt = await loadOrBuildCache(await readFer2013(root), 'train', 12, cacheDir);
  assert.equal(rebuilt.fromCache, false);
  assert.deepEqual(Array.from(rebuilt.pixels.subarray(0, 3)), [41, 41, 41]);
});

test('cache: FERPlus soft labels survive the round trip', async () => {
  const root = join(tmp.dir, 'ferplus');
  const cacheDir = join(tmp.dir, 'ferplus-cache');
  const row = (v: number): string => new Array(2304).fill(v).join(' ');
  writeText(join(root, 'fer2013.csv'), `emotion,pixels,Usage\n3,${row(1)},Training\n0,${row(2)},Training\n`);
  writeText(join(root, 'fer2013new.csv'), 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n'
    + 'Training,fer0000000.png,1,9,0,0,0,0,0,0,0,0\nTraining,fer0000001.png,0,0,0,0,3,0,0,7,0,0\n');
  const opts = { labelMode: 'soft' as const };
  const built = await loadOrBuildCache(await readFerplus(root, opts), 'train', 4, cacheDir, { readerOptions: opts });
  const loaded = await loadOrBuildCache(await readFerplus(root, opts), 'train', 4, cacheDir, { readerOptions: opts });
  assert.equal(loaded.fromCache, true);
  assert.deepEqual(Array.from(loaded.labels), [1, 7]);
  assert.equal(loaded.soft!.length, 16);
  assert.deepEqual(loaded.soft, built.soft);
  assert.deepEqual(Array.from(loaded.soft!.subarray(8)), [0, 0, 0, 0, 0, 0, 0.3, 0.7].map(Math.fround));
});

test('cache: no reader options and empty ones are the same cache (eval --run reuses what train decoded)', async () => {
  const root = join(tmp.dir, 'empty-options');
  const cacheDir = join(tmp.dir, 'empty-options-cache');
  await makeFolder(root);
  const d = await readImagefolder(root);
  assert.equal(cacheFingerprint(d, 'train', 8, { readerOptions: {} }), cacheFingerprint(d, 'train', 8, {}));
  assert.notEqual(cacheFingerprint(d, 'train', 8, { readerOptions: { x: 1 } }), cacheFingerprint(d, 'train', 8, {}));
  assert.equal((await loadOrBuildCache(d, 'train', 8, cacheDir)).fromCache, false);
  const again = await loadOrBuildCache(await readImagefolder(root), 'train', 8, cacheDir, { readerOptions: {} });
  assert.equal(again.fromCache, true, again.reason);
});

test('stableJson sorts keys and ignores undefined', () => {
  assert.equal(stableJson({ b: 1, a: [1, { d: undefined, c: 'x' }] }), '{"a":[1,{"c":"x"}],"b":1}');
});
