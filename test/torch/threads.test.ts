// Worker threads get their own random generator, so they never disturb the
// main thread's sequence (dropout, init) — the loader's prefetching relies on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import * as torch from '../../src/torch/index.js';

const torchUrl = new URL('../../src/torch/index.js', import.meta.url).href;

function inWorker(code: string): Promise<number[]> {
  const src = `import('${torchUrl}').then((torch) => { const { parentPort } = require('node:worker_threads'); ${code} });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(src, { eval: true });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

test('a worker thread draws from a private generator', async () => {
  torch.manualSeed(7);
  const expected = torch.tidy(() => torch.rand([4]).toArray());
  torch.manualSeed(7);
  const first = torch.tidy(() => torch.rand([2]).toArray());
  // The worker seeds and draws a lot in between…
  const fromWorker = await inWorker(`torch.manualSeed(7); for (let i = 0; i < 50; i++) torch.tidy(() => torch.rand([1000])); torch.manualSeed(7); parentPort.postMessage(torch.tidy(() => torch.rand([4]).toArray()));`);
  // …and the main thread's sequence continues untouched.
  const rest = torch.tidy(() => torch.rand([2]).toArray());
  assert.deepEqual([...first, ...rest], expected);
  // Same seed, same algorithm: the worker's numbers equal the main thread's.
  assert.deepEqual(fromWorker, expected);
  // The worker's generator state round-trips too.
  const again = await inWorker(`torch.manualSeed(3); const s = torch.getRngState(); const a = torch.tidy(() => torch.rand([3]).toArray()); torch.setRngState(s); const b = torch.tidy(() => torch.rand([3]).toArray()); parentPort.postMessage(a.map((v, i) => v - b[i]));`);
  assert.deepEqual(again, [0, 0, 0]);
});
