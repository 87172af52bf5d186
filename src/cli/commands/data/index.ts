/** `semifer data …`: dataset utilities. */
import { commandGroup } from '../../command.js';
import { inspectCommand } from './inspect.js';
import { synthCommand } from './synth.js';
import { mnistCommand } from './mnist.js';
import { facesCommand } from './faces.js';

export const dataCommand = commandGroup({
  name: 'data',
  summary: 'Datasets: generate synthetic faces, write the MNIST digits, inspect a dataset, crop the faces of photos',
  subcommands: [synthCommand, mnistCommand, inspectCommand, facesCommand],
});
