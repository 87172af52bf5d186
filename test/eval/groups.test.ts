import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluateByGroup, formatGroupTables } from '../../src/eval/groups.js';
import { readDataset } from '../../src/data/readers/index.js';
import { inspectLoadedDataset, formatInspectReport } from '../../src/data/inspect.js';
import { DataError } from '../../src/data/types.js';
import { renderReportHtml } from '../../src/report/renderReport.js';
import { fullReportData } from '../report/kitchenSink.js';
import { makeTempDir, writeSolid, writeText } from '../data/fixtures.js';

test('per-group accuracy, mean class accuracy, confusion and gap match a hand computation', () => {
  // 3 classes, 8 faces. Gender: f = rows 0..3, m = rows 4..6, row 7 unknown.
  const labels = [0, 0, 1, 2, 0, 1, 1, 2];
  const preds = [0, 1, 1, 2, 0, 0, 1, 2];
  const attrs: Record<string, string>[] = [{ gender: 'f' }, { gender: 'f' }, { gender: 'f' }, { gender: 'f' }, { gender: 'm' }, { gender: 'm' }, { gender: 'm' }, {}];
  const [g] = evaluateByGroup(preds, labels, 3, attrs, ['gender']);
  assert.equal(g!.unknown, 1);
  assert.deepEqual(g!.groups.map((x) => x.group), ['f', 'm']);
  const [f, m] = g!.groups;
  // f: right on rows 0, 2, 3 → 3/4; recall class0 1/2, class1 1/1, class2 1/1 → mean 5/6.
  assert.equal(f!.numSamples, 4);
  assert.equal(f!.accuracy, 0.75);
  assert.ok(Math.abs(f!.meanClassAccuracy - 5 / 6) < 1e-12);
  assert.deepEqual(f!.confusion, [[1, 1, 0], [0, 1, 0], [0, 0, 1]]);
  // m: right on rows 4, 6 → 2/3; recall class0 1/1, class1 1/2 (class 2 absent) → mean 3/4.
  assert.ok(Math.abs(m!.accuracy - 2 / 3) < 1e-12);
  assert.equal(m!.meanClassAccuracy, 0.75);
  assert.deepEqual(m!.confusion, [[1, 0, 0], [1, 1, 0], [0, 0, 0]]);
  assert.ok(Math.abs(g!.accuracyGap!.value - (0.75 - 2 / 3)) < 1e-12);
  assert.equal(g!.accuracyGap!.best, 'f');
  assert.equal(g!.accuracyGap!.worst, 'm');
  assert.ok(Math.abs(g!.meanClassAccuracyGap!.value - (5 / 6 - 0.75)) < 1e-12);
  assert.equal(g!.meanClassAccuracyGap!.best, 'f');
  const text = formatGroupTables([g!]);
  assert.match(text, /by gender \(1 faces with no value left out\)/);
  assert.match(text, /gap \(best − worst\): accuracy 8\.33 points \(f − m\)/);
});

test('numeric groups sort as numbers; one group has no gap', () => {
  const [a, b] = evaluateByGroup([0, 0, 0], [0, 0, 0], 1, [{ age: '10', one: 'x' }, { age: '2', one: 'x' }, { age: '2', one: 'x' }], ['age', 'one']);
  assert.deepEqual(a!.groups.map((g) => g.group), ['2', '10']);
  assert.equal(b!.accuracyGap, null);
});

test('an image folder with attributes.csv: samples carry the columns, inspect counts them, bad files name the line', async () => {
  const { dir, cleanup } = makeTempDir('attrs');
  try {
    await writeSolid(join(dir, 'train', 'happy', 'a.png'), [200, 0, 0]);
    await writeSolid(join(dir, 'train', 'sad', 'b.png'), [0, 200, 0]);
    await writeSolid(join(dir, 'test', 'happy', 'c.png'), [0, 0, 200]);
    writeText(join(dir, 'attributes.csv'), 'id,skin,glasses\ntrain/happy/a.png,dark,yes\ntrain/sad/b.png,light,\ntest/happy/c.png,dark,no\nnot/here.png,light,no\n');
    const ds = await readDataset('imagefolder', dir, { classes: ['happy', 'sad'] });
    assert.deepEqual(ds.attributeNames, ['skin', 'glasses']);
    assert.deepEqual(ds.splits.train!.map((s) => s.attributes), [{ skin: 'dark', glasses: 'yes' }, { skin: 'light' }]);
    assert.equal(ds.notes?.['attributes.csv: rows for faces the dataset does not list, ignored'], 1);
    const report = await inspectLoadedDataset(ds, { sampleImages: 0 });
    const skin = report.attributes.find((a) => a.attribute === 'skin')!;
    assert.deepEqual(skin.groups, ['dark', 'light']);
    assert.deepEqual(skin.perSplit.train, { perGroup: [1, 1], unknown: 0 });
    assert.deepEqual(skin.perSplit.test, { perGroup: [1, 0], unknown: 0 });
    assert.deepEqual(report.attributes[1]!.perSplit.train, { perGroup: [0, 1], unknown: 1 });
    const text = formatInspectReport(report);
    assert.match(text, /skin\s+train\s+test\ndark\s+1\s+1\nlight\s+1\s+0/);
    assert.match(text, /\(unknown\)\s+1\s+0/);

    writeText(join(dir, 'attributes.csv'), 'id,skin\ntrain/happy/a.png,dark,extra\n');
    await assert.rejects(readDataset('imagefolder', dir, { classes: ['happy', 'sad'] }), (e: unknown) => e instanceof DataError && /attributes\.csv:2: expected 2 comma-separated columns/.test(e.message));
    writeText(join(dir, 'attributes.csv'), 'image,skin\n');
    await assert.rejects(readDataset('imagefolder', dir, { classes: ['happy', 'sad'] }), (e: unknown) => e instanceof DataError && /attributes\.csv:1: wrong CSV header: expected columns id/.test(e.message));
  } finally {
    cleanup();
  }
});

test('the report shows a per-group section only when the test faces have attributes', () => {
  const data = fullReportData();
  assert.doesNotMatch(renderReportHtml(data), /id="groups"/);
  const labels = Array.from({ length: 20 }, (_, i) => i % 7);
  const preds = labels.map((l, i) => (i < 10 ? l : (l + 1) % 7));
  data.groups = evaluateByGroup(preds, labels, 7, labels.map((_, i) => ({ glasses: i < 10 ? 'none' : 'sunglasses' })), ['glasses']);
  const html = renderReportHtml(data);
  assert.match(html, /<section id="groups">/);
  assert.match(html, /data-table="group-glasses"/);
  assert.match(html, /<th scope="row">sunglasses<\/th><td>10<\/td><td class="worst">0\.0%<\/td>/);
  assert.match(html, /<th scope="row">gap \(best − worst\)<\/th><td><\/td><td>100\.0 points<\/td>/);
  assert.match(html, /data-chart="group-confusion-glasses-none"/);
});
