#!/usr/bin/env node
// Reproduces docs/results.md: every run below through the `semifer` CLI, one
// after another, then prints the markdown tables (method × seed × accuracy).
//   node scripts/reproduce-results.mjs [--seeds 0,1,2] [--out runs/results] [--epochs E] [--steps K]
// Runs already finished (summary.json present) are not repeated.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const seeds = arg('seeds', '0,1,2').split(',').map(Number);
const out = arg('out', 'runs/results');
const data = arg('data', 'data/synth-results');
const epochs = arg('epochs', '8');
const steps = arg('steps', '40');
const size = arg('size', '48');
const lr = arg('lr', '0.002');
const mu = arg('mu', '1');
const emaDecay = arg('ema-decay', '0.95');
const headScale = arg('head-scale', '16');
// All-labels runs do not learn at 2e-3 in this budget (docs/results.md); they use the spec's 5e-4.
const noiseLr = arg('noise-lr', '0.0005');
const cli = ['dist/src/cli/main.js'];

function semifer(args) {
  console.error(`$ semifer ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [...cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`semifer ${args[0]} failed with exit code ${r.status}`);
}

semifer(['data', 'synth', '--out', data, '--n', '2800', '--format', 'rafdb', '--nuisance', '0.5', '--seed', '0', '--quiet']);

const common = ['--dataset', 'rafdb', '--root', data, '--model', 'small', '--size', size, '--batch', '16', '--mu', mu,
  '--epochs', epochs, '--steps-per-epoch', steps, '--lr', lr, '--ema-decay', emaDecay, '--quiet'];
const experiments = [
  { table: 'few', name: 'supervised', args: ['--method', 'supervised', '--labels-per-class', '10'] },
  { table: 'few', name: 'adacm', args: ['--method', 'adacm', '--labels-per-class', '10', '--head-scale', headScale] },
  { table: 'few', name: 'dta-snl', args: ['--method', 'dta-snl', '--labels-per-class', '10'] },
  { table: 'noise', name: 'supervised', args: ['--method', 'supervised', '--labels', 'all', '--label-noise', '0.3', '--lr', noiseLr] },
  { table: 'noise', name: 'scn', args: ['--method', 'scn', '--labels', 'all', '--label-noise', '0.3', '--lr', noiseLr] },
];

const results = [];
for (const e of experiments) {
  for (const seed of seeds) {
    const dir = join(out, `${e.table}-${e.name}-s${seed}`);
    if (!existsSync(join(dir, 'summary.json'))) semifer(['train', ...common, ...e.args, '--seed', String(seed), '--out', dir]);
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    results.push({ ...e, seed, accuracy: s.accuracy, mca: s.meanClassAccuracy, model: s.selectedModel, seconds: s.seconds });
  }
}

const pct = (v) => (100 * v).toFixed(1);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
for (const table of ['few', 'noise']) {
  const rows = results.filter((r) => r.table === table);
  const names = [...new Set(rows.map((r) => r.name))];
  console.log(`\n| method | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± sd | mean class acc. |`);
  console.log(`|---|${seeds.map(() => '---').join('|')}|---|---|`);
  for (const n of names) {
    const rs = rows.filter((r) => r.name === n);
    const acc = rs.map((r) => r.accuracy);
    console.log(`| ${n} (${rs[0].model}) | ${rs.map((r) => pct(r.accuracy)).join(' | ')} | ${pct(mean(acc))} ± ${pct(sd(acc))} | ${pct(mean(rs.map((r) => r.mca)))} |`);
  }
  console.log(`\n(run time per run: ${rows.map((r) => r.seconds.toFixed(0)).join(', ')} s)`);
}
