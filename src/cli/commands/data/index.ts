/** `semifer data …`: dataset utilities. */
import { commandGroup } from '../../command.js';
import { inspectCommand } from './inspect.js';
import { synthCommand } from './synth.js';

export const dataCommand = commandGroup({
  name: 'data',
  summary: 'Datasets: generate synthetic faces, inspect a dataset',
  subcommands: [synthCommand, inspectCommand],
});
