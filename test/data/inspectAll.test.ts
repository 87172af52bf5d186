// data inspect decodes every image by default, so a corrupt one anywhere in the
// dataset is named with a clear reason (not libvips' 'Unknown error').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDataset, formatInspectReport } from '../../src/data/inspect.js';
import { synthesizeDataset } from '../../src/data/synth/index.js';

function jpegs(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jpegs(p) : /\.(jpe?g|png)$/i.test(n) ? [p] : [];
  }).sort();
}

test('every image is checked by default: three corrupt ones spread through the dataset are all named', { timeout: 120_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'semifer-inspect-all-'));
  await synthesizeDataset({ out: root, n: 300, format: 'imagefolder', size: 32, seed: 2 });
  const files = jpegs(root);
  const [cut500, garbage, cutHalf] = [files[7]!, files[Math.floor(files.length / 2)]!, files[files.length - 3]!];
  truncateSync(cut500, 500);
  writeFileSync(garbage, 'not an image at all');
  truncateSync(cutHalf, Math.floor(statSync(cutHalf).size / 2));

  const report = await inspectDataset('imagefolder', root);
  assert.equal(report.images.all, true);
  assert.equal(report.images.sampled, files.length);
  const named = new Map(report.images.unreadable.map((p) => [p.file, p.message]));
  assert.deepEqual([...named.keys()].sort(), [cut500, garbage, cutHalf].sort());
  for (const message of named.values()) {
    assert.doesNotMatch(message, /Unknown error/);
    assert.match(message, /^unreadable image: the (header cannot be read|\w+ data is truncated or corrupt)/);
  }
  assert.match(named.get(garbage)!, /header cannot be read/);
  assert.match(named.get(cutHalf)!, /truncated or corrupt: .*(premature end|end of stream)/i);
  assert.match(formatInspectReport(report), new RegExp(`all ${files.length} images checked`));

  const sampled = await inspectDataset('imagefolder', root, { sampleImages: 10 });
  assert.equal(sampled.images.all, false);
  assert.equal(sampled.images.sampled, 10);
});
