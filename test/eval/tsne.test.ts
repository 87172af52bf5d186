import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, tsne } from '../../src/eval/tsne.js';

/** k Gaussian clusters in d dimensions: centres ~N(0, spread²), points ~N(centre, 1). */
function clusters(k: number, perCluster: number, d: number, spread: number, seed: number): { x: Float32Array; labels: number[] } {
  const rand = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => spread * normal()));
  const x = new Float32Array(k * perCluster * d);
  const labels: number[] = [];
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < perCluster; i++) {
      const row = c * perCluster + i;
      for (let t = 0; t < d; t++) x[row * d + t] = centres[c]![t]! + normal();
      labels.push(c);
    }
  }
  return { x, labels };
}

/** Leave-one-out k-nearest-neighbour accuracy in the 2-D embedding. */
function knnAccuracy(y: Float32Array, labels: number[], k = 5): number {
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const nearest = labels
      .map((_, j) => ({ j, d: (y[2 * i]! - y[2 * j]!) ** 2 + (y[2 * i + 1]! - y[2 * j + 1]!) ** 2 }))
      .filter((e) => e.j !== i)
      .sort((a, b) => a.d - b.d)
      .slice(0, k);
    const votes = new Map<number, number>();
    for (const e of nearest) votes.set(labels[e.j]!, (votes.get(labels[e.j]!) ?? 0) + 1);
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

test('three well-separated clusters stay separated in 2-D (PCA path, d > 50)', () => {
  const { x, labels } = clusters(3, 60, 80, 4, 1);
  const y = tsne(x, 180, 80, { seed: 7, iterations: 500 });
  assert.equal(y.length, 360);
  assert.ok(y.every(Number.isFinite));
  const acc = knnAccuracy(y, labels);
  assert.ok(acc > 0.95, `kNN accuracy ${acc}`);
  // Separation, not just neighbourhoods: each cluster's centroid is far from the others relative to its spread.
  const stats = [0, 1, 2].map((c) => {
    const idx = labels.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
    const cx = idx.reduce((s, i) => s + y[2 * i]!, 0) / idx.length;
    const cy = idx.reduce((s, i) => s + y[2 * i + 1]!, 0) / idx.length;
    const r = Math.sqrt(idx.reduce((s, i) => s + (y[2 * i]! - cx) ** 2 + (y[2 * i + 1]! - cy) ** 2, 0) / idx.length);
    return { cx, cy, r };
  });
  for (let a = 0; a < 3; a++) {
    for (let b = a + 1; b < 3; b++) {
      const dist = Math.hypot(stats[a]!.cx - stats[b]!.cx, stats[a]!.cy - stats[b]!.cy);
      assert.ok(dist > 2 * (stats[a]!.r + stats[b]!.r), `clusters ${a} and ${b} overlap: centroid distance ${dist}, radii ${stats[a]!.r}, ${stats[b]!.r}`);
    }
  }
});

test('wide input (n < d) goes through the Gram-matrix PCA and still separates', () => {
  const { x, labels } = clusters(3, 20, 300, 3, 2);
  const y = tsne(x, 60, 300, { seed: 1, iterations: 400 });
  assert.ok(knnAccuracy(y, labels) > 0.95);
});

test('deterministic for a seed, different for another seed', () => {
  const { x } = clusters(3, 15, 20, 4, 3);
  const opts = { iterations: 200 };
  const a = tsne(x, 45, 20, { ...opts, seed: 11 });
  const b = tsne(x, 45, 20, { ...opts, seed: 11 });
  const c = tsne(x, 45, 20, { ...opts, seed: 12 });
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.notDeepEqual(Array.from(a), Array.from(c));
});

test('small and degenerate inputs', () => {
  assert.deepEqual(Array.from(tsne(new Float32Array(0), 0, 3)), []);
  assert.deepEqual(Array.from(tsne(Float32Array.from([1, 2, 3]), 1, 3)), [0, 0]);
  // identical points: no NaN
  const same = tsne(new Float32Array(10 * 4).fill(1), 10, 4, { iterations: 100 });
  assert.ok(same.every(Number.isFinite));
  assert.throws(() => tsne(new Float32Array(5), 2, 3), /expected 2×3 = 6/);
  assert.throws(() => tsne(Float32Array.from([0, NaN, 0, 0]), 2, 2), /value 1 \(row 0\) is not finite/);
});

test('progress is reported', () => {
  const { x } = clusters(2, 10, 5, 4, 4);
  const seen: number[] = [];
  tsne(x, 20, 5, { iterations: 120, onProgress: (i) => seen.push(i) });
  assert.deepEqual(seen, [50, 100, 120]);
});
