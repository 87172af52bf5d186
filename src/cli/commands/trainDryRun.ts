/**
 * `semifer train --dry-run`: the configuration a run would use, resolved from
 * the preset, the config file and the flags, printed without reading an image
 * or loading the engine. Options that a run still needs (--root, --out) are
 * named rather than refused, so a preset can be looked at on its own.
 */
import { EXIT } from '../exitCodes.js';
import { TRAIN_OPTIONS } from './trainOptions.js';
import type { TrainConfig } from '../../train/index.js';
import { findPreset } from '../../train/presets.js';
import type { CommandContext } from '../command.js';
import type { ValueSource } from '../options/spec.js';

export async function printDryRun(ctx: CommandContext<unknown>, o: { preset?: string }, cfg: TrainConfig): Promise<number> {
  const preset = o.preset === undefined ? undefined : findPreset(o.preset);
  const missing = TRAIN_OPTIONS.filter((s) => 'required' in s && s.required && ctx.sources[s.name] === 'unset').map((s) => `--${s.name}`);
  const bySource = (source: ValueSource) => Object.entries(ctx.sources).filter(([name, from]) => from === source && name !== 'dry-run' && name in optionNames).map(([name]) => name);
  const sources = { preset: bySource('preset'), config: bySource('config'), cli: bySource('cli') };
  if (ctx.json) {
    ctx.printJson({ ok: true, config: cfg, preset: preset ? { name: preset.name, source: preset.source, notes: preset.notes } : null, sources, missing });
    return EXIT.OK;
  }
  const lines: string[] = [];
  if (preset) {
    lines.push(`preset ${preset.name}: ${preset.summary}`, `  source: ${preset.source.paper}`, `  where: ${preset.source.where}`);
    for (const note of preset.notes) lines.push(`  note: ${note}`);
    lines.push('');
  }
  for (const [key, value] of Object.entries(cfg)) {
    if (value === undefined) continue;
    lines.push(`${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`);
  }
  lines.push('');
  if (sources.preset.length) lines.push(`from the preset: ${sources.preset.join(', ')}`);
  if (sources.config.length) lines.push(`from ${ctx.configFile ?? 'the config file'}: ${sources.config.join(', ')}`);
  if (sources.cli.length) lines.push(`from the command line: ${sources.cli.join(', ')}`);
  if (missing.length) lines.push(`still needed to train: ${missing.join(', ')}`);
  ctx.print(lines.join('\n'));
  return EXIT.OK;
}

/** The train options' names (the sources also list the global options). */
const optionNames: Record<string, true> = Object.fromEntries(TRAIN_OPTIONS.map((s) => [s.name, true]));
