/**
 * The command registry: `semifer <name>` looks its command up here.
 *
 * To add a command (e.g. `semifer train`):
 *   1. create src/cli/commands/train.ts exporting
 *        export const trainCommand = defineCommand({ name: 'train', summary, usage, examples, options: [...], async run(ctx) { … } });
 *      (info.ts is the smallest example; data/synth.ts shows options, a progress bar and --json);
 *   2. import it below and add it to COMMANDS (the order is the order in `semifer --help`).
 * A group of subcommands is `commandGroup({ name, summary, subcommands })`, see data/index.ts.
 *
 * Keep a command file's top-level imports light: import the engine, data or
 * model modules inside `run()` (`await import(…)`), so `semifer --help` stays
 * fast and never loads the LibTorch addon (≈ 0.4 s).
 */
import type { Command } from '../command.js';
import { dataCommand } from './data/index.js';
import { infoCommand } from './info.js';
import { trainCommand } from './train.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { predictCommand } from './predict.js';
import { reportCommand } from './report.js';
import { compareCommand } from './compare.js';
import { presetsCommand } from './presets.js';
import { sweepCommand } from './sweep.js';
import { demoCommand } from './demo.js';
import { serveCommand } from './serve.js';
import { modelsCommand } from './models.js';
import { labelCommand } from './label/index.js';

export const COMMANDS: readonly Command[] = [
  dataCommand,
  trainCommand,
  presetsCommand,
  evalCommand,
  exportCommand,
  predictCommand,
  reportCommand,
  compareCommand,
  sweepCommand,
  serveCommand,
  modelsCommand,
  labelCommand,
  demoCommand,
  infoCommand,
];
