/**
 * The benches' flag parsing: --help, values, and the refusals that keep a
 * misspelt flag from running a long bench with its default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchArgs } from '../../bench/args.js';

const argsModule = fileURLToPath(new URL('../../bench/args.js', import.meta.url));

/** benchArgs in a child (it exits on --help and on a bad flag): its exit code, stdout and stderr. */
function run(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = `import { benchArgs } from ${JSON.stringify(argsModule)};
const arg = benchArgs('node bench.js [--seeds S] [--out DIR]', ['seeds', 'out'], process.argv.slice(1)); // -e: no script path in argv
console.log(JSON.stringify({ seeds: arg('seeds', '0,1,2'), out: arg('out', 'here') }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', ...argv], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('flags given are read, others fall back to their defaults', () => {
  const arg = benchArgs('u', ['seeds', 'out'], ['--seeds', '4,5']);
  assert.equal(arg('seeds', '0'), '4,5');
  assert.equal(arg('out', 'here'), 'here');
});

test('--help prints the usage and exits 0 before anything runs', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), 'usage: node bench.js [--seeds S] [--out DIR]');
});

test('an unknown flag, a flag without its value, or a stray word exits 2 naming it, with the usage', () => {
  const unknown = run(['--seed', '4']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown argument '--seed'; expected one of --seeds, --out\nusage: node bench\.js/);
  assert.equal(unknown.stdout, '', 'nothing ran');
  const bare = run(['--out']);
  assert.equal(bare.status, 2);
  assert.match(bare.stderr, /--out needs a value/);
  const followed = run(['--out', '--seeds', '1']);
  assert.match(followed.stderr, /--out needs a value/);
  assert.match(run(['stray']).stderr, /unknown argument 'stray'/);
  assert.deepEqual(JSON.parse(run(['--out', 'd', '--seeds', '7']).stdout), { seeds: '7', out: 'd' });
});
