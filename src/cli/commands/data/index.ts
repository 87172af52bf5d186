/** `semifer data …`: dataset utilities. */
import { commandGroup } from '../../command.js';
import { inspectCommand } from './inspect.js';
import { synthCommand } from './synth.js';
import { facesCommand } from './faces.js';

export const dataCommand = commandGroup({
  name: 'data',
  summary: 'Datasets: generate synthetic faces, inspect a dataset, crop the faces of photos',
  subcommands: [synthCommand, inspectCommand, facesCommand],
});
