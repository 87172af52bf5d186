import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSkipped, parseMetricsJsonl, readMetricsJsonl } from '../../src/report/metricsJsonl.js';
import { globalSteps, trainingSeries } from '../../src/report/metricsSeries.js';
import type { StepRow } from '../../src/report/types.js';

const GOOD_STEP = '{"kind":"step","epoch":1,"step":37,"lr":0.0005,"loss":{"total":1.2,"Lx":0.9,"Lu":0.2,"Ls":0.1},"thresholds":[0.8,0.8],"subsetI":10,"subsetII":6,"pseudoLabelAccuracy":0.7,"maskRate":0.6,"imgPerSec":55}';
const GOOD_EPOCH = '{"kind":"epoch","epoch":1,"student":{"accuracy":0.5,"meanClassAccuracy":0.4},"teacher":{"accuracy":0.55},"thresholds":[0.8,0.81],"relabelled":12,"relabelledByClass":[5,7]}';

test('good rows parse; bad lines are skipped and reported with 1-based line numbers', () => {
  const text = [
    GOOD_STEP,
    '',
    '{"kind":"step","epoch":1,"step":',                       // 3: truncated (killed mid-write)
    '[1,2,3]',                                                // 4: not an object
    '{"kind":"eval","epoch":1}',                              // 5: unknown kind
    '{"epoch":1}',                                            // 6: no kind
    '{"kind":"step","epoch":1,"loss":{"total":1}}',           // 7: no step
    '{"kind":"epoch","epoch":2,"student":{}}',                // 8: no student accuracy
    GOOD_EPOCH,                                               // 9
    '   ',
  ].join('\r\n');
  const { rows, skipped } = parseMetricsJsonl('\uFEFF' + text);
  assert.equal(rows.length, 2);
  assert.deepEqual(skipped.map((s) => s.line), [3, 4, 5, 6, 7, 8]);
  assert.match(skipped[0]!.reason, /not valid JSON/);
  assert.match(skipped[2]!.reason, /unknown kind "eval"/);
  assert.match(skipped[3]!.reason, /no "kind"/);
  assert.match(skipped[4]!.reason, /numeric "step"/);
  assert.match(skipped[5]!.reason, /student\.accuracy/);
  const step = rows[0] as StepRow;
  assert.deepEqual(step.loss, { total: 1.2, Lx: 0.9, Lu: 0.2, Ls: 0.1 });
  assert.equal(step.subsetI, 10);
  assert.deepEqual(rows[1], JSON.parse(GOOD_EPOCH));
  assert.match(describeSkipped(skipped, 'runs/x/metrics.jsonl', 2), /^skipped 6 lines of runs\/x\/metrics\.jsonl: line 3: .*; line 4: .*; and 4 more$/);
  assert.equal(describeSkipped([]), '');
});

test('optional fields of the wrong type are dropped, the row kept; loss as a number is the total; null losses are gaps', () => {
  const { rows, skipped } = parseMetricsJsonl(
    '{"kind":"step","epoch":1,"step":1,"lr":"fast","thresholds":[0.8,"x"],"loss":2.5}\n' +
    '{"kind":"step","epoch":1,"step":2,"loss":{"total":null,"Lx":1,"note":"hi"}}',
  );
  assert.equal(skipped.length, 0);
  assert.deepEqual(rows[0], { kind: 'step', epoch: 1, step: 1, loss: { total: 2.5 } });
  assert.deepEqual((rows[1] as StepRow).loss, { total: null, Lx: 1 });
});

test('readMetricsJsonl reads a file and names it when it cannot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-metrics-'));
  try {
    const file = join(dir, 'metrics.jsonl');
    writeFileSync(file, `${GOOD_STEP}\n${GOOD_EPOCH}\nnot json\n`);
    const { rows, skipped } = readMetricsJsonl(file);
    assert.equal(rows.length, 2);
    assert.deepEqual(skipped.map((s) => s.line), [3]);
    assert.throws(() => readMetricsJsonl(join(dir, 'missing.jsonl')), /missing\.jsonl: cannot read metrics file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('global steps: absolute steps kept; per-epoch counters continue across epochs', () => {
  const mk = (epoch: number, step: number): StepRow => ({ kind: 'step', epoch, step, loss: {} });
  assert.deepEqual(globalSteps([mk(1, 10), mk(1, 20), mk(2, 30)]), [10, 20, 30]);
  assert.deepEqual(globalSteps([mk(1, 10), mk(1, 20), mk(2, 10), mk(2, 20), mk(3, 10)]), [10, 20, 30, 40, 50]);
});

test('series: every loss term found, total first; thresholds per step preferred over per epoch; teacher and relabel only when logged', () => {
  const { rows } = parseMetricsJsonl([
    '{"kind":"step","epoch":1,"step":1,"loss":{"Lx":1,"total":2}}',
    '{"kind":"step","epoch":1,"step":2,"loss":{"Lx":0.9,"Lsnl":0.3,"total":1.9}}',
    '{"kind":"epoch","epoch":1,"student":{"accuracy":0.5},"thresholds":[0.8,0.9]}',
    '{"kind":"epoch","epoch":2,"student":{"accuracy":0.6},"thresholds":[0.85,0.9]}',
  ].join('\n'));
  const s = trainingSeries(rows);
  assert.deepEqual(s.loss.map((l) => l.name), ['total', 'Lx', 'Lsnl']);
  assert.deepEqual(s.loss[2]!.xy.y, [null, 0.3]);
  assert.equal(s.thresholds?.axis, 'epoch');
  assert.deepEqual(s.thresholds?.perClass, [[0.8, 0.85], [0.9, 0.9]]);
  assert.equal(s.teacher, undefined);
  assert.equal(s.relabel, undefined);
  assert.equal(s.subsetI, undefined);
  assert.deepEqual(s.student.accuracy, [0.5, 0.6]);

  const withStep = trainingSeries(parseMetricsJsonl(GOOD_STEP + '\n' + GOOD_EPOCH).rows);
  assert.equal(withStep.thresholds?.axis, 'step');
  assert.deepEqual(withStep.relabel?.byClassTotal, [5, 7]);
  assert.deepEqual(withStep.teacher?.accuracy, [0.55]);
});

test('warning rows parse; one without its message is skipped with the reason', () => {
  const { rows, skipped } = parseMetricsJsonl([
    '{"kind":"warning","epoch":3,"message":"epoch 3: no pseudo-label"}',
    '{"kind":"warning","epoch":3}',
  ].join('\n'));
  assert.deepEqual(rows, [{ kind: 'warning', epoch: 3, message: 'epoch 3: no pseudo-label' }]);
  assert.deepEqual(skipped, [{ line: 2, reason: 'warning row without a "message" string' }]);
});
