/** `semifer compare RUNDIR...`: one table (methods × label budgets) and overlaid accuracy curves. */
import { writeFileSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'Compare runs: one table and overlaid test-accuracy curves',
  usage: 'semifer compare RUNDIR|SWEEPDIR... [--out FILE]',
  description: 'A sweep folder (semifer sweep) stands for its finished runs.',
  examples: ['semifer compare runs/supervised runs/adacm runs/dta-snl', 'semifer compare runs/* --out compare.html --json', 'semifer compare runs/few-labels'],
  options: [
    { name: 'runs', type: 'path', array: true, positional: true, required: true, placeholder: 'RUNDIR', description: 'Finished run folders, or sweep folders' },
    { name: 'out', type: 'path', placeholder: 'FILE', description: 'Also write an HTML page with the table and curves' },
  ],
  async run(ctx) {
    const { reportDataLight, formatCompareTable, renderCompareHtml, compareRows } = await import('../../report/index.js');
    const { sweepRunDirs } = await import('../../sweep/table.js');
    const runs = ctx.options.runs.flatMap(sweepRunDirs).map((r) => reportDataLight(r));
    if (ctx.options.out) writeFileSync(ctx.options.out, renderCompareHtml(runs));
    if (ctx.json) ctx.printJson({ ok: true, rows: compareRows(runs), page: ctx.options.out ?? null });
    else ctx.print(formatCompareTable(runs) + (ctx.options.out ? `\npage: ${ctx.options.out}` : ''));
    return EXIT.OK;
  },
});
