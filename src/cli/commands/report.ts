/** `semifer report --run RUNDIR`: one self-contained report.html for a finished run. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { phaseProgress } from '../progress.js';

export async function writeRunReport(run: string, onProgress?: (what: string, done: number, total: number) => void, out?: string): Promise<string> {
  const { reportDataFull, renderReportHtml } = await import('../../report/index.js');
  const data = await reportDataFull(run, { onProgress });
  const path = out ?? join(run, 'report.html');
  writeFileSync(path, renderReportHtml(data));
  return path;
}

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'Write report.html for a run: curves, thresholds, confusion, t-SNE, faces',
  usage: 'semifer report --run RUNDIR [--out FILE]',
  description: 'Reads the run folder (metrics.jsonl, summary.json, model.safetensors) and the test split of its dataset; ' +
    'the page works offline (charts are inline SVG, faces inline PNG).',
  examples: ['semifer report --run runs/adacm-400', 'semifer report --run runs/demo/adacm --out /tmp/adacm.html'],
  options: [
    { name: 'run', type: 'path', required: true, positional: true, placeholder: 'RUNDIR', description: 'A finished run folder (from semifer train)' },
    { name: 'out', type: 'path', placeholder: 'FILE', description: 'Where to write the page (default RUNDIR/report.html)' },
  ],
  async run(ctx) {
    const phases = phaseProgress((label, total) => ctx.progress({ total, label }));
    const path = await writeRunReport(ctx.options.run, phases.update, ctx.options.out);
    phases.done();
    if (ctx.json) ctx.printJson({ ok: true, report: path });
    else ctx.print(`report: ${path}`);
    return EXIT.OK;
  },
});
