/**
 * The dispatcher in-process, with a test registry and fake streams: command
 * lookup and suggestions, groups, help and version, global flags anywhere,
 * --json documents (also for failures), and how each kind of error maps to an
 * exit code and a message (one line, stack only when asked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandGroup, defineCommand, type Command } from '../../src/cli/command.js';
import { UsageError } from '../../src/cli/errors.js';
import { EXIT } from '../../src/cli/exitCodes.js';
import { runCli } from '../../src/cli/run.js';
import { DataError } from '../../src/data/types.js';

const greet = defineCommand({
  name: 'greet',
  summary: 'Say hello',
  usage: 'semifer greet --name NAME',
  examples: ['semifer greet --name Ada'],
  options: [
    { name: 'name', type: 'string', required: true, description: 'Who' },
    { name: 'times', type: 'int', min: 1, default: 1, description: 'How often' },
  ],
  async run(ctx) {
    const name: string = ctx.options.name; // typed from the spec
    ctx.log('greeting…');
    if (ctx.json) ctx.printJson({ greeting: `hello ${name}`, times: ctx.options.times });
    else ctx.print(`hello ${name}`.repeat(ctx.options.times));
    return EXIT.OK;
  },
});

const thrower = (name: string, error: () => unknown): Command => defineCommand({
  name, summary: `throws (${name})`, usage: `semifer ${name}`, examples: [`semifer ${name}`], options: [],
  async run() {
    throw error();
  },
});

class DivergedError extends Error {
  readonly exitCode = 3;
}

const COMMANDS: readonly Command[] = [
  greet,
  commandGroup({ name: 'grp', summary: 'A group', subcommands: [greet] }),
  thrower('bad-data', () => new DataError('/data/labels.txt', 12, 'expected 2 columns, got 3')),
  thrower('diverge', () => new DivergedError('loss became NaN at step 41')),
  thrower('boom', () => new TypeError('cannot read properties of undefined')),
  thrower('usage', () => new UsageError('--lr: expected a number, got x')),
  thrower('nofile', () => Object.assign(new Error("ENOENT: no such file or directory, open 'x.pt'"), { code: 'ENOENT' })),
];

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    commands: COMMANDS, env,
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

test('a command runs with typed options; logs go to stderr, the result to stdout', async () => {
  const r = await run(['greet', '--name', 'Ada', '--times', '2']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'hello Adahello Ada\n');
  assert.equal(r.stderr, 'greeting…\n');
  assert.equal((await run(['greet', '--name', 'Ada', '-q'])).stderr, '', '--quiet silences logs');
});

test('--json: one parseable document on stdout; global flags may come before the command', async () => {
  for (const argv of [['greet', '--name', 'Ada', '--json'], ['--json', 'greet', '--name', 'Ada']]) {
    const r = await run(argv);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { greeting: 'hello Ada', times: 1 });
  }
  // A failure under --json is a JSON document too.
  const bad = await run(['greet', '--json']);
  assert.equal(bad.code, EXIT.USAGE);
  assert.deepEqual(JSON.parse(bad.stdout), { ok: false, error: { message: 'missing required option --name: expected a string', exitCode: 2 } });
});

test('unknown commands and subcommands: suggestion and exit 2', async () => {
  const r = await run(['gret', '--name', 'x']);
  assert.equal(r.code, EXIT.USAGE);
  assert.match(r.stderr, /^semifer: unknown command 'gret'; did you mean 'greet'\?\nRun 'semifer --help' for usage\.\n$/);
  const sub = await run(['grp', 'greeet']);
  assert.equal(sub.code, EXIT.USAGE);
  assert.match(sub.stderr, /'semifer grp' has no subcommand 'greeet'; did you mean 'greet'\?/);
  const missing = await run(['grp']);
  assert.equal(missing.code, EXIT.USAGE);
  assert.match(missing.stderr, /missing subcommand: semifer grp <greet>/);
  const none = await run([]);
  assert.equal(none.code, EXIT.USAGE);
  assert.match(none.stderr, /Usage: semifer <command>/);
});

test('help: --help, -h, `help <command>`, groups; shown even when other options are wrong', async () => {
  for (const argv of [['greet', '--help'], ['greet', '-h', '--times', 'zero'], ['help', 'greet'], ['grp', 'greet', '--help']]) {
    const r = await run(argv);
    assert.equal(r.code, 0, argv.join(' '));
    assert.match(r.stdout, /Usage: semifer greet --name NAME/);
    assert.match(r.stdout, /semifer greet --name Ada/);
  }
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /grp greet/);
  const group = await run(['grp', '--help']);
  assert.match(group.stdout, /Commands:\n {2}greet/);
  assert.match((await run(['--version'])).stdout, /^semifer \d+\.\d+\.\d+\n$/);
});

test('errors map to exit codes; expected ones print one line without a stack', async () => {
  const data = await run(['bad-data']);
  assert.equal(data.code, EXIT.FAILURE);
  assert.equal(data.stderr, 'semifer: /data/labels.txt:12: expected 2 columns, got 3\n');

  const diverged = await run(['diverge']);
  assert.equal(diverged.code, EXIT.DIVERGED);
  assert.equal(diverged.stderr, 'semifer: loss became NaN at step 41\n');

  const usage = await run(['usage']);
  assert.equal(usage.code, EXIT.USAGE);
  assert.match(usage.stderr, /semifer: --lr: expected a number, got x\nRun 'semifer usage --help' for usage\./);

  const nofile = await run(['nofile']);
  assert.equal(nofile.code, EXIT.FAILURE);
  assert.ok(!nofile.stderr.includes('    at '));
});

test('unexpected errors: message and a hint; the stack with --verbose or SEMIFER_DEBUG=1', async () => {
  const plain = await run(['boom']);
  assert.equal(plain.code, EXIT.FAILURE);
  assert.match(plain.stderr, /semifer: unexpected error: cannot read properties of undefined/);
  assert.match(plain.stderr, /--verbose/);
  assert.ok(!plain.stderr.includes('    at '));
  assert.match((await run(['boom', '--verbose'])).stderr, /TypeError: cannot read[^\n]*\n\s+at /);
  assert.match((await run(['boom'], { SEMIFER_DEBUG: '1' })).stderr, /\n\s+at /);
});

test('colours: red errors only with a TTY or FORCE_COLOR', async () => {
  assert.ok(!(await run(['diverge'])).stderr.includes('\x1b['));
  assert.ok((await run(['diverge'], { FORCE_COLOR: '1' })).stderr.includes('\x1b[31m'));
});
