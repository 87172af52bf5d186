/**
 * `semifer sweep`: the plan a sweep file stands for (grid, random, axes that
 * only vary the methods reading them, errors with file:line); a tiny real
 * sweep (2 methods × 2 seeds) that is interrupted, refused without --resume,
 * resumed (the finished run skipped, the interrupted one continued from its
 * checkpoint), and whose table matches mean ± sd computed here from the runs'
 * summary.json; the sensitivity plot of a swept hyper-parameter.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSweep } from '../../src/sweep/plan.js';
import { sweepMarkdown, sweepTable, type SweepTable } from '../../src/sweep/table.js';
import { renderSweepHtml, sensitivitySeries } from '../../src/sweep/page.js';
import { UsageError } from '../../src/cli/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'semifer-sweep-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const TRAIN = 'train: { dataset: rafdb, root: data, model: small, size: 32 }\n';

test('a grid is every combination; a method hyper-parameter varies only the methods that read it', async () => {
  const plan = await planSweep(write('grid.yaml', `out: g\n${TRAIN}methods: [supervised, adacm]\nseeds: 2\ngrid:\n  lr: [0.001, 0.002]\n  hyper.lambdaS: [0, 0.1, 0.2]\n`));
  // adacm: 2 lr × 3 λS; supervised: 2 lr (λS does not apply); × 2 seeds.
  assert.equal(plan.runs.length, (2 * 3 + 2) * 2);
  const run = plan.runs.find((r) => r.name === 'adacm-lr=0.002-lambdaS=0.1-s1')!;
  assert.ok(run, plan.runs.map((r) => r.name).join(' '));
  assert.deepEqual(run.setting, { lr: 0.002, 'hyper.lambdaS': 0.1 });
  assert.deepEqual(run.argv.slice(run.argv.indexOf('--hyper'), run.argv.indexOf('--hyper') + 2), ['--hyper', 'lambdaS=0.1']);
  assert.equal(run.dir, join(dir, 'g', run.name), 'out: is relative to the sweep file');
  assert.deepEqual(plan.runs.filter((r) => r.method === 'supervised').map((r) => r.name), ['supervised-lr=0.001-s0', 'supervised-lr=0.002-s0', 'supervised-lr=0.001-s1', 'supervised-lr=0.002-s1']);
});

test('a named variant runs its method with its own options', async () => {
  const plan = await planSweep(write('variant.yaml', `out: v\n${TRAIN}methods:\n  scn: { scn-warmup: 1 }\n  ce-scn-pipeline: { method: scn, scn-warmup: 999, relabel-epoch: 999 }\n`));
  assert.deepEqual(plan.runs.map((r) => [r.name, r.method, r.label]), [['scn-s0', 'scn', 'scn'], ['ce-scn-pipeline-s0', 'scn', 'ce-scn-pipeline']]);
  assert.ok(plan.runs[1]!.argv.join(' ').includes('--scn-warmup 999 --relabel-epoch 999 --method scn'), plan.runs[1]!.argv.join(' '));
});

test('--set changes every run or one entry\'s runs; --methods and --seeds select', async () => {
  const file = write('set.yaml', `out: s\n${TRAIN}methods: [supervised, dta-snl]\nseeds: 3\n`);
  const plan = await planSweep(file, { set: ['lr=0.001', 'dta-snl.threshold-momentum=0.99'], methods: ['dta-snl'], seeds: [4], out: join(dir, 'other') });
  assert.deepEqual(plan.runs.map((r) => r.name), ['dta-snl-s4']);
  assert.match(plan.runs[0]!.argv.join(' '), /--lr 0\.001 .*--threshold-momentum 0\.99 --method dta-snl --seed 4 --out .*other\/dta-snl-s4$/);
  await assert.rejects(planSweep(file, { set: ['supervised.threshold-momentum=0.99'] }), /method 'supervised' has no hyper-parameter 'thresholdMomentum'/);
  await assert.rejects(planSweep(file, { set: ['epochs=0'], methods: ['adacm'] }), (e: unknown) => e instanceof UsageError &&
    e.problems.some((m) => m === "--set epochs=0: epochs: expected an integer ≥ 1, got '0'") && e.problems.some((m) => m.startsWith("--methods: no methods: entry 'adacm'")));
});

test('a random search draws the same settings again, inside its ranges', async () => {
  const text = `out: r\n${TRAIN}methods: [adacm]\nseeds: [3]\nrandom:\n  samples: 5\n  seed: 11\n  axes:\n    lr: { log-uniform: [0.0001, 0.01] }\n    hyper.lambdaS: { uniform: [0, 0.5] }\n    batch: { choice: [8, 16] }\n`;
  const a = await planSweep(write('rand.yaml', text));
  const b = await planSweep(write('rand.yaml', text));
  assert.deepEqual(a.runs.map((r) => r.setting), b.runs.map((r) => r.setting));
  assert.equal(a.runs.length, 5);
  for (const r of a.runs) {
    const lr = r.setting.lr as number;
    assert.ok(lr >= 1e-4 && lr <= 1e-2 && (r.setting['hyper.lambdaS'] as number) <= 0.5 && [8, 16].includes(r.setting.batch as number), JSON.stringify(r.setting));
  }
});

test('mistakes in a sweep file are all reported with the file and line', async () => {
  const file = write('bad.yaml', `out: x\ntrain:\n  dataset: rafdb\n  lr: -1\nmethods: [supervised, fixmach]\ngrid:\n  hyper.lambdaQ: [1]\nrando: 1\n`);
  let problems: readonly string[] = [];
  await planSweep(file).catch((e: unknown) => {
    assert.ok(e instanceof UsageError);
    problems = e.problems;
  });
  const text = problems.join('\n');
  assert.match(text, /bad\.yaml:4: train: lr: expected a number ≥ 0, got -1/);
  assert.match(text, /bad\.yaml:5: methods: unknown method 'fixmach'.*did you mean 'fixmatch'/);
  assert.match(text, /bad\.yaml:7: hyper\.lambdaQ: no method of this sweep reads 'lambdaQ'/);
  assert.match(text, /bad\.yaml:8: unknown key 'rando'; did you mean 'random'/);
  // A run's full train options are checked too (here: --root is missing).
  await assert.rejects(planSweep(write('noroot.yaml', 'out: x\ntrain: { dataset: rafdb }\nmethods: [supervised]\n')), /run supervised-s0: missing required option --root/);
});

test('the sensitivity plot: mean ± sd per value, a dashed line for a method the parameter does not affect', () => {
  const stat = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return { mean, sd: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)), values };
  };
  const row = (method: string, setting: Record<string, number>, acc: number[]) => ({
    method, setting, seeds: [0, 1], planned: 2, accuracy: stat(acc), meanClassAccuracy: stat(acc), macroF1: stat(acc), runs: [],
    pseudoLabelRate: null, teacherGap: null, vsSupervised: null,
  });
  const table: SweepTable = {
    axes: ['hyper.lambdaS'],
    rows: [row('adacm', { 'hyper.lambdaS': 0 }, [0.5, 0.6]), row('adacm', { 'hyper.lambdaS': 0.1 }, [0.7, 0.7]), row('adacm', { 'hyper.lambdaS': 0.2 }, [0.6, 0.8]), row('supervised', {}, [0.4, 0.5])],
    unfinished: [],
  };
  const s = sensitivitySeries(table, 'hyper.lambdaS')!;
  assert.deepEqual(s.series.map((x) => [x.name, x.reference, x.points.map((p) => p.x)]), [['adacm', false, [0, 0.1, 0.2]], ['supervised – not affected', true, [0]]]);
  assert.ok(Math.abs(s.series[0]!.points[2]!.sd! - Math.sqrt(0.02)) < 1e-12);
  const html = renderSweepHtml('t', table);
  assert.match(html, /data-chart="sensitivity-lambdaS"/);
  assert.equal(html.match(/class="error-bar"/g)?.length, 2, 'bars where sd > 0 (λS = 0 and 0.2)');
  assert.match(sweepMarkdown(table), /\| adacm \| 0\.2 \| 2 \| 70\.00 ± 14\.14 \|/);
});

test('the table: mean and sample sd (n − 1) over the seeds\' summary.json; unfinished runs listed', () => {
  const out = join(dir, 'fake');
  const runs = [0.5, 0.6, 0.8, null].map((accuracy, seed) => ({ name: `adacm-s${seed}`, dir: `adacm-s${seed}`, method: 'adacm', label: 'adacm', seed, setting: {}, accuracy }));
  for (const r of runs) {
    mkdirSync(join(out, r.dir), { recursive: true });
    if (r.accuracy !== null) writeFileSync(join(out, r.dir, 'summary.json'), JSON.stringify({ accuracy: r.accuracy, meanClassAccuracy: r.accuracy, macroF1: r.accuracy }));
  }
  writeFileSync(join(out, 'sweep.json'), JSON.stringify({ file: 'x.yaml', search: 'none', methods: ['adacm'], seeds: [0, 1, 2, 3], axes: [], runs }));
  const t = sweepTable(out);
  // By hand: mean 1.9/3 = 0.63333; squared deviations 0.017778 + 0.001111 + 0.027778 = 0.046667; / 2 → sd 0.152753.
  assert.ok(Math.abs(t.rows[0]!.accuracy.mean - 0.6333333333333333) < 1e-12);
  assert.ok(Math.abs(t.rows[0]!.accuracy.sd! - 0.15275252316519466) < 1e-12, String(t.rows[0]!.accuracy.sd));
  assert.deepEqual(t.unfinished, ['adacm-s3']);
  assert.match(sweepMarkdown(t), /\| adacm \| 3 of 4 \| 63\.33 ± 15\.28 \|/);
});

test('the table: the difference from supervised, the pseudo-label rate and the teacher gap beside each semi-supervised row', () => {
  const out = join(dir, 'fake-semi');
  const runs = [
    { method: 'supervised', seed: 0, s: { accuracy: 0.5 } }, { method: 'supervised', seed: 1, s: { accuracy: 0.6 } },
    { method: 'adacm', seed: 0, s: { accuracy: 0.58, semiSupervised: { pseudoLabelRate: 0.2, teacherGap: 1.5 } } },
    { method: 'adacm', seed: 1, s: { accuracy: 0.6, semiSupervised: { pseudoLabelRate: 0.4, teacherGap: -0.5 } } },
    { method: 'adacm', seed: 2, s: { accuracy: 0.9 } }, // no supervised run of seed 2: not in the difference
  ].map((r) => ({ name: `${r.method}-s${r.seed}`, dir: `${r.method}-s${r.seed}`, method: r.method, label: r.method, seed: r.seed, setting: {}, s: r.s }));
  for (const r of runs) {
    mkdirSync(join(out, r.dir), { recursive: true });
    writeFileSync(join(out, r.dir, 'summary.json'), JSON.stringify({ meanClassAccuracy: r.s.accuracy, macroF1: r.s.accuracy, ...r.s }));
  }
  writeFileSync(join(out, 'sweep.json'), JSON.stringify({ file: 'x.yaml', search: 'none', methods: ['supervised', 'adacm'], seeds: [0, 1, 2], axes: [], runs }));
  const t = sweepTable(out);
  // By hand: seed 0 +8, seed 1 0 → +4 points (seed 2 has no pair); rate (0.2 + 0.4)/2 = 30 %; gap (1.5 − 0.5)/2 = +0.5 points.
  assert.equal(t.rows[0]!.vsSupervised, null);
  assert.ok(Math.abs(t.rows[1]!.vsSupervised! - 0.04) < 1e-12);
  const md = sweepMarkdown(t);
  assert.match(md, /\| supervised \| 2 \| 55\.00 ± 7\.07 \|[^\n]*\| – \| – \| – \|/);
  assert.match(md, /\| adacm \| 3 \| 69\.33 ± 17\.93 \|[^\n]*\| \+4\.00 \| 30\.0 \| \+0\.5 \|/);
});

test("the table: a variant is compared with the supervised variant of the same own options (adacm-pretrained with supervised-pretrained), else with 'supervised'", () => {
  const out = join(dir, 'fake-variants');
  const pre = { pretrained: 'human-models:mobilefacenet' };
  const runs = [
    { label: 'supervised', method: 'supervised', options: {}, acc: [0.2, 0.3] },
    { label: 'supervised-pretrained', method: 'supervised', options: pre, acc: [0.4, 0.5] },
    { label: 'adacm-pretrained', method: 'adacm', options: pre, acc: [0.45, 0.49] },
    { label: 'adacm', method: 'adacm', options: { 'head-scale': 1 }, acc: [0.25, 0.3] },
  ].flatMap((r) => r.acc.map((accuracy, seed) => ({ name: `${r.label}-s${seed}`, dir: `${r.label}-s${seed}`, method: r.method, label: r.label, seed, setting: {}, options: r.options, accuracy })));
  for (const r of runs) {
    mkdirSync(join(out, r.dir), { recursive: true });
    writeFileSync(join(out, r.dir, 'summary.json'), JSON.stringify({ accuracy: r.accuracy, meanClassAccuracy: r.accuracy, macroF1: r.accuracy }));
  }
  writeFileSync(join(out, 'sweep.json'), JSON.stringify({ file: 'x.yaml', search: 'none', methods: ['supervised', 'adacm'], seeds: [0, 1], axes: [], runs }));
  const byLabel = new Map(sweepTable(out).rows.map((r) => [r.method, r.vsSupervised]));
  // By hand: adacm-pretrained − supervised-pretrained = (+5 − 1)/2 = +2 points; adacm (own head scale) against plain supervised: (+5 + 0)/2 = +2.5.
  assert.ok(Math.abs(byLabel.get('adacm-pretrained')! - 0.02) < 1e-12, String(byLabel.get('adacm-pretrained')));
  assert.ok(Math.abs(byLabel.get('adacm')! - 0.025) < 1e-12, String(byLabel.get('adacm')));
  assert.ok(Math.abs(byLabel.get('supervised-pretrained')! - 0.2) < 1e-12, 'a supervised variant with options of its own is compared with plain supervised');
  assert.equal(byLabel.get('supervised'), null);
});

test('a tiny sweep runs, is interrupted, refuses to restart without --resume, resumes, and its table is the mean ± sd of its runs', async () => {
  const file = write('tiny.yaml', [
    'out: runs',
    'synth: { out: data, n: 84, format: rafdb, size: 32, nuisance: 0 }',
    'train:',
    '  dataset: rafdb',
    '  root: data',
    '  labels-per-class: 2',
    // About 9 training faces per class: 2 labelled, 2 validation, the rest unlabelled.
    '  val-per-class: 2',
    '  model: small',
    '  size: 32',
    '  batch: 8',
    '  epochs: 2',
    '  steps-per-epoch: 10',
    '  prefetch: 0',
    '  cache-dir: cache',
    'methods:',
    '  supervised:',
    '  fixmatch:',
    // Fails at run time: 50 labels per class from 9 training faces per class.
    '  too-many-labels: { method: supervised, labels-per-class: 50 }',
    'seeds: [0, 1]',
  ].join('\n'));
  const out = join(dir, 'runs');
  const first = join(out, 'supervised-s0');
  const second = join(out, 'fixmatch-s0');

  // Interrupt once the first run has finished and the second has its first checkpoint.
  const proc = spawn(process.execPath, [CLI, 'sweep', file, '--jobs', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const poll = setInterval(() => {
      if (existsSync(join(first, 'summary.json')) && existsSync(join(second, 'checkpoint-last.safetensors'))) {
        clearInterval(poll);
        proc.kill('SIGINT');
      }
    }, 20);
    proc.on('close', (c) => {
      clearInterval(poll);
      resolve(c);
    });
  });
  assert.equal(code, 130, stderr);
  assert.ok(!existsSync(join(second, 'summary.json')), 'the second run was interrupted before its end');
  const firstSummary = statSync(join(first, 'summary.json')).mtimeMs;

  const refused = spawnSync(process.execPath, [CLI, 'sweep', file, '--jobs', '1'], { encoding: 'utf8' });
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /1 run was interrupted \(fixmatch-s0\): give --resume/);

  const resumed = spawnSync(process.execPath, [CLI, 'sweep', file, '--jobs', '1', '--resume'], { encoding: 'utf8' });
  // The failing entry fails alone: the others finish, the table is written, the exit code says so.
  assert.equal(resumed.status, 1, resumed.stderr);
  assert.match(resumed.stderr, /failed too-many-labels-s0: exit 2;/);
  assert.match(resumed.stderr, /2 run\(s\) failed: too-many-labels-s0, too-many-labels-s1/);
  assert.match(resumed.stderr, /skipped supervised-s0/);
  assert.match(resumed.stderr, /resuming fixmatch-s0/);
  assert.match(readFileSync(join(second, 'train.log'), 'utf8'), /\$ semifer train .* --resume/);
  assert.equal(statSync(join(first, 'summary.json')).mtimeMs, firstSummary, 'the finished run was not trained again');

  const table = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepTable;
  const markdown = readFileSync(join(out, 'results.md'), 'utf8');
  assert.deepEqual(table.rows.map((r) => r.method), ['supervised', 'fixmatch']);
  assert.deepEqual(table.unfinished, ['too-many-labels-s0', 'too-many-labels-s1']);
  for (const method of ['supervised', 'fixmatch']) {
    const [a, b] = [0, 1].map((seed) => (JSON.parse(readFileSync(join(out, `${method}-s${seed}`, 'summary.json'), 'utf8')) as { accuracy: number }).accuracy) as [number, number];
    // Two seeds: mean (a + b)/2, sample sd |a − b|/√2.
    const mean = (a + b) / 2;
    const sd = Math.abs(a - b) / Math.SQRT2;
    const row = table.rows.find((r) => r.method === method)!;
    assert.deepEqual(row.seeds, [0, 1]);
    assert.ok(Math.abs(row.accuracy.mean - mean) < 1e-12 && Math.abs(row.accuracy.sd! - sd) < 1e-12, `${method}: ${JSON.stringify(row.accuracy)} vs ${mean} ± ${sd}`);
    assert.ok(markdown.includes(`| ${method} | 2 | ${(100 * mean).toFixed(2)} ± ${(100 * sd).toFixed(2)} |`), markdown);
  }
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /<table class="numbers">/);

  // semifer compare reads the sweep folder as its four runs.
  const compare = spawnSync(process.execPath, [CLI, 'compare', out, '--json'], { encoding: 'utf8' });
  assert.equal(compare.status, 0, compare.stderr);
  assert.deepEqual((JSON.parse(compare.stdout) as { rows: { runs: number }[] }).rows.map((r) => r.runs), [2, 2]);
});

test('--table-only tabulates every run the file plans, also after a sweep over a subset of the seeds', () => {
  const file = write('subsets.yaml', `out: subsets\n${TRAIN}methods: [supervised]\nseeds: 3\n`);
  const out = join(dir, 'subsets');
  for (const [seed, accuracy] of [[0, 0.5], [1, 0.6], [2, 0.7]]) {
    mkdirSync(join(out, `supervised-s${seed}`), { recursive: true });
    writeFileSync(join(out, `supervised-s${seed}`, 'summary.json'), JSON.stringify({ accuracy, meanClassAccuracy: accuracy, macroF1: accuracy }));
  }
  // The manifest a sweep over --seeds 2 alone left behind.
  const narrow = spawnSync(process.execPath, [CLI, 'sweep', file, '--seeds', '2', '--table-only', '--json'], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(narrow.stdout).rows[0].seeds, [2], narrow.stderr);
  const whole = spawnSync(process.execPath, [CLI, 'sweep', file, '--table-only', '--json'], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(whole.stdout).rows[0].seeds, [0, 1, 2], whole.stderr);
  assert.match(readFileSync(join(out, 'results.md'), 'utf8'), /\| supervised \| 3 \| 60\.00 ± 10\.00 \|/);
});
