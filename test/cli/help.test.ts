/**
 * Help text generated from the registry: every command's help lists every
 * visible option (with type facts, defaults and allowed values) and every
 * example; the registry itself is consistent (no clashes with global options,
 * examples are real command lines that parse).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { GLOBAL_OPTIONS as GLOBALS } from '../../src/cli/globalOptions.js';
import { formatCommandHelp, formatTopHelp, optionFacts, optionFlags } from '../../src/cli/help.js';
import { options, resolveOptions, type OptionSpec } from '../../src/cli/options/index.js';

const GLOBAL_OPTIONS: readonly OptionSpec[] = GLOBALS;
import { createStyle } from '../../src/cli/style.js';

const plain = { style: createStyle({ isTTY: false }, {}), width: 100 };

/** Every leaf command with its path (`['data', 'synth']`). */
function leaves(list: readonly Command[], prefix: string[] = []): [string[], Command][] {
  return list.flatMap((c) => (c.subcommands ? leaves(c.subcommands, [...prefix, c.name]) : [[[...prefix, c.name], c] as [string[], Command]]));
}

/** Collapses the wrapping so a phrase split across lines still matches. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

test('every command: help has the usage line, every option with its facts, every example', () => {
  assert.ok(leaves(COMMANDS).length >= 3);
  for (const [path, cmd] of leaves(COMMANDS)) {
    const help = formatCommandHelp(cmd, path, plain);
    const text = flat(help);
    assert.ok(help.startsWith(`semifer ${path.join(' ')} — ${cmd.summary}`), path.join(' '));
    assert.ok(text.includes(`Usage: ${cmd.usage}`));
    for (const o of [...cmd.options, ...GLOBAL_OPTIONS]) {
      if (o.hidden) continue;
      assert.ok(help.includes(optionFlags(o).trim()), `${path.join(' ')}: ${o.name} flags`);
      assert.ok(text.includes(flat(o.description)), `${path.join(' ')}: ${o.name} description`);
      const facts = optionFacts(o);
      if (facts) assert.ok(text.includes(facts), `${path.join(' ')}: ${o.name} facts ${facts}`);
    }
    for (const e of cmd.examples) assert.ok(help.includes(`  ${e}\n`), `${path.join(' ')}: example ${e}`);
  }
});

test('the registry: names unique, no clash with global options, examples parse with their own options', () => {
  const globals = new Set(GLOBAL_OPTIONS.map((o) => o.name));
  const globalShorts = new Set(GLOBAL_OPTIONS.map((o) => o.short).filter(Boolean));
  const top = COMMANDS.map((c) => c.name);
  assert.equal(new Set(top).size, top.length);
  for (const [path, cmd] of leaves(COMMANDS)) {
    assert.ok(cmd.examples.length > 0, `${path.join(' ')} has examples`);
    assert.ok(cmd.usage.startsWith(`semifer ${path.join(' ')}`), `${path.join(' ')} usage starts with its path`);
    for (const o of cmd.options) {
      assert.ok(!globals.has(o.name), `${path.join(' ')}: --${o.name} clashes with a global option`);
      assert.ok(!o.short || !globalShorts.has(o.short), `${path.join(' ')}: -${o.short} clashes with a global option`);
    }
    for (const example of cmd.examples) {
      const words = example.split(/\s+/);
      assert.deepEqual(words.slice(0, path.length + 1), ['semifer', ...path], example);
      // Throws a UsageError if an example uses a wrong option or value. The
      // config files that examples name do not exist here, so they are left out.
      const args = words.slice(path.length + 1).filter((w, i, all) => w !== '--config' && all[i - 1] !== '--config' && !w.startsWith('--config='));
      const required = new Set(cmd.options.filter((o) => o.required).map((o) => o.name));
      const usesConfig = args.length < words.length - path.length - 1;
      // With a config file the required options may live in it: only check the given flags then.
      const spec = usesConfig ? [...cmd.options, ...GLOBAL_OPTIONS].map((o) => (required.has(o.name) ? { ...o, required: false } : o)) : [...cmd.options, ...GLOBAL_OPTIONS];
      resolveOptions(spec as readonly OptionSpec[], args);
    }
  }
});

test('top-level help lists every command and subcommand, the global options and the exit codes', () => {
  const help = formatTopHelp(COMMANDS, '9.9.9', plain);
  assert.ok(help.includes('semifer 9.9.9'));
  for (const [path, cmd] of leaves(COMMANDS)) assert.ok(help.includes(`  ${path.join(' ')}`) && flat(help).includes(cmd.summary), path.join(' '));
  for (const o of GLOBAL_OPTIONS) assert.ok(help.includes(`--${o.name}`));
  assert.ok(help.includes('--version'));
  assert.match(help, /^\s+2 {2}usage or config-file error$/m);
  assert.match(help, /^\s+130 {2}interrupted/m);
});

test('option facts: types, ranges, allowed values, defaults, required, repeatable, exclusive, positional', () => {
  const spec = options([
    { name: 'n', type: 'int', min: 1, required: true, description: 'Count' },
    { name: 'lr', type: 'number', min: 0, max: 1, default: 0.1, description: 'Rate' },
    { name: 'method', type: 'enum', values: ['a', 'b'], default: 'a', description: 'Method' },
    { name: 'cache', type: 'boolean', default: true, description: 'Cache' },
    { name: 'seed', type: 'int', array: true, description: 'Seeds' },
    { name: 'root', type: 'path', positional: true, description: 'Root' },
    { name: 'per-class', type: 'int', exclusive: 'labels', description: 'Per class' },
    { name: 'fraction', type: 'number', exclusive: 'labels', description: 'Fraction' },
    { name: 'secret', type: 'string', hidden: true, description: 'Hidden' },
  ]);
  const cmd: Command = { name: 't', summary: 'test', usage: 'semifer t', examples: ['semifer t --n 1'], options: spec, run: async () => 0 };
  const help = formatCommandHelp(cmd, ['t'], plain);
  assert.match(help, /--n N +Count\. \(int ≥ 1; required\)/);
  assert.match(help, /--lr X +Rate\. \(number in \[0, 1\]; default: 0\.1\)/);
  assert.match(help, /--method NAME +Method\. \(one of: a, b; default: a\)/);
  assert.match(help, /--\[no-\]cache +Cache\. \(default: true\)/);
  assert.match(help, /--seed N +Seeds\. \(int; repeatable or comma-separated\)/);
  assert.match(help, /--root PATH +Root\. \(path; or as argument <root>\)/);
  assert.match(help, /--per-class N +Per class\. Not with --fraction\. \(int\)/);
  assert.ok(!help.includes('secret'));
});

test('colours only when enabled: help for a TTY is styled, for a pipe is plain', () => {
  const [path, cmd] = leaves(COMMANDS)[0]!;
  const tty = formatCommandHelp(cmd, path, { style: createStyle({ isTTY: true }, {}), width: 100 });
  assert.ok(tty.includes('\x1b['));
  assert.ok(!formatCommandHelp(cmd, path, plain).includes('\x1b['));
});

test('data inspect offers every dataset format the readers know', async () => {
  const { INSPECT_FORMATS } = await import('../../src/cli/commands/data/inspect.js');
  const { DATASET_FORMATS } = await import('../../src/data/readers/index.js');
  assert.deepEqual([...INSPECT_FORMATS].sort(), [...DATASET_FORMATS].sort());
});
