#!/usr/bin/env node
// A diagnostic for docs/results.md: what SCN's relabelling did to the stored labels of a
// noisy-label run (--label-noise P with --method scn, or --noisy-labels scn). The run
// knows which labels it flipped, so every stored label that relabelling changed is
// counted as fixed (flipped → true class), broken (true → another class) or moved
// (flipped → another wrong class), with the classes the changes went into.
//   node scripts/scn-relabel-audit.mjs RUNDIR [RUNDIR …]
// Reads RUNDIR/checkpoint-last.safetensors (the labels as they stand at the last
// epoch). Build first (npm run build). Nothing in RUNDIR is changed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const { prepareData } = await import('../dist/src/train/prepareData.js');
const { loadCheckpoint } = await import('../dist/src/train/checkpoint.js');

const runs = process.argv.slice(2);
if (!runs.length) {
  console.error('usage: node scripts/scn-relabel-audit.mjs RUNDIR [RUNDIR …]');
  process.exit(2);
}
for (const run of runs) {
  const need = ['config.json', 'summary.json', 'checkpoint-last.safetensors'].map((f) => join(run, f));
  const absent = need.filter((f) => !existsSync(f));
  if (absent.length) {
    console.error(`${run}: not a finished run folder (missing ${absent.join(', ')})`);
    process.exit(2);
  }
  const cfg = JSON.parse(readFileSync(need[0], 'utf8'));
  const { classes } = JSON.parse(readFileSync(need[1], 'utf8'));
  const state = loadCheckpoint(need[2]).meta.method;
  // SCN keeps its labels in the labelled loss (method scn, or any method with --noisy-labels scn).
  const current = (state.labelledLoss ?? state).labels;
  if (!Array.isArray(current)) {
    console.error(`${run}: the checkpoint holds no SCN labels (method '${cfg.method}', noisy labels '${cfg.noisyLabels}')`);
    process.exit(2);
  }
  // The same split (RUNDIR/split.json, read, not rewritten) and the same flips (they follow
  // from the config's seed) as the run; cfg.out may name where the run was first written.
  cfg.out = run;
  const data = await prepareData(cfg, { resumeClasses: classes });
  const given = data.labelled.labels;
  const truth = data.labelled.trueLabels;
  if (current.length !== given.length) {
    console.error(`${run}: the checkpoint has ${current.length} labels, the run's labelled set ${given.length}`);
    process.exit(2);
  }
  const count = { flipped: 0, changed: 0, fixed: 0, broken: 0, moved: 0, wrongNow: 0 };
  const into = new Array(classes.length).fill(0);
  for (let i = 0; i < given.length; i++) {
    if (given[i] !== truth[i]) count.flipped++;
    if (current[i] !== truth[i]) count.wrongNow++;
    if (current[i] === given[i]) continue;
    count.changed++;
    into[current[i]]++;
    if (current[i] === truth[i]) count.fixed++;
    else if (given[i] === truth[i]) count.broken++;
    else count.moved++;
  }
  console.log(`${run}: ${given.length} labelled, ${count.flipped} flipped by --label-noise; relabelling changed ${count.changed}: ` +
    `${count.fixed} fixed, ${count.broken} broken, ${count.moved} moved to another wrong class; wrong now ${count.wrongNow}`);
  console.log(`  changed into: ${classes.map((c, k) => `${c} ${into[k]}`).join(', ')}`);
}
