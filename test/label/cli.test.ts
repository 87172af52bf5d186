// Bad input to the label commands: one line naming what is wrong, exit code 2, no stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { COMMANDS } from '../../src/cli/commands/index.js';

async function cli(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await runCli(argv, { commands: COMMANDS, env: {}, stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: (s: string) => err.push(s), isTTY: false } });
  return { code, out: out.join(''), err: err.join('') };
}

test('label commands: user errors exit 2 with the file and what was expected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-label-cli-'));
  try {
    const missing = await cli('label', 'suggest', '--unlabelled', join(dir, 'nope'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope/);
    assert.doesNotMatch(missing.err, /\n\s+at /, 'no stack trace');
    const noRun = await cli('label', 'suggest', '--unlabelled', dir, '--criterion', 'uncertainty');
    assert.equal(noRun.code, 2);
    assert.match(noRun.err, /--criterion uncertainty needs a model: give --run RUNDIR/);
    mkdirSync(join(dir, 'faces'));
    writeFileSync(join(dir, 'faces', 'a.png'), 'x');
    writeFileSync(join(dir, 'labels.csv'), '# semifer labels v1; classes: no,yes\nimage,label\nfaces/a.png,maybe\n');
    const bad = await cli('label', 'status', '--unlabelled', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /labels\.csv:3: label 'maybe' is neither a class \(no, yes\) nor an answer/);
    writeFileSync(join(dir, 'labels.csv'), '# semifer labels v1; classes: no,yes\nimage,label\nfaces/a.png,yes\n');
    const other = await cli('label', 'serve', '--unlabelled', dir, '--classes', 'yes,no', '--port', '0');
    assert.equal(other.code, 2);
    assert.match(other.err, /labels\.csv:1: the file's classes \(no,yes\) differ from the ones asked for \(yes,no\)/);
    writeFileSync(join(dir, 'labels.csv'), '# semifer labels v1; classes: no,yes\nimage,label\nfaces/a.png,maybe\n');
    const train = await cli('train', '--dataset', 'labels', '--root', join(dir, 'labels.csv'), '--out', join(dir, 'run'));
    // train reports any bad dataset as a DataError, exit 1 (src/cli/errors.ts), with the same line.
    assert.equal(train.code, 1);
    assert.match(train.err, /labels\.csv:3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
