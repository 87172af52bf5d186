/**
 * `semifer sweep FILE`: a grid or random search over methods, seeds and
 * hyper-parameters from one sweep file, as parallel `semifer train` processes;
 * resumable; ends with the table (mean ± sd over seeds) in SWEEP/results.md
 * and results.json, and the sensitivity plots in SWEEP/index.html.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exitCodes.js';

export const sweepCommand = defineCommand({
  name: 'sweep',
  summary: 'Train every method × seed × hyper-parameter setting of a sweep file in parallel; table and sensitivity plots',
  usage: 'semifer sweep FILE [--out DIR] [--set [METHOD.]OPTION=VALUE]... [--methods M,…] [--seeds S,…] [--jobs N | --gpus N] [--resume] [--dry-run | --table-only]',
  description: 'FILE (YAML or JSON) holds the train options every run shares (train:), the methods (methods:, each with its own options), ' +
    'the seeds (seeds:) and the axes: grid: (every combination) or random: (samples: drawn from uniform, log-uniform, int-uniform or choice), ' +
    'an axis being a train option (lr, margin-scale) or hyper.NAME; see docs/sweep.md. Runs are semifer train processes writing to DIR/<run>/ ' +
    '(output in DIR/<run>/train.log). A run with a summary.json is skipped; an interrupted run continues from its checkpoint with --resume. ' +
    'The table is DIR/results.md and results.json, the sensitivity plots DIR/index.html; semifer compare DIR reads the runs.',
  examples: [
    'semifer sweep sweeps/few-labels.yaml',
    'semifer sweep sweeps/few-labels.yaml --jobs 2 --resume',
    'semifer sweep sweeps/few-labels.yaml --set lr=0.001 --set epochs=24 --set dta-snl.threshold-momentum=0.99 --out runs/few-labels-lr1e-3',
    'semifer sweep sweeps/adacm-sensitivity.yaml --dry-run',
    'semifer sweep sweeps/few-labels.yaml --table-only --json',
  ],
  options: [
    { name: 'file', type: 'path', positional: true, required: true, placeholder: 'FILE', description: 'The sweep file (.yaml, .yml or .json)' },
    { name: 'out', type: 'path', placeholder: 'DIR', description: "The sweep folder (default: the file's out:)" },
    { name: 'set', type: 'string', array: true, placeholder: '[METHOD.]OPTION=VALUE', description: "Change a train option of every run, or of one methods: entry's runs (repeatable); give a new --out, the runs' folder names do not show it" },
    { name: 'methods', type: 'string', array: true, placeholder: 'M,…', description: 'Only these methods: entries' },
    { name: 'seeds', type: 'int', min: 0, array: true, placeholder: 'S,…', description: "Instead of the file's seeds" },
    { name: 'jobs', type: 'int', min: 1, placeholder: 'N', description: 'Runs side by side (default: one per CPU core); each gets cores/N threads' },
    { name: 'gpus', type: 'int', min: 1, placeholder: 'N', description: 'One run per GPU at a time, on cuda:0 … cuda:N−1 (instead of --jobs)' },
    { name: 'resume', type: 'boolean', description: 'Continue interrupted runs from their checkpoints (finished runs are always skipped)' },
    { name: 'dry-run', type: 'boolean', description: 'List the runs and their state (finished, interrupted, new) and exit' },
    { name: 'table-only', type: 'boolean', description: 'Train nothing: write the table and page from the runs finished so far' },
  ],
  handlesInterrupt: true,
  async run(ctx) {
    const o = ctx.options;
    const { availableParallelism } = await import('node:os');
    const { planSweep } = await import('../../sweep/plan.js');
    const { checkRuns, prepareData, runSweep, runState, writeManifest } = await import('../../sweep/runner.js');
    const { sweepTable, sweepMarkdown } = await import('../../sweep/table.js');
    const { renderSweepHtml } = await import('../../sweep/page.js');
    const { UsageError } = await import('../errors.js');
    if (o.jobs !== undefined && o.gpus !== undefined) throw new UsageError('--jobs and --gpus: give one (with --gpus, one run per GPU)');
    const plan = await planSweep(o.file, { out: o.out, set: o.set, methods: o.methods.flatMap((m) => m.split(',')), seeds: o.seeds });

    if (o.dryRun) {
      const states = plan.runs.map((r) => ({ name: r.name, dir: r.dir, state: runState(r), command: `semifer train ${r.argv.join(' ')}` }));
      if (ctx.json) ctx.printJson({ ok: true, out: plan.out, runs: states });
      else ctx.print([`${plan.runs.length} runs in ${plan.out} (${plan.methods.join(', ')} × seeds ${plan.seeds.join(', ')}${plan.axes.length ? ` × ${plan.search} over ${plan.axes.map((a) => a.name).join(', ')}` : ''}):`,
        ...states.map((s) => `  ${s.state.padEnd(11)} ${s.name}`)].join('\n'));
      return EXIT.OK;
    }

    const jobs = o.gpus ?? o.jobs ?? availableParallelism();
    let failed: string[] = [];
    if (!o.tableOnly) {
      checkRuns(plan, o.resume);
      writeManifest(plan);
      await prepareData(plan, ctx.env);
      const bar = ctx.progress({ total: plan.runs.length, label: 'sweep', unit: 'run' });
      let ended = 0;
      const outcomes = await runSweep(plan, {
        jobs, gpus: o.gpus, resume: o.resume, signal: ctx.signal, env: ctx.env,
        onStart: (run, resumed) => bar.log(`${resumed ? 'resuming' : 'starting'} ${run.name}`),
        onEnd: (run, outcome, detail) => {
          bar.update(++ended);
          if (outcome !== 'stopped') bar.log(`${outcome} ${run.name}${outcome === 'failed' ? `: ${detail}` : ''}`);
        },
      });
      bar.done();
      failed = [...outcomes].filter(([, v]) => v === 'failed').map(([k]) => k);
    }

    // The table covers the runs this invocation planned: after sweeps over subsets
    // (--methods, --seeds), `--table-only` with the whole file tabulates them all.
    if (o.tableOnly) writeManifest(plan);
    const table = sweepTable(plan.out);
    const markdown = sweepMarkdown(table);
    writeFileSync(join(plan.out, 'results.md'), markdown);
    writeFileSync(join(plan.out, 'results.json'), JSON.stringify(table, null, 2));
    writeFileSync(join(plan.out, 'index.html'), renderSweepHtml(`Sweep ${o.file}`, table));
    if (ctx.json) ctx.printJson({ ok: failed.length === 0, out: plan.out, failed, ...table });
    else ctx.print(`${markdown}\ntable: ${join(plan.out, 'results.md')}, plots: ${join(plan.out, 'index.html')}`);
    if (ctx.signal.aborted) return EXIT.INTERRUPTED;
    if (failed.length) throw new CliError(`${failed.length} run(s) failed: ${failed.join(', ')} (see each run's train.log); semifer sweep ${o.file} --resume retries them`);
    return EXIT.OK;
  },
});
