// MetricsTail reads the rows a run appends to metrics.jsonl from another process (the demo's progress).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsLog } from '../../src/train/metricsLog.js';
import { MetricsTail } from '../../src/report/metricsJsonl.js';

/** A step row as the trainer writes it (the tail parses rows as the report does). */
const step = (n: number) => ({ kind: 'step', epoch: 1, step: n, loss: { total: 2 } });

const dir = mkdtempSync(join(tmpdir(), 'semifer-tail-'));

test('MetricsTail: new rows once, a half-written line (split inside a UTF-8 character) at the next poll', () => {
  const path = join(dir, 'a.jsonl');
  const tail = new MetricsTail(path);
  assert.deepEqual(tail.poll(), [], 'no file yet');
  const log = new MetricsLog(path);
  log.write(step(0));
  log.write(step(10));
  assert.deepEqual(tail.poll(), [step(0), step(10)]);
  assert.deepEqual(tail.poll(), []);
  const line = Buffer.from(JSON.stringify({ kind: 'warning', epoch: 1, message: 'gap ≥ 5' }) + '\n');
  const cut = line.indexOf(Buffer.from('≥')) + 1; // inside the three bytes of '≥'
  appendFileSync(path, line.subarray(0, cut));
  assert.deepEqual(tail.poll(), []);
  appendFileSync(path, line.subarray(cut));
  assert.deepEqual(tail.poll(), [{ kind: 'warning', epoch: 1, message: 'gap ≥ 5' }]);
});

test('MetricsTail fromEnd: skips an earlier run\'s rows, and reads the new run from its start once the file is replaced', () => {
  const path = join(dir, 'b.jsonl');
  writeFileSync(path, `${JSON.stringify(step(590))}\n`);
  const tail = new MetricsTail(path, { fromEnd: true });
  assert.deepEqual(tail.poll(), []);
  const log = new MetricsLog(path); // a new run empties the file
  assert.deepEqual(tail.poll(), []);
  log.write(step(0));
  assert.deepEqual(tail.poll(), [step(0)]);
});
