import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, pca, symmetricEigen, tsne } from '../../src/eval/tsne.js';

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
  const y = tsne(x, 180, 80, { seed: 7 });
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
  const y = tsne(x, 60, 300, { seed: 1 });
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

test('Jacobi eigen-decomposition: A·v = λ·v, eigenvalues sorted descending', () => {
  const l = 6;
  const rand = mulberry32(9);
  const a = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = i; j < l; j++) a[i * l + j] = a[j * l + i] = rand() - 0.5;
  const { values, vectors } = symmetricEigen(Float64Array.from(a), l);
  for (let k = 0; k < l; k++) {
    if (k) assert.ok(values[k - 1]! >= values[k]!);
    for (let i = 0; i < l; i++) {
      let av = 0;
      for (let j = 0; j < l; j++) av += a[i * l + j]! * vectors[j * l + k]!;
      assert.ok(Math.abs(av - values[k]! * vectors[i * l + k]!) < 1e-9);
    }
  }
});

/** Rows on a 2-D plane inside `d` dimensions (variances 9 and 1 along it), centred. */
function plane(n: number, d: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const basis = [0, 1].map(() => Array.from({ length: d }, normal));
  // Gram–Schmidt the two directions
  const dot = (u: number[], v: number[]): number => u.reduce((s, x, i) => s + x * v[i]!, 0);
  basis[0] = basis[0]!.map((x) => x / Math.sqrt(dot(basis[0]!, basis[0]!)));
  const proj = dot(basis[1]!, basis[0]!);
  basis[1] = basis[1]!.map((x, i) => x - proj * basis[0]![i]!);
  basis[1] = basis[1]!.map((x) => x / Math.sqrt(dot(basis[1]!, basis[1]!)));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c0 = 3 * normal(), c1 = normal();
    for (let t = 0; t < d; t++) x[i * d + t] = c0 * basis[0]![t]! + c1 * basis[1]![t]!;
  }
  for (let t = 0; t < d; t++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + t]! / n;
    for (let i = 0; i < n; i++) x[i * d + t]! -= m;
  }
  return x;
}

test('PCA keeps the pairwise distances of data on a plane (covariance and Gram paths)', () => {
  for (const [n, d] of [[60, 12], [8, 40]] as const) {
    const x = plane(n, d, n);
    const z = pca(x, n, d, 2);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = 0;
        for (let t = 0; t < d; t++) dx += (x[i * d + t]! - x[j * d + t]!) ** 2;
        const dz = (z[2 * i]! - z[2 * j]!) ** 2 + (z[2 * i + 1]! - z[2 * j + 1]!) ** 2;
        assert.ok(Math.abs(Math.sqrt(dx) - Math.sqrt(dz)) < 1e-6, `${n}×${d}: distance ${Math.sqrt(dx)} became ${Math.sqrt(dz)}`);
      }
    }
    // the first component carries the larger variance
    let v0 = 0, v1 = 0;
    for (let i = 0; i < n; i++) { v0 += z[2 * i]! ** 2; v1 += z[2 * i + 1]! ** 2; }
    assert.ok(v0 > v1);
  }
});
