// TrainLoader: views and labels, class balance, identical batches from the
// worker and the calling thread, exact resume, no leaks, errors, evalBatches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import type { Tensor } from '../../src/torch/index.js';
import { Rng } from '../../src/data/random.js';
import { type Batch, type LoaderOptions, TrainLoader, disposeBatch, evalBatches, sharedPixels } from '../../src/data/loader.js';
import { toFloatImages } from '../../src/data/augment/index.js';

const S = 16;
const FRAME = S * S * 3;

/** n random images, each with a different content. */
function randomImages(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const a = new Uint8Array(n * FRAME);
  for (let i = 0; i < a.length; i++) a[i] = rng.int(256);
  return a;
}

const NL = 40;
const NU = 60;
const labelledImages = randomImages(NL, 1);
const labels = Int32Array.from({ length: NL }, (_, i) => i % 7);
const unlabelledImages = randomImages(NU, 2);
const trueLabels = Int32Array.from({ length: NU }, (_, i) => (i * 3) % 7);

function options(over: Partial<LoaderOptions> = {}): LoaderOptions {
  return {
    labelled: { images: labelledImages, labels, size: S },
    unlabelled: { images: unlabelledImages, size: S, trueLabels },
    batchSize: 4,
    mu: 2,
    labelledViews: ['weak'],
    unlabelledViews: ['weak', 'weak', 'strong'],
    seed: 5,
    ...over,
  };
}

function same(a: Tensor, b: Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.equal(torch.tidy(() => a.sub(b).abs().max().item()), 0, `${what}: values differ`);
}

function sameBatch(a: Batch, b: Batch): void {
  assert.equal(a.step, b.step);
  assert.deepEqual(a.labelled.indices, b.labelled.indices, `step ${a.step}: labelled indices`);
  a.labelled.views.forEach((v, i) => same(v, b.labelled.views[i]!, `step ${a.step} labelled view ${i}`));
  same(a.labelled.labels, b.labelled.labels, 'labels');
  assert.deepEqual(a.unlabelled?.indices, b.unlabelled?.indices, `step ${a.step}: unlabelled indices`);
  a.unlabelled?.views.forEach((v, i) => same(v, b.unlabelled!.views[i]!, `step ${a.step} unlabelled view ${i}`));
}

async function take(loader: TrainLoader, n: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for (let i = 0; i < n; i++) out.push(await loader.next());
  return out;
}

test('views, shapes, dtypes, labels and true labels match the sampled images', async () => {
  for (const prefetch of [0, 2]) {
    const loader = new TrainLoader(options({ prefetch, labelledViews: ['none', 'weak'], unlabelledViews: ['none', 'strong', 'scn'], normalize: false }));
    for (let s = 0; s < 3; s++) {
      const b = await loader.next();
      assert.equal(b.step, s);
      assert.equal(b.labelled.views.length, 2);
      for (const v of b.labelled.views) {
        assert.deepEqual(v.shape, [4, 3, S, S]);
        assert.equal(v.dtype, 'float32');
        assert.equal(v.device, 'cpu');
      }
      assert.equal(b.labelled.labels.dtype, 'int64');
      assert.deepEqual(b.labelled.labels.toArray(), Array.from(b.labelled.indices, (i) => labels[i]));
      assert.equal(b.unlabelled!.views.length, 3);
      for (const v of b.unlabelled!.views) assert.deepEqual(v.shape, [8, 3, S, S]);
      assert.deepEqual(b.unlabelled!.trueLabels!.toArray(), Array.from(b.unlabelled!.indices, (i) => trueLabels[i]));
      // The 'none' views are the sampled images themselves.
      torch.tidy(() => {
        same(b.labelled.views[0]!, toFloatImages(gather(labelledImages, b.labelled.indices), S), 'labelled images');
        same(b.unlabelled!.views[0]!, toFloatImages(gather(unlabelledImages, b.unlabelled!.indices), S), 'unlabelled images');
      });
      disposeBatch(b);
    }
    await loader.close();
  }
});

function gather(images: Uint8Array, idx: Int32Array): Uint8Array {
  const out = new Uint8Array(idx.length * FRAME);
  idx.forEach((p, i) => out.set(images.subarray(p * FRAME, (p + 1) * FRAME), i * FRAME));
  return out;
}

test('normalised views; no unlabelled part when the method uses none; shuffled passes see every image', async () => {
  const loader = new TrainLoader(options({ prefetch: 0, unlabelledViews: [], batchSize: 8 }));
  const seen = new Set<number>();
  for (let s = 0; s < 5; s++) {
    const b = await loader.next();
    assert.equal(b.unlabelled, undefined);
    b.labelled.indices.forEach((i) => seen.add(i));
    // Normalised: values reach below 0 (black is −2.1 in the red channel).
    assert.ok(torch.tidy(() => b.labelled.views[0]!.min().item()) < -1);
    disposeBatch(b);
  }
  assert.equal(seen.size, NL, 'one pass of 40 images in 5 batches of 8');
  await loader.close();
});

test('class-balanced sampling draws every class about equally', async () => {
  // 34 images of class 0, one each of classes 1..6.
  const skewed = Int32Array.from({ length: NL }, (_, i) => (i < 34 ? 0 : i - 33));
  const loader = new TrainLoader(options({ prefetch: 0, classBalanced: true, batchSize: 16, unlabelledViews: [], labelledViews: ['none'], labelled: { images: labelledImages, labels: skewed, size: S } }));
  const counts = new Array<number>(7).fill(0);
  for (let s = 0; s < 60; s++) {
    const b = await loader.next();
    b.labelled.labels.toArray().forEach((l) => counts[l]!++);
    disposeBatch(b);
  }
  for (const c of counts) assert.ok(c > 960 / 7 * 0.75 && c < 960 / 7 * 1.25, `class counts ${counts.join(',')}`);
  await loader.close();
});

test('the worker and the calling thread give identical batches, at any prefetch depth', async () => {
  const opts = options({ labelledViews: ['weak', 'scn'] });
  const sync = new TrainLoader({ ...opts, prefetch: 0 });
  const a = await take(sync, 5);
  for (const prefetch of [1, 3]) {
    const worker = new TrainLoader({ ...opts, prefetch });
    const b = await take(worker, 5);
    a.forEach((x, i) => sameBatch(x, b[i]!));
    b.forEach(disposeBatch);
    await worker.close();
  }
  // Another seed gives other batches.
  const other = new TrainLoader({ ...opts, prefetch: 0, seed: 6 });
  const c = await other.next();
  assert.notDeepEqual(c.labelled.indices, a[0]!.labelled.indices);
  disposeBatch(c);
  a.forEach(disposeBatch);
  await sync.close();
});

test('a loader restored at step k yields the uninterrupted batch k', async () => {
  for (const prefetch of [0, 2]) {
    const opts = options({ prefetch, classBalanced: prefetch === 2 });
    const full = new TrainLoader(opts);
    const all = await take(full, 7);
    await full.close();

    const first = new TrainLoader(opts);
    (await take(first, 4)).forEach(disposeBatch);
    const state = JSON.parse(JSON.stringify(first.state())) as ReturnType<TrainLoader['state']>;
    assert.equal(state.step, 4);
    await first.close();

    const resumed = TrainLoader.restore(opts, state);
    assert.equal(resumed.step, 4);
    const rest = await take(resumed, 3);
    rest.forEach((b, i) => sameBatch(b, all[4 + i]!));
    rest.forEach(disposeBatch);
    all.forEach(disposeBatch);
    await resumed.close();
    assert.throws(() => TrainLoader.restore({ ...opts, batchSize: 8 }, state), /batchSize was 4 when the state was saved, now 8/);
  }
});

test('no tensor leak over 50 batches (calling thread and worker)', async () => {
  for (const prefetch of [0, 2]) {
    const loader = new TrainLoader(options({ prefetch }));
    for (let s = 0; s < 5; s++) disposeBatch(await loader.next());
    const before = torch.memory();
    for (let s = 0; s < 50; s++) disposeBatch(await loader.next());
    const after = torch.memory();
    assert.equal(after.tensors, before.tensors, `prefetch ${prefetch}: live tensors ${before.tensors} → ${after.tensors}`);
    assert.equal(after.bytes, before.bytes);
    await loader.close();
  }
});

test('bad options fail clearly; worker errors reject next() with their message', async () => {
  assert.throws(() => new TrainLoader(options({ batchSize: 0 })), /batchSize must be a positive integer, got 0/);
  assert.throws(() => new TrainLoader(options({ labelledViews: ['blurry' as 'weak'] })), /labelledViews: unknown view 'blurry'/);
  assert.throws(() => new TrainLoader(options({ unlabelled: undefined })), /unlabelledViews \[weak, weak, strong\] asked for, but no unlabelled images/);
  assert.throws(() => new TrainLoader(options({ labelled: { images: labelledImages.subarray(1), labels, size: S } })), /not a positive multiple of 16×16×3/);
  assert.throws(() => new TrainLoader(options({ labelled: { images: labelledImages, labels: labels.subarray(1), size: S } })), /one label per image \(40\)/);
  assert.throws(() => new TrainLoader(options({ mu: 0.3 })), /mu·batchSize must be a positive integer/);
  assert.throws(() => new TrainLoader(options({ prefetch: -1 })), /prefetch must be an integer ≥ 0/);

  // An augmentation option is checked where batches are made: in the worker.
  const loader = new TrainLoader(options({ augment: { scn: { noiseStd: -1 } } }));
  await assert.rejects(loader.next(), (e: Error) => e instanceof Error && /data loader worker: SCN augmentation: noiseStd must be a finite number ≥ 0, got -1/.test(e.message));
  await assert.rejects(loader.next(), /noiseStd/);
  await loader.close();
  // Without a worker the same option throws at once.
  assert.throws(() => new TrainLoader(options({ prefetch: 0, augment: { scn: { noiseStd: -1 } } })), /noiseStd/);

  // close() rejects waiting calls and later ones.
  const closing = new TrainLoader(options());
  const pending = closing.next();
  const closed = closing.close();
  await assert.rejects(pending, /TrainLoader closed/);
  await closed;
  await assert.rejects(closing.next(), /next\(\) after close\(\)/);
});

test('evalBatches: every image once, in order, the last batch smaller', () => {
  const seen: number[] = [];
  for (const { x, start } of evalBatches(labelledImages, S, 16, { normalize: false })) {
    seen.push(start);
    const n = Math.min(16, NL - start);
    assert.deepEqual(x.shape, [n, 3, S, S]);
    torch.tidy(() => same(x, toFloatImages(labelledImages.subarray(start * FRAME, (start + n) * FRAME), S), `batch at ${start}`));
    x.dispose();
  }
  assert.deepEqual(seen, [0, 16, 32]);
  const [first] = [...evalBatches(labelledImages, S, 64)];
  assert.ok(first!.x.min().item() < -1, 'normalised by default');
  first!.x.dispose();
  assert.throws(() => evalBatches(labelledImages.subarray(3), S, 4), /not whole 16×16×3 images/);
});

test('sharedPixels copies once into a SharedArrayBuffer', () => {
  const s = sharedPixels(labelledImages);
  assert.ok(s.buffer instanceof SharedArrayBuffer);
  assert.equal(sharedPixels(labelledImages), s);
  assert.equal(sharedPixels(s), s);
  assert.deepEqual(Buffer.from(s), Buffer.from(labelledImages));
});
