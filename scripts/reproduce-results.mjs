#!/usr/bin/env node
// Reproduces docs/results.md: every run below through the `semifer` CLI, then
// prints the markdown tables (method × seed × accuracy).
//   node scripts/reproduce-results.mjs [--seeds 0,1,2] [--jobs 1] [--out runs/results] [--only few|noise] [--methods supervised,dta-snl] [--lr 0.002] [--threshold-momentum M] [--few-epochs 12] [--margin-scale S] [--adacm-hyper SPEC] [--noise-protocol short|long]
// --jobs N runs N trainings side by side, each on one thread (SEMIFER_NUM_THREADS=1),
// for machines with more cores than one run uses well; on the 2-core development
// machine one two-thread run at a time was faster (15 vs 2 × 5 steps/s). Float sums
// may differ in the last bits with the thread count.
// Runs already finished (summary.json present) are not repeated.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const seeds = arg('seeds', '0,1,2').split(',').map(Number);
const jobs = Number(arg('jobs', '1'));
const out = arg('out', 'runs/results');
const data = arg('data', 'data/synth-results-clean');
const only = arg('only', '');
const lr = arg('lr', '0.002');
const methods = arg('methods', '');
// DTA's threshold EMA momentum (--threshold-momentum of semifer train); unset: the default 0.999.
const thresholdMomentum = arg('threshold-momentum', '');
// Length of the few-label runs in epochs of 100 steps (semi-supervised methods keep
// learning from the unlabelled faces after the supervised baseline has memorised its 70).
const fewEpochs = arg('few-epochs', '12');
// Ada-CM's margin scale (--margin-scale of semifer train); unset: the paper's 0.97.
const marginScale = arg('margin-scale', '');
// Any other Ada-CM hyper-parameters, as --hyper of semifer train (e.g. teacherPseudoLabels=1,lambdaX=1).
const adacmHyper = arg('adacm-hyper', '');
// Noisy labels: 'short' (all 2240 labels, 6 × 100 steps, SCN relabels from epoch 4) or
// 'long' (100 labels per class, 36 × 100 steps: long enough for cross-entropy to
// memorise the flipped labels; SCN relabels from epoch 10, the authors'; one more row,
// cross-entropy on SCN's own head and augmentation, the paper's baseline).
const noiseProtocol = arg('noise-protocol', 'short');
if (!['short', 'long'].includes(noiseProtocol)) throw new Error(`--noise-protocol: expected short or long, got ${noiseProtocol}`);
const cli = 'dist/src/cli/main.js';

// The synthetic faces: 2800 (2240 train, 560 test), 7 balanced classes, clean studio
// faces (nuisance 0: identity, skin, hair and expression intensity still vary).
const synth = ['data', 'synth', '--out', data, '--n', '2800', '--format', 'rafdb', '--nuisance', '0', '--seed', '0', '--quiet'];
console.error(`$ semifer ${synth.join(' ')}`);
if (spawnSync(process.execPath, [cli, ...synth], { stdio: 'inherit' }).status !== 0) process.exit(1);

// Small CNN at 32 px, Adam 2e-3 with a cosine schedule, EMA decay 0.95 (short runs, docs/results.md).
const common = ['--dataset', 'rafdb', '--root', data, '--model', 'small', '--size', '32', '--batch', '16', '--mu', '1',
  '--lr', lr, '--schedule', 'cosine', '--ema-decay', '0.95', '--quiet'];
const few = ['--labels-per-class', '10', '--epochs', fewEpochs, '--steps-per-epoch', '100'];
const noise = noiseProtocol === 'short'
  ? ['--labels', 'all', '--label-noise', '0.3', '--epochs', '6', '--steps-per-epoch', '100']
  : ['--labels-per-class', '100', '--label-noise', '0.3', '--epochs', '36', '--steps-per-epoch', '100'];
const scnRelabel = noiseProtocol === 'short' ? ['--relabel-epoch', '4'] : [];
const experiments = [
  { table: 'few', name: 'supervised', args: [...few, '--method', 'supervised'] },
  { table: 'few', name: 'adacm', args: [...few, '--method', 'adacm', '--head-scale', '16', ...(marginScale ? ['--margin-scale', marginScale] : []), ...(adacmHyper ? ['--hyper', adacmHyper] : [])] },
  { table: 'few', name: 'dta-snl', args: [...few, '--method', 'dta-snl', ...(thresholdMomentum ? ['--threshold-momentum', thresholdMomentum] : [])] },
  { table: 'noise', name: 'supervised', args: [...noise, '--method', 'supervised'] },
  { table: 'noise', name: 'scn', args: [...noise, '--method', 'scn', '--scn-warmup', '1', ...scnRelabel] },
  ...(noiseProtocol === 'long'
    ? [{ table: 'noise', name: 'ce-scn-pipeline', args: [...noise, '--method', 'scn', '--scn-warmup', '999', '--relabel-epoch', '999'] }]
    : []),
].filter((e) => (!only || e.table === only) && (!methods || methods.split(',').includes(e.name)));

const runs = experiments.flatMap((e) => seeds.map((seed) => ({ ...e, seed, dir: join(out, `${e.table}${e.table === 'noise' && noiseProtocol === 'long' ? '-long' : ''}-${e.name}-s${seed}`) })));

function train(r) {
  const args = ['train', ...common, ...r.args, '--seed', String(r.seed), '--out', r.dir];
  console.error(`$ semifer ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: jobs > 1 ? { ...process.env, SEMIFER_NUM_THREADS: '1' } : process.env });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`semifer train ${r.dir} failed with exit code ${code}`))));
  });
}

const todo = runs.filter((r) => !existsSync(join(r.dir, 'summary.json')));
await Promise.all(Array.from({ length: Math.max(1, jobs) }, async () => {
  for (let r = todo.shift(); r; r = todo.shift()) await train(r);
}));

const results = runs.map((r) => {
  const s = JSON.parse(readFileSync(join(r.dir, 'summary.json'), 'utf8'));
  return { ...r, accuracy: s.accuracy, mca: s.meanClassAccuracy, model: s.selectedModel, student: s.student?.accuracy ?? s.accuracy, seconds: s.seconds };
});

const pct = (v) => (100 * v).toFixed(1);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
for (const table of ['few', 'noise']) {
  const rows = results.filter((r) => r.table === table);
  if (!rows.length) continue;
  const names = [...new Set(rows.map((r) => r.name))];
  const base = rows.filter((r) => r.name === 'supervised');
  console.log(`\n| method | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± sd | vs supervised, per seed | student, mean | mean class acc. |`);
  console.log(`|---|${seeds.map(() => '---').join('|')}|---|---|---|---|`);
  for (const n of names) {
    const rs = rows.filter((r) => r.name === n);
    const acc = rs.map((r) => r.accuracy);
    const diff = rs.map((r) => r.accuracy - (base.find((b) => b.seed === r.seed)?.accuracy ?? NaN));
    console.log(`| ${n} (${rs[0].model}) | ${rs.map((r) => pct(r.accuracy)).join(' | ')} | ${pct(mean(acc))} ± ${pct(sd(acc))} | ${n === 'supervised' ? '–' : diff.map((d) => (d >= 0 ? '+' : '') + pct(d)).join(', ')} | ${pct(mean(rs.map((r) => r.student)))} | ${pct(mean(rs.map((r) => r.mca)))} |`);
  }
  console.log(`\n(run time per run, s: ${rows.map((r) => `${r.name}/${r.seed} ${r.seconds.toFixed(0)}`).join(', ')})`);
}
