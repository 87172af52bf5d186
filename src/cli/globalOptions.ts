/**
 * Options every command accepts. They are resolved together with the
 * command's own options (so a typo gets a suggestion from both lists); command
 * options must not reuse these names.
 */
import { options } from './options/spec.js';

export const GLOBAL_OPTIONS = options([
  { name: 'help', short: 'h', type: 'boolean', description: 'Show help for the command and exit', configurable: false },
  { name: 'json', type: 'boolean', description: 'Print one JSON document on stdout instead of text (logs go to stderr)' },
  { name: 'config', type: 'path', placeholder: 'FILE', description: 'Read option values from a YAML or JSON file (command-line flags override it)', configurable: false },
  { name: 'verbose', short: 'v', type: 'boolean', description: 'More detail on stderr, and stack traces of unexpected errors' },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'No progress bars or log lines on stderr' },
]);
