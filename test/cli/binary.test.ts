/**
 * The compiled `semifer` executable as a child process, as users and CI run
 * it: exit codes, --help without loading the LibTorch addon, a synthetic
 * dataset written then inspected (counts must agree), a broken dataset, and
 * --json output that parses.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'semifer-cli-bin-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Logs every native addon the process opens, to prove --help opens none of ours. */
const DLOPEN_SPY = `data:text/javascript,${encodeURIComponent(
  "const o=process.dlopen;process.dlopen=function(m,f,...r){process.stderr.write('DLOPEN '+f+'\\n');return o.call(this,m,f,...r)}",
)}`;

function semifer(args: string[], opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), MAIN, ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, SEMIFER_DEBUG: undefined, ...opts.env }, timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help and --version: exit 0, and --help never loads the LibTorch addon', () => {
  const top = semifer(['--help'], { nodeArgs: ['--import', DLOPEN_SPY] });
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /data synth/);
  assert.match(top.stdout, /data inspect/);
  assert.ok(!top.stderr.includes('DLOPEN'), top.stderr);
  const sub = semifer(['data', 'synth', '--help'], { nodeArgs: ['--import', DLOPEN_SPY] });
  assert.equal(sub.code, 0);
  assert.match(sub.stdout, /--class-balance/);
  assert.ok(!sub.stderr.includes('DLOPEN'), sub.stderr);
  const v = semifer(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^semifer \d+\.\d+\.\d+/);
});

test('usage errors exit 2 with a message naming the problem', () => {
  const unknown = semifer(['dat', 'synth']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'dat'; did you mean 'data'\?/);
  const bad = semifer(['data', 'synth', '--out', 'x', '--n', 'ten', '--format', 'rafdb', '--sed', '1']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--n: expected an integer ≥ 1, got 'ten'/);
  assert.match(bad.stderr, /unknown option --sed; did you mean --seed\?/);
  assert.equal(bad.stdout, '');
  const cfg = join(dir, 'synth.yaml');
  writeFileSync(cfg, 'n: 14\nformat: rafdb\nclass_balanse: uniform\n');
  const fromConfig = semifer(['data', 'synth', '--config', cfg, '--out', join(dir, 'never')]);
  assert.equal(fromConfig.code, 2);
  assert.ok(fromConfig.stderr.includes(`${cfg}:3: unknown key 'class_balanse'; did you mean 'class-balance'?`), fromConfig.stderr);
});

test('data synth then data inspect: exit 0 and the counts agree (text and --json)', () => {
  const out = join(dir, 'raf');
  const synth = semifer(['data', 'synth', '--out', out, '--n', '14', '--format', 'rafdb', '--size', '32', '--seed', '3', '--test-fraction', '0.5', '--json']);
  assert.equal(synth.code, 0, synth.stderr);
  const made = JSON.parse(synth.stdout) as { ok: boolean; counts: { train: Record<string, number>; test: Record<string, number> }; totals: { train: number; test: number } };
  assert.equal(made.ok, true);
  assert.equal(made.totals.train + made.totals.test, 14);
  assert.match(synth.stderr, /done: 14\/14 img/, 'progress summary on stderr');

  const inspect = semifer(['data', 'inspect', '--dataset', 'rafdb', out, '--sample-images', '4', '--json']);
  assert.equal(inspect.code, 0, inspect.stderr);
  const report = JSON.parse(inspect.stdout) as { ok: boolean; classes: string[]; splits: { split: string; perClass: number[]; total: number }[] };
  assert.equal(report.ok, true);
  for (const split of ['train', 'test'] as const) {
    const s = report.splits.find((x) => x.split === split)!;
    assert.equal(s.total, made.totals[split]);
    report.classes.forEach((c, i) => assert.equal(s.perClass[i], made.counts[split][c], `${split}/${c}`));
  }

  const text = semifer(['data', 'inspect', '--dataset', 'rafdb', '--root', out, '--sample-images', '2']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, new RegExp(`^total\\s+${made.totals.train}\\s+${made.totals.test}$`, 'm'));
  assert.match(text.stdout, /32×32: 2/);

  // Same options again: recognised, nothing regenerated.
  const again = semifer(['data', 'synth', '--out', out, '--n', '14', '--format', 'rafdb', '--size', '32', '--seed', '3', '--test-fraction', '0.5']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /nothing regenerated/);
  // A folder the generator did not write is refused (runtime failure, exit 1).
  const foreign = join(dir, 'foreign');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'notes.txt'), 'mine');
  const refused = semifer(['data', 'synth', '--out', foreign, '--n', '7', '--format', 'imagefolder']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /--out .*foreign: folder is not empty/);
});

test('data inspect on a broken dataset: exit 1, the message names the file and line', () => {
  const root = join(dir, 'broken');
  mkdirSync(join(root, 'EmoLabel'), { recursive: true });
  const labels = join(root, 'EmoLabel', 'list_patition_label.txt');
  writeFileSync(labels, 'train_00001.jpg 4\ntrain_00002.jpg\n');
  const r = semifer(['data', 'inspect', '--dataset', 'rafdb', '--root', root]);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`${labels}:2`), r.stderr);
  assert.match(r.stdout, /FATAL/);
  const json = semifer(['data', 'inspect', '--dataset', 'rafdb', '--root', root, '--json']);
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.stdout) as { ok: boolean; fatal: string };
  assert.equal(doc.ok, false);
  assert.ok(doc.fatal.includes(labels));
  const missing = semifer(['data', 'inspect', '--dataset', 'rafdb', '--root', join(dir, 'absent')]);
  assert.equal(missing.code, 1);
});

test('info --json parses and reports the engine', () => {
  const r = semifer(['info', '--json']);
  const doc = JSON.parse(r.stdout) as { semifer: string; node: string; torch: { ok: boolean; version?: string } };
  assert.equal(doc.node, process.version);
  assert.equal(r.code, doc.torch.ok ? 0 : 1);
});
