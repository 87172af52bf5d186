// MetricsTail reads the rows a run appends to metrics.jsonl from another process (the demo's progress).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsLog, MetricsTail } from '../../src/train/metricsLog.js';

const dir = mkdtempSync(join(tmpdir(), 'semifer-tail-'));

test('MetricsTail: new rows once, a half-written line (split inside a UTF-8 character) at the next poll', () => {
  const path = join(dir, 'a.jsonl');
  const tail = new MetricsTail(path);
  assert.deepEqual(tail.poll(), [], 'no file yet');
  const log = new MetricsLog(path);
  log.write({ kind: 'step', step: 0 });
  log.write({ kind: 'step', step: 10 });
  assert.deepEqual(tail.poll(), [{ kind: 'step', step: 0 }, { kind: 'step', step: 10 }]);
  assert.deepEqual(tail.poll(), []);
  const line = Buffer.from(JSON.stringify({ kind: 'warning', message: 'gap ≥ 5' }) + '\n');
  const cut = line.indexOf(Buffer.from('≥')) + 1; // inside the three bytes of '≥'
  appendFileSync(path, line.subarray(0, cut));
  assert.deepEqual(tail.poll(), []);
  appendFileSync(path, line.subarray(cut));
  assert.deepEqual(tail.poll(), [{ kind: 'warning', message: 'gap ≥ 5' }]);
});

test('MetricsTail fromEnd: skips an earlier run\'s rows, and reads the new run from its start once the file is replaced', () => {
  const path = join(dir, 'b.jsonl');
  writeFileSync(path, `${JSON.stringify({ kind: 'step', step: 590 })}\n`);
  const tail = new MetricsTail(path, { fromEnd: true });
  assert.deepEqual(tail.poll(), []);
  const log = new MetricsLog(path); // a new run empties the file
  assert.deepEqual(tail.poll(), []);
  log.write({ kind: 'step', step: 0 });
  assert.deepEqual(tail.poll(), [{ kind: 'step', step: 0 }]);
});
