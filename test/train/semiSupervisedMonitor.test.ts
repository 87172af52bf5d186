import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLLAPSE_RATE, COLLAPSE_SHARE, SemiSupervisedMonitor, TEACHER_GAP_POINTS } from '../../src/train/semiSupervisedMonitor.js';
import { evaluatePredictions, mostPredicted } from '../../src/eval/metrics.js';
import { short } from '../../src/train/validation.js';

test('the pseudo-label rate is the mean over the epoch, and zero for a whole epoch warns', () => {
  const m = new SemiSupervisedMonitor('fixmatch', 0);
  for (const r of [0, 0.25, 0.5]) m.observeStep({ maskRate: r });
  const h = m.endEpoch(1, 3, { student: { accuracy: 0.5 } });
  assert.equal(h.pseudoLabelRate, 0.25);
  assert.deepEqual(h.warnings, []);
  m.observeStep({ maskRate: 0 });
  m.observeStep({ maskRate: 0 });
  const off = m.endEpoch(2, 5, { student: { accuracy: 0.5 } });
  assert.equal(off.pseudoLabelRate, 0, 'the epoch before does not count');
  assert.match(off.warnings[0]!, /epoch 2: fixmatch accepted no pseudo-label/);
});

test('a method without a pseudo-label rate gets no rate and no rate warning', () => {
  const m = new SemiSupervisedMonitor('meanteacher', 0);
  m.observeStep({ consistencyWeight: 3 });
  const h = m.endEpoch(1, 1, { student: { accuracy: 0.6 }, teacher: { accuracy: 0.6 } });
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
  const early = m.endEpoch(1, 50, { student: { accuracy: 0.6 }, teacher: { accuracy: 0.4 } });
  assert.ok(Math.abs(early.teacherGap! + 20) < 1e-9);
  assert.deepEqual(early.warnings, [], 'before two time constants a gap is expected');
  const small = m.endEpoch(2, 100, { student: { accuracy: 0.6 }, teacher: { accuracy: 0.6 - (TEACHER_GAP_POINTS - 0.5) / 100 } });
  assert.deepEqual(small.warnings, []);
  const late = m.endEpoch(3, 150, { student: { accuracy: 0.6 }, teacher: { accuracy: 0.5 } });
  assert.match(late.warnings[0]!, /teacher \(50\.0 %\) trails its student \(60\.0 %\) by 10\.0 points/);
  assert.deepEqual(m.endEpoch(4, 200, { student: { accuracy: 0.5 }, teacher: { accuracy: 0.7 } }).warnings, [], 'a teacher ahead is fine');
});

test('a teacher gap smaller than two standard errors of the validation accuracy does not warn', () => {
  const m = new SemiSupervisedMonitor('dta-snl', 0);
  // 70 validation images at 28.6 %: two standard errors are 200·√(0.286·0.714/70) ≈ 10.8 points.
  assert.deepEqual(m.endEpoch(1, 100, { student: { accuracy: 0.286 }, teacher: { accuracy: 0.243 }, validationSize: 70 }).warnings, []);
  assert.equal(m.endEpoch(2, 200, { student: { accuracy: 0.286 }, teacher: { accuracy: 0.15 }, validationSize: 70 }).warnings.length, 1, 'a 13.6-point gap does warn');
  assert.equal(m.endEpoch(3, 300, { student: { accuracy: 0.286 }, teacher: { accuracy: 0.243 }, validationSize: 7000 }).warnings.length, 1, 'with 7,000 images 4.3 points is real');
});

test('most unlabelled images pseudo-labelled while the teacher answers one class warns of a collapse', () => {
  // 7 classes, 70 validation images (10 per class): the teacher puts all of class 2 and 8 of
  // every other class in class 2, 58 of 70 (83 %), and gets 2 of each other class right.
  const oneClass = [2, 2, 58, 2, 2, 2, 2];
  assert.deepEqual(mostPredicted(oneClass), { class: 2, share: 58 / 70 });
  // The same teacher's predictions through the epoch's scores (validation.ts's short).
  const labels = Array.from({ length: 70 }, (_, i) => Math.floor(i / 10));
  const preds = labels.map((t, i) => (t === 2 || i % 10 >= 2 ? 2 : t));
  assert.deepEqual(short(evaluatePredictions(preds, labels, 7)).mostPredicted, { class: 2, share: 58 / 70 });
  // 4 of each class right and 6 put in the next class: 10 predicted as each.
  const spread = [10, 10, 10, 10, 10, 10, 10];
  assert.ok(Math.abs(mostPredicted(spread).share - 1 / 7) < 1e-12);
  assert.ok(58 / 70 >= COLLAPSE_SHARE && 0.6 >= COLLAPSE_RATE);

  const names = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger'];
  const m = new SemiSupervisedMonitor('dta-snl', 0, names);
  const teacher = { accuracy: 22 / 70, mostPredicted: mostPredicted(oneClass) };
  m.observeStep({ maskRate: 0.96 });
  const w = m.endEpoch(1, 100, { student: { accuracy: 0.2 }, teacher, validationSize: 70 }).warnings;
  assert.equal(w.length, 1);
  assert.match(w[0]!, /epoch 1: dta-snl gave 96 % of the unlabelled images a pseudo-label while its teacher puts 83 % of the validation images in one class \(sad\)/);
  // Few pseudo-labels, or predictions spread over the classes: no warning.
  m.observeStep({ maskRate: 0.3 });
  assert.deepEqual(m.endEpoch(2, 200, { teacher, validationSize: 70 }).warnings, []);
  m.observeStep({ maskRate: 0.9 });
  assert.deepEqual(m.endEpoch(3, 300, { teacher: { accuracy: 0.4, mostPredicted: mostPredicted(spread) }, validationSize: 70 }).warnings, []);
  // Scored on the test split (no validation split, --eval-test-every-epoch): the message says so.
  m.observeStep({ maskRate: 0.9 });
  assert.match(m.endEpoch(4, 400, { teacher, split: 'test' }).warnings[0]!, /puts 83 % of the test images in one class \(sad\)/);
  // Without a teacher the student makes the pseudo-labels (FixMatch).
  const f = new SemiSupervisedMonitor('fixmatch', 0);
  f.observeStep({ maskRate: 0.7 });
  assert.match(f.endEpoch(1, 100, { student: teacher }).warnings[0]!, /its model puts 83 % .* \(class 2\)/);
});
