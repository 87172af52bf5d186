/** `semifer presets`: the papers' protocols that `semifer train --preset NAME` loads, with their sources. */
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';

export const presetsCommand = defineCommand({
  name: 'presets',
  summary: "List the papers' training protocols that train --preset loads, with their sources",
  usage: 'semifer presets [NAME] [--json]',
  description: 'Each preset holds `semifer train` option values as a config file would; flags and --config override them. ' +
    'With NAME: that preset\'s values, source and notes (semifer train --preset NAME --dry-run shows the whole resolved configuration).',
  examples: ['semifer presets', 'semifer presets adacm-rafdb-400', 'semifer presets --json'],
  options: [
    { name: 'name', type: 'string', positional: true, placeholder: 'NAME', description: 'Show one preset in full' },
  ],
  async run(ctx) {
    const { TRAIN_PRESETS, findPreset } = await import('../../train/presets.js');
    const { UsageError } = await import('../errors.js');
    const { didYouMean } = await import('../options/suggest.js');
    const name = ctx.options.name;
    const chosen = name === undefined ? TRAIN_PRESETS : [findPreset(name)].filter((p) => p !== undefined);
    if (name !== undefined && chosen.length === 0) {
      throw new UsageError(`unknown preset '${name}'${didYouMean(name, TRAIN_PRESETS.map((p) => p.name), (c) => `'${c}'`)}`);
    }
    if (ctx.json) {
      ctx.printJson({ ok: true, presets: chosen });
      return EXIT.OK;
    }
    if (name === undefined) {
      const width = Math.max(...chosen.map((p) => p.name.length));
      ctx.print(chosen.map((p) => `${p.name.padEnd(width)}  ${p.summary}\n${' '.repeat(width)}  source: ${p.source.paper}`).join('\n') +
        '\n\nsemifer presets NAME shows one in full; semifer train --preset NAME --dry-run the configuration it resolves to.');
      return EXIT.OK;
    }
    const p = chosen[0]!;
    ctx.print([
      `${p.name}: ${p.summary}`,
      `source: ${p.source.paper}`,
      `where: ${p.source.where}`,
      '',
      ...Object.entries(p.options).map(([k, v]) => `${k}: ${v}`),
      '',
      ...p.notes.map((n) => `note: ${n}`),
    ].join('\n'));
    return EXIT.OK;
  },
});
