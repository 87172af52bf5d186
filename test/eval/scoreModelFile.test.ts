// scoreModelFile, behind both `semifer eval` and the report: dataset classes
// matched to the model's by name, images of unknown classes left out and
// counted, and the metrics computed on exactly the probabilities returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createModel } from '../../src/models/index.js';
import { saveModelFile } from '../../src/models/modelFile.js';
import { readDataset } from '../../src/data/index.js';
import { argmaxRows } from '../../src/eval/metrics.js';
import { scoreModelFile } from '../../src/eval/scoreModelFile.js';
import { makeTempDir, writeSolid } from '../data/fixtures.js';

test('classes are matched by name; unknown classes are skipped and counted; metrics fit the probabilities', async () => {
  const { dir, cleanup } = makeTempDir('semifer-score-');
  try {
    const root = join(dir, 'faces');
    const counts = { happy: 3, sad: 2, fear: 2 };
    for (const [cls, n] of Object.entries(counts)) {
      for (let i = 0; i < n; i++) await writeSolid(join(root, cls, `${cls}${i}.png`), [40 * i, 200, 90]);
    }
    // The model knows sad and happy, in the other order than the dataset's canonical one.
    const model = createModel({ arch: 'small', numClasses: 2, head: 'linear' });
    const weights = join(dir, 'model.safetensors');
    saveModelFile(weights, model, { classes: ['sad', 'happy'], size: 16, arch: 'small', method: 'supervised' });
    model.dispose();
    const ds = await readDataset('imagefolder', root);
    const s = await scoreModelFile(weights, ds, { split: 'train', cacheDir: join(dir, 'cache') });
    assert.equal(s.images.count, 5);
    assert.equal(s.skippedUnknownClass, 2);
    assert.equal(s.skippedUnreadable, 0);
    assert.equal(s.images.pixels.length, 5 * 16 * 16 * 3);
    s.images.ids.forEach((id, i) => assert.equal(s.images.labels[i], id.includes('happy') ? 1 : 0, id));
    const guess = argmaxRows(s.probs, 2);
    const right = s.images.labels.filter((l, i) => l === guess[i]).length;
    assert.equal(s.result.accuracy, right / 5);
    assert.equal(s.result.numSamples, 5);
    await assert.rejects(scoreModelFile(weights, ds, { split: 'test', cacheDir: join(dir, 'cache') }), /has no 'test' split \(it has: train\)/);
  } finally {
    cleanup();
  }
});
