import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatInspectReport, inspectDataset } from '../../src/data/inspect.js';
import { GREEN, makeTempDir, RED, writeGarbage, writeSolid, writeText } from './fixtures.js';

const tmp = makeTempDir('inspect');
after(tmp.cleanup);

test('inspect: counts per class and split, image sizes, unreadable images, problems', async () => {
  const root = join(tmp.dir, 'folder');
  await writeSolid(join(root, 'train', 'happy', 'a.png'), RED, 16, 16);
  await writeSolid(join(root, 'train', 'happy', 'b.jpg'), RED, 16, 16);
  await writeSolid(join(root, 'train', 'sad', 'c.png'), GREEN, 20, 12);
  writeGarbage(join(root, 'train', 'sad', 'broken.jpg'));
  await writeSolid(join(root, 'test', 'happy', 'd.png'), RED, 16, 16);
  const report = await inspectDataset('imagefolder', root, { sampleImages: 100 });
  assert.equal(report.fatal, undefined);
  const train = report.splits.find((s) => s.split === 'train')!;
  assert.equal(train.total, 4);
  assert.equal(train.perClass[report.classes.indexOf('happy')], 2);
  assert.equal(train.perClass[report.classes.indexOf('sad')], 2);
  assert.equal(report.images.sampled, 5);
  assert.deepEqual(report.images.sizes, [{ width: 16, height: 16, count: 3 }, { width: 20, height: 12, count: 1 }]);
  assert.deepEqual(report.images.formats, { png: 3, jpeg: 1 });
  assert.equal(report.images.unreadable.length, 1);
  assert.equal(report.images.unreadable[0]!.file, join(root, 'train', 'sad', 'broken.jpg'));
  // 5 empty classes in train → warnings, plus the unreadable sampled image
  assert.equal(report.problems.filter((p) => p.severity === 'warning').length, 5);
  const text = formatInspectReport(report);
  assert.match(text, /^class\s+train\s+test$/m);
  assert.match(text, /^happy\s+2\s+1$/m);
  assert.match(text, /^total\s+4\s+1$/m);
  assert.match(text, /16×16: 3/);
  assert.match(text, /Problems: 6 \(1 skipped, 5 warnings\)/);
  assert.match(text, /broken\.jpg: unreadable image/);
});

test('inspect: pixel datasets, split aliases, and fatal errors reported instead of thrown', async () => {
  const sfew = join(tmp.dir, 'sfew');
  await writeSolid(join(sfew, 'Train', 'Happy', 'a.jpg'), RED);
  await writeSolid(join(sfew, 'Val', 'Happy', 'b.jpg'), RED);
  const s = await inspectDataset('sfew', sfew, { sampleImages: 0 });
  assert.deepEqual(s.aliases, { test: 'val' });
  assert.equal(s.images.sampled, 0);
  assert.match(formatInspectReport(s), /split 'test' is the same list as 'val'/);

  const fer = join(tmp.dir, 'fer');
  writeText(join(fer, 'fer2013.csv'), `emotion,pixels,Usage\n3,${new Array(2304).fill(9).join(' ')},Training\n`);
  const f = await inspectDataset('fer2013', fer);
  assert.deepEqual(f.images.sizes, [{ width: 48, height: 48, count: 1 }]);

  const missing = await inspectDataset('rafdb', join(tmp.dir, 'nothing-here'));
  assert.match(missing.fatal!, /RAF-DB dataset root not found/);
  assert.match(formatInspectReport(missing), /FATAL: .*nothing-here/);
});
