/** `semifer label …`: choose the faces worth labelling, label them in the browser, see where the labels stand. */
import { commandGroup } from '../../command.js';
import { suggestCommand } from './suggest.js';
import { labelServeCommand } from './serve.js';
import { labelStatusCommand } from './status.js';

export const labelCommand = commandGroup({
  name: 'label',
  summary: 'Label faces: suggest which ones, label them in a local page, status',
  subcommands: [suggestCommand, labelServeCommand, labelStatusCommand],
});
