// The labels file: round trip, its errors name the line, answering again moves the answer last,
// the 'labels' reader trains on class answers only, and --resume-from loads a run's weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLabelsFile, parseLabelsFile, withAnswer, writeLabelsFile, readLabelsFile } from '../../src/data/labelsFile.js';
import { readDataset } from '../../src/data/readers/index.js';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { saveModelFile } from '../../src/models/modelFile.js';
import { initFromRun } from '../../src/train/initFromRun.js';

test('labels file: round trip, errors with line numbers, answer order', () => {
  const f = { classes: ['no', 'yes'], answers: [{ image: 'faces/a,b.png', label: 'yes' }, { image: 'faces/c.png', label: 'unsure' }] };
  const text = formatLabelsFile(f);
  assert.equal(text, '# semifer labels v1; classes: no,yes\nimage,label\n"faces/a,b.png",yes\nfaces/c.png,unsure\n');
  assert.deepEqual(parseLabelsFile(text, 'x.csv'), f);
  assert.throws(() => parseLabelsFile(text.replace('unsure', 'maybe'), 'x.csv'), /x\.csv:4: label 'maybe' is neither a class \(no, yes\) nor an answer/);
  assert.throws(() => parseLabelsFile(`${text}faces/c.png,no\n`, 'x.csv'), /x\.csv:5: image 'faces\/c\.png' is answered twice \(first on line 4\)/);
  assert.throws(() => parseLabelsFile('image,label\n', 'x.csv'), /x\.csv:1: expected a first line/);
  assert.throws(() => formatLabelsFile({ classes: ['skip', 'yes'], answers: [] }), /'skip' is reserved/);
  assert.deepEqual(withAnswer(f.answers, 'faces/a,b.png', 'no').map((a) => a.label), ['unsure', 'no']);
});

test("labels file: atomic write leaves no temporary file; the 'labels' reader keeps class answers", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-labels-'));
  try {
    mkdirSync(join(dir, 'faces'));
    for (const n of ['a', 'b', 'c']) writeFileSync(join(dir, 'faces', `${n}.png`), 'not decoded by the reader');
    writeLabelsFile(join(dir, 'labels.csv'), { classes: ['no', 'yes'], answers: [{ image: 'faces/a.png', label: 'yes' }, { image: 'faces/b.png', label: 'not-a-face' }, { image: 'faces/c.png', label: 'no' }] });
    assert.deepEqual(readdirSync(dir).sort(), ['faces', 'labels.csv']);
    assert.equal(readLabelsFile(join(dir, 'labels.csv')).answers.length, 3);
    const ds = await readDataset('labels', dir);
    assert.deepEqual(ds.classes, ['no', 'yes']);
    assert.deepEqual(ds.splits.train!.map((s) => [s.id, s.label]), [['faces/a.png', 1], ['faces/c.png', 0]]);
    assert.equal(Object.values(ds.notes ?? {}).reduce((a, b) => a + b, 0), 1, 'the not-a-face answer is counted in the notes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--resume-from: a run\'s weights, head only when it is the same kind, classes must match', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-resume-from-'));
  try {
    torch.manualSeed(1);
    const a = createModel({ arch: 'small', numClasses: 2, head: 'linear' });
    saveModelFile(join(dir, 'model.safetensors'), a, { classes: ['no', 'yes'], size: 32, arch: 'small', method: 'supervised' });
    torch.manualSeed(2);
    const b = createModel({ arch: 'small', numClasses: 2, head: 'linear' });
    const same = (x: torch.Tensor, y: torch.Tensor) => torch.tidy(() => x.sub(y).abs().max().item()) === 0;
    const key = [...a.stateDict().keys()].find((k) => k.startsWith('backbone.') && k.endsWith('weight'))!;
    assert.ok(!same(a.stateDict().get(key)!, b.stateDict().get(key)!));
    assert.deepEqual(initFromRun(b, dir, ['no', 'yes']).head, true);
    for (const [k, v] of a.stateDict()) assert.ok(same(v, b.stateDict().get(k)!), k);
    const c = createModel({ arch: 'small', numClasses: 2, head: 'adacm' });
    assert.equal(initFromRun(c, dir, ['no', 'yes']).head, false);
    assert.ok(same(a.stateDict().get(key)!, c.stateDict().get(key)!));
    assert.throws(() => initFromRun(b, dir, ['yes', 'no']), /its classes \(no, yes\) differ from this dataset's \(yes, no\)/);
    for (const m of [a, b, c]) m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
