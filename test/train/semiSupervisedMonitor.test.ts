import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SemiSupervisedMonitor, TEACHER_GAP_POINTS } from '../../src/train/semiSupervisedMonitor.js';

test('the pseudo-label rate is the mean over the epoch, and zero for a whole epoch warns', () => {
  const m = new SemiSupervisedMonitor('fixmatch', 0);
  for (const r of [0, 0.25, 0.5]) m.observeStep({ maskRate: r });
  const h = m.endEpoch(1, 3, 0.5);
  assert.equal(h.pseudoLabelRate, 0.25);
  assert.deepEqual(h.warnings, []);
  m.observeStep({ maskRate: 0 });
  m.observeStep({ maskRate: 0 });
  const off = m.endEpoch(2, 5, 0.5);
  assert.equal(off.pseudoLabelRate, 0, 'the epoch before does not count');
  assert.match(off.warnings[0]!, /epoch 2: fixmatch accepted no pseudo-label/);
});

test('a method without a pseudo-label rate gets no rate and no rate warning', () => {
  const m = new SemiSupervisedMonitor('meanteacher', 0);
  m.observeStep({ consistencyWeight: 3 });
  const h = m.endEpoch(1, 1, 0.6, 0.6);
  assert.equal(h.pseudoLabelRate, undefined);
  assert.deepEqual(h.warnings, []);
});

test("a consistency weight of 0 for a whole epoch after the first warns (Mean Teacher's teacher at chance)", () => {
  const m = new SemiSupervisedMonitor('meanteacher', 0);
  m.observeStep({ consistencyWeight: 0 });
  assert.deepEqual(m.endEpoch(1, 1).warnings, [], 'the first epoch is off by design');
  m.observeStep({ consistencyWeight: 0 });
  m.observeStep({ consistencyWeight: 0 });
  assert.match(m.endEpoch(2, 3).warnings[0]!, /epoch 2: meanteacher's consistency weight was 0 for the whole epoch/);
  m.observeStep({ consistencyWeight: 0 });
  m.observeStep({ consistencyWeight: 0.5 });
  assert.deepEqual(m.endEpoch(3, 5).warnings, [], 'one step with a weight is enough');
  assert.deepEqual(m.endEpoch(4, 5).warnings, [], 'a method that reports no weight');
});

test('a teacher trailing its student warns only once it has had time to follow', () => {
  const m = new SemiSupervisedMonitor('adacm', 100);
  const early = m.endEpoch(1, 50, 0.6, 0.4);
  assert.ok(Math.abs(early.teacherGap! + 20) < 1e-9);
  assert.deepEqual(early.warnings, [], 'before two time constants a gap is expected');
  const small = m.endEpoch(2, 100, 0.6, 0.6 - (TEACHER_GAP_POINTS - 0.5) / 100);
  assert.deepEqual(small.warnings, []);
  const late = m.endEpoch(3, 150, 0.6, 0.5);
  assert.match(late.warnings[0]!, /teacher \(50\.0 %\) trails its student \(60\.0 %\) by 10\.0 points/);
  assert.deepEqual(m.endEpoch(4, 200, 0.5, 0.7).warnings, [], 'a teacher ahead is fine');
});

test('a teacher gap smaller than two standard errors of the validation accuracy does not warn', () => {
  const m = new SemiSupervisedMonitor('dta-snl', 0);
  // 70 validation images at 28.6 %: two standard errors are 200·√(0.286·0.714/70) ≈ 10.8 points.
  assert.deepEqual(m.endEpoch(1, 100, 0.286, 0.243, 70).warnings, []);
  assert.equal(m.endEpoch(2, 200, 0.286, 0.15, 70).warnings.length, 1, 'a 13.6-point gap does warn');
  assert.equal(m.endEpoch(3, 300, 0.286, 0.243, 7000).warnings.length, 1, 'with 7,000 images 4.3 points is real');
});
