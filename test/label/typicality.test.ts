// The typical criterion (src/label/typicality.ts) on point sets small enough to check by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kMeans, typicality, typicalPicks } from '../../src/label/typicality.js';
import { rank } from '../../src/label/ranking.js';
import { normaliseRows } from '../../src/label/kCenter.js';

const points = (xy: number[][]) => ({ data: Float32Array.from(xy.flat()), dim: xy[0]!.length });
const grid = (cx: number, cy: number) => [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [cx + dx, cy + dy]));

// A: 3 × 3 grid around (0, 0), indices 0–8 (centre 4); B: the same around (10, 0), indices 9–17 (centre 13);
// an outlier at (7, 6), index 18, nearer B than A.
const TWO = points([...grid(0, 0), ...grid(10, 0), [7, 6]]);
const A_CENTRE = 4, B_CENTRE = 13, OUTLIER = 18;
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];

test('k-means: well separated groups, the same answer for the same seed', () => {
  const line = points([[0], [1], [2], [10], [11], [12]]);
  for (const seed of SEEDS) {
    const { assignment } = kMeans(line, 2, seed);
    const [a, b] = [assignment[0]!, assignment[3]!];
    assert.notEqual(a, b, `seed ${seed}`);
    assert.deepEqual([...assignment], [a, a, a, b, b, b], `seed ${seed}`);
    assert.deepEqual(kMeans(TWO, 3, seed).assignment, kMeans(TWO, 3, seed).assignment);
  }
  // More clusters than points: every point alone, none lost.
  assert.deepEqual([...kMeans(line, 10, 0).assignment].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
});

test('typicality: inverse mean distance to the nearest members of the cluster', () => {
  const line = points([[0], [1], [2], [3], [4], [50]]);
  // Within {0..4} each has 4 neighbours: x=2 → (2+1+1+2)/4 = 1.5; x=1 → (1+1+2+3)/4 = 1.75; x=0 → 10/4 = 2.5.
  const t = typicality(line, [0, 1, 2, 3, 4]);
  assert.ok(Math.abs(t[2]! - 1 / 1.5) < 1e-12 && Math.abs(t[1]! - 1 / 1.75) < 1e-12 && Math.abs(t[0]! - 1 / 2.5) < 1e-12, `${[...t]}`);
  assert.ok(Math.abs(t[4]! - t[0]!) < 1e-12);
  // A cluster of one has no neighbours: typicality 0.
  assert.deepEqual([...typicality(line, [5])], [0]);
});

test('typical: the dense centres first, never the outlier', () => {
  for (const seed of SEEDS) {
    // Two clusters for two picks: k-means splits A from B + outlier (SSE 12 + 66.9, against 474 for A + B | outlier).
    // B + outlier has 10 faces, so it goes first; its centre's summed distance to the other nine is
    // 4·1 + 4·√2 + √45 ≈ 16.37, less than any other member's (e.g. (10, 1): 18.13). Then A's centre.
    assert.deepEqual(typicalPicks(TWO, 2, { seed }), [B_CENTRE, A_CENTRE], `seed ${seed}`);
    // Three picks, three clusters: the outlier is alone, and a cluster of one comes after every larger one.
    const three = typicalPicks(TWO, 3, { seed });
    assert.ok(!three.includes(OUTLIER), `seed ${seed}: ${three}`);
    assert.deepEqual(three.slice(0, 2).sort((a, b) => a - b), [A_CENTRE, B_CENTRE], `seed ${seed}: ${three}`);
  }
});

test('typical: a cluster holding a labelled face is skipped; excluded faces are never picked', () => {
  for (const seed of SEEDS) {
    // One pick, one label: two clusters, A holds the label, so the pick is B's centre, and the other way round.
    assert.deepEqual(typicalPicks(TWO, 1, { labelled: [0], seed }), [B_CENTRE], `seed ${seed}`);
    assert.deepEqual(typicalPicks(TWO, 1, { labelled: [9], seed }), [A_CENTRE], `seed ${seed}`);
    // B's centre answered (e.g. "unsure"): it is not picked and does not cover B; the next most typical of B is an
    // edge midpoint, which is nearer the rest than any corner.
    const next = typicalPicks(TWO, 1, { labelled: [0], exclude: new Set([B_CENTRE]), seed })[0]!;
    assert.ok([10, 12, 14, 16].includes(next), `seed ${seed}: ${next}`);
  }
  // Nothing left to pick.
  assert.deepEqual(typicalPicks(points([[0], [1]]), 3, { labelled: [0], exclude: new Set([1]) }), []);
});

test('rank: typical needs no model and works on unit-length features', () => {
  const picks = rank({ features: TWO, seed: 3 }, 'typical', 2).map((s) => s.index);
  assert.deepEqual(picks, typicalPicks(normaliseRows(TWO), 2, { seed: 3 }));
  assert.equal(new Set(picks).size, 2);
});
