import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClassBalancedSampler, RandomSampler } from '../../src/data/sampler.js';

test('RandomSampler: every sample once per pass, reshuffled each pass, seeded, infinite', () => {
  const s = new RandomSampler(10, 4, 1);
  const draws: number[] = [];
  for (let b = 0; b < 5; b++) draws.push(...s.next()); // 20 draws = 2 passes
  assert.deepEqual([...draws.slice(0, 10)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...draws.slice(10)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(draws.slice(0, 10), draws.slice(10), 'second pass in a new order');
  assert.equal(s.passes, 1);
  const again = new RandomSampler(10, 4, 1);
  assert.deepEqual(Array.from({ length: 5 }, () => Array.from(again.next())).flat(), draws);
  let batches = 0;
  for (const batch of new RandomSampler(3, 8, 2)) {
    assert.equal(batch.length, 8);
    if (++batches === 4) break;
  }
  assert.throws(() => new RandomSampler(0, 4, 1), /at least one sample/);
  assert.throws(() => new RandomSampler(4, 0, 1), /batch size/);
});

test('ClassBalancedSampler: classes equally likely, uniform within class, unlabelled never drawn', () => {
  const labels = [...new Array<number>(900).fill(0), ...new Array<number>(100).fill(2), ...new Array<number>(50).fill(-1)];
  const s = new ClassBalancedSampler(labels, 100, 3);
  assert.equal(s.classCount, 2);
  const perClass = new Map<number, number>();
  const perSample = new Array<number>(1050).fill(0);
  for (let b = 0; b < 200; b++) {
    for (const i of s.next()) {
      perClass.set(labels[i]!, (perClass.get(labels[i]!) ?? 0) + 1);
      perSample[i]!++;
    }
  }
  assert.equal(perClass.get(-1), undefined);
  assert.ok(Math.abs(perClass.get(0)! - 10000) < 400, `class 0: ${perClass.get(0)}`);
  assert.ok(Math.abs(perClass.get(2)! - 10000) < 400, `class 2: ${perClass.get(2)}`);
  // within the small class every sample is drawn about 100 times
  const small = perSample.slice(900, 1000);
  assert.ok(Math.min(...small) > 55 && Math.max(...small) < 150, `${Math.min(...small)}..${Math.max(...small)}`);
  assert.deepEqual(Array.from(new ClassBalancedSampler(labels, 16, 3).next()), Array.from(new ClassBalancedSampler(labels, 16, 3).next()));
  assert.throws(() => new ClassBalancedSampler([-1, -1], 4, 0), /at least one labelled sample/);
});
