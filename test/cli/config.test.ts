/**
 * Config files through resolveOptions: YAML and JSON, kebab- and camelCase
 * keys, command line over config, every unknown key and wrong value reported
 * with the file and line, paths relative to the config file.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { options, resolveOptions, resolveOptionsDetailed } from '../../src/cli/options/index.js';
import { UsageError } from '../../src/cli/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'semifer-cli-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail('expected a UsageError');
}

const SPEC = options([
  { name: 'epochs', type: 'int', min: 1, default: 20, description: 'x' },
  { name: 'lr', type: 'number', min: 0, description: 'x' },
  { name: 'method', type: 'enum', values: ['adacm', 'fixmatch'], default: 'adacm', description: 'x' },
  { name: 'ema', type: 'boolean', default: true, description: 'x' },
  { name: 'run-name', type: 'string', description: 'x' },
  { name: 'out', type: 'path', description: 'x' },
  { name: 'seed', type: 'int', array: true, description: 'x' },
  { name: 'labels-per-class', type: 'int', exclusive: 'labels', description: 'x' },
  { name: 'label-fraction', type: 'number', exclusive: 'labels', description: 'x' },
  { name: 'config', type: 'path', configurable: false, description: 'x' },
]);

test('YAML: kebab and camelCase keys, typed values, lists, paths relative to the file', () => {
  const file = write('ok.yaml', [
    '# a comment',
    'epochs: 5',
    'lr: 5.0e-4',
    'method: fixmatch',
    'ema: false',
    'runName: 2024',
    'out: runs/a',
    'seed:',
    '  - 1',
    '  - 2',
    'labels-per-class:',
  ].join('\n'));
  const r = resolveOptionsDetailed(SPEC, ['--config', file]);
  assert.deepEqual(r.values, {
    epochs: 5, lr: 0.0005, method: 'fixmatch', ema: false, runName: '2024', out: join(dir, 'runs/a'), seed: [1, 2],
    labelsPerClass: undefined, labelFraction: undefined, config: file,
  });
  assert.equal(r.sources.epochs, 'config');
  assert.equal(r.sources['labels-per-class'], 'unset');
  assert.equal(r.configFile, file);
});

test('JSON config, and the configFile setting instead of --config', () => {
  const file = write('ok.json', JSON.stringify({ epochs: 3, 'label-fraction': 0.1, seed: 7 }, null, 2));
  const v = resolveOptions(SPEC, [], { configFile: file });
  assert.equal(v.epochs, 3);
  assert.equal(v.labelFraction, 0.1);
  assert.deepEqual(v.seed, [7]);
});

test('command-line flags override the config; a CLI member of an exclusive group replaces the config one', () => {
  const file = write('override.yaml', 'epochs: 5\nlabels-per-class: 25\nseed: [1, 2]\nema: false\n');
  const r = resolveOptionsDetailed(SPEC, ['--epochs', '9', '--label-fraction', '0.05', '--seed', '3', '--ema', '--config', file]);
  assert.equal(r.values.epochs, 9);
  assert.equal(r.sources.epochs, 'cli');
  assert.equal(r.values.labelsPerClass, undefined);
  assert.equal(r.values.labelFraction, 0.05);
  assert.deepEqual(r.values.seed, [3]);
  assert.equal(r.values.ema, true);
});

test('YAML: every unknown key (with suggestion) and every wrong value, each with its line', () => {
  const file = write('bad.yaml', [
    'epochs: many',        // 1
    'lables-per-class: 3', // 2
    'method: fixmach',     // 3
    'lr: -1',              // 4
    'seed:',               // 5
    '  - 1',               // 6
    '  - two',             // 7
    'ema: [true]',         // 8
    'config: other.yaml',  // 9
    'totally_unknown: 1',  // 10
    'runName: ok',         // 11
    'run-name: again',     // 12
  ].join('\n'));
  assert.deepEqual(problems(() => resolveOptions(SPEC, [], { configFile: file })), [
    `${file}:1: epochs: expected an integer ≥ 1, got 'many'`,
    `${file}:2: unknown key 'lables-per-class'; did you mean 'labels-per-class'?`,
    `${file}:3: method: expected one of adacm, fixmatch, got 'fixmach'; did you mean 'fixmatch'?`,
    `${file}:4: lr: expected a number ≥ 0, got -1`,
    `${file}:7: seed: item 2: expected an integer, got 'two'`,
    `${file}:8: ema: expected true or false, got a list (only repeatable options take lists)`,
    `${file}:9: 'config' cannot be set in a config file (use --config on the command line)`,
    `${file}:10: unknown key 'totally_unknown'`,
    `${file}:12: 'run-name' sets the same option as 'runName' above`,
  ]);
});

test('exclusive options both set in the config are reported with their lines', () => {
  const file = write('excl.yaml', 'labels-per-class: 3\nlabel-fraction: 0.1\n');
  assert.deepEqual(problems(() => resolveOptions(SPEC, [], { configFile: file })), [
    `${file}:1: 'labels-per-class' and ${file}:2: 'label-fraction': only one of --labels-per-class, --label-fraction may be given`,
  ]);
});

test('JSON: wrong types with lines, syntax errors with a line, unknown keys', () => {
  const file = write('bad.json', '{\n  "epochs": "x",\n  "lr": true,\n  "methd": "adacm"\n}\n');
  assert.deepEqual(problems(() => resolveOptions(SPEC, [], { configFile: file })), [
    `${file}:2: epochs: expected an integer ≥ 1, got 'x'`,
    `${file}:3: lr: expected a number ≥ 0, got true`,
    `${file}:4: unknown key 'methd'; did you mean 'method'?`,
  ]);
  const broken = write('broken.json', '{\n  "epochs": 3,\n  oops\n}\n');
  const [msg] = problems(() => resolveOptions(SPEC, [], { configFile: broken }));
  assert.match(msg!, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: invalid JSON`));
});

test('file-level problems: missing file, bad extension, YAML syntax, not a mapping, empty file', () => {
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--config', join(dir, 'nope.yaml')])), [`--config: cannot read ${join(dir, 'nope.yaml')}: no such file`]);
  const txt = write('conf.txt', 'epochs: 3');
  assert.deepEqual(problems(() => resolveOptions(SPEC, [], { configFile: txt })), [`--config: ${txt}: expected a .yaml, .yml or .json file, got '.txt'`]);
  const syntax = write('syntax.yml', 'epochs: 3\nlr: [1, 2\nmethod: x\n');
  assert.match(problems(() => resolveOptions(SPEC, [], { configFile: syntax }))[0]!, /syntax\.yml:\d+: invalid YAML/);
  const list = write('list.yaml', '- 1\n- 2\n');
  assert.deepEqual(problems(() => resolveOptions(SPEC, [], { configFile: list })), [`${list}:1: expected a mapping of option names to values at the top level`]);
  const empty = write('empty.yaml', '# nothing\n');
  assert.equal(resolveOptions(SPEC, [], { configFile: empty }).epochs, 20);
});

test('config problems and command-line problems are reported together', () => {
  const file = write('mixed.yaml', 'epochs: 0\n');
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--lr', 'x', '--config', file])), [
    "--lr: expected a number ≥ 0, got 'x'",
    `${file}:1: epochs: expected an integer ≥ 1, got 0`,
  ]);
});

test("a path option's names (--pretrained human-models:mobilefacenet) are kept as written; its files resolve against the config's folder", async () => {
  const { TRAIN_OPTIONS } = await import('../../src/cli/commands/trainOptions.js');
  const required = ['--dataset', 'rafdb', '--root', 'data', '--out', 'runs/x'];
  const named = resolveOptions(TRAIN_OPTIONS, required, { configFile: write('named.yaml', 'pretrained: human-models:mobilefacenet\n') });
  assert.equal(named.pretrained, 'human-models:mobilefacenet');
  const file = resolveOptions(TRAIN_OPTIONS, required, { configFile: write('file.yaml', 'pretrained: weights/r18.pth\n') });
  assert.equal(file.pretrained, join(dir, 'weights/r18.pth'));
});
