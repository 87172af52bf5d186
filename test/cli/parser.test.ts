/**
 * resolveOptions on the command line alone: every option type, `=` form,
 * booleans and --no-, arrays, positionals, exclusive groups, required options,
 * min/max, unknown options with suggestions, and the inferred value types.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { options, resolveOptions, resolveOptionsDetailed } from '../../src/cli/options/index.js';
import { UsageError } from '../../src/cli/errors.js';
import { editDistance, suggest } from '../../src/cli/options/suggest.js';

const SPEC = options([
  { name: 'name', type: 'string', description: 'a string' },
  { name: 'out', short: 'o', type: 'path', description: 'a path' },
  { name: 'epochs', short: 'e', type: 'int', min: 1, max: 1000, default: 20, description: 'an int' },
  { name: 'lr', type: 'number', min: 0, description: 'a number' },
  { name: 'ema', type: 'boolean', default: true, description: 'a default-true boolean' },
  { name: 'dry-run', type: 'boolean', description: 'a boolean' },
  { name: 'method', type: 'enum', values: ['adacm', 'fixmatch', 'scn'], default: 'adacm', description: 'an enum' },
  { name: 'seed', type: 'int', array: true, description: 'repeatable ints' },
  { name: 'tag', type: 'string', array: true, description: 'repeatable strings' },
  { name: 'labels-per-class', type: 'int', min: 1, exclusive: 'labels', description: 'n per class' },
  { name: 'label-fraction', type: 'number', min: 0, max: 1, exclusive: 'labels', description: 'fraction' },
]);

/** The UsageError's problem lines (fails the test when nothing is thrown). */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail('expected a UsageError');
}

test('defaults and typed values when nothing is given', () => {
  const v = resolveOptions(SPEC, []);
  assert.deepEqual(v, {
    name: undefined, out: undefined, epochs: 20, lr: undefined, ema: true, dryRun: false, method: 'adacm',
    seed: [], tag: [], labelsPerClass: undefined, labelFraction: undefined,
  });
  // Compile-time checks of the inferred types.
  const epochs: number = v.epochs;
  const method: 'adacm' | 'fixmatch' | 'scn' = v.method;
  const seeds: number[] = v.seed;
  const lr: number | undefined = v.lr;
  // @ts-expect-error lr may be undefined (no default, not required)
  const lrDefined: number = v.lr;
  // @ts-expect-error no such option
  void v.nope;
  void [epochs, method, seeds, lr, lrDefined];
});

test('every type, space and = forms, short flags', () => {
  const v = resolveOptions(SPEC, ['--name', 'run 1', '-o', 'out/dir', '--epochs=5', '--lr', '5e-4', '--method=fixmatch', '--dry-run']);
  assert.equal(v.name, 'run 1');
  assert.equal(v.out, 'out/dir');
  assert.equal(v.epochs, 5);
  assert.equal(v.lr, 0.0005);
  assert.equal(v.method, 'fixmatch');
  assert.equal(v.dryRun, true);
  assert.equal(resolveOptions(SPEC, ['-e', '7']).epochs, 7);
  assert.equal(resolveOptions(SPEC, ['-e=8']).epochs, 8);
  // Enum case does not matter; a value may start with '-' when it is a number.
  assert.equal(resolveOptions(SPEC, ['--method', 'SCN']).method, 'scn');
  assert.equal(resolveOptions(options([{ name: 'shift', type: 'number', description: 'x' }]), ['--shift', '-0.5']).shift, -0.5);
  // `=` keeps everything after the first '=' (and allows a leading '-').
  assert.equal(resolveOptions(SPEC, ['--name=a=b']).name, 'a=b');
  assert.equal(resolveOptions(SPEC, ['--name=-x']).name, '-x');
  // Last one wins for a single-valued option.
  assert.equal(resolveOptions(SPEC, ['--epochs', '3', '--epochs', '4']).epochs, 4);
});

test('booleans: bare, --no-, =value; --no- of a non-boolean is an error', () => {
  assert.equal(resolveOptions(SPEC, ['--no-ema']).ema, false);
  assert.equal(resolveOptions(SPEC, ['--ema=false']).ema, false);
  assert.equal(resolveOptions(SPEC, ['--dry-run=yes']).dryRun, true);
  assert.equal(resolveOptions(SPEC, ['--dry-run', '--no-dry-run']).dryRun, false);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--dry-run=maybe'])), ["--dry-run: expected true or false, got 'maybe'"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--no-epochs'])), ['--no-epochs: only true/false options can be negated; --epochs takes an integer in [1, 1000]']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--no-ema=1'])), ['--no-ema: takes no value (it means --ema=false)']);
});

test('arrays: repeated, comma-separated for numbers, strings kept whole', () => {
  assert.deepEqual(resolveOptions(SPEC, ['--seed', '1', '--seed=2', '--seed', '3,4']).seed, [1, 2, 3, 4]);
  assert.deepEqual(resolveOptions(SPEC, ['--tag', 'a,b', '--tag', 'c']).tag, ['a,b', 'c']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--seed', '1,x'])), ["--seed: expected an integer, got 'x'"]);
});

test('int, number and enum validation with min/max; messages name the option and what was expected', () => {
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--epochs', '0'])), ["--epochs: expected an integer in [1, 1000], got '0'"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--epochs', '1001'])), ["--epochs: expected an integer in [1, 1000], got '1001'"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--epochs', '2.5'])), ["--epochs: expected an integer in [1, 1000], got '2.5'"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--lr', '-1'])), ["--lr: expected a number ≥ 0, got '-1'"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--lr', 'fast'])), ["--lr: expected a number ≥ 0, got 'fast'"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--lr', 'Infinity'])), ["--lr: expected a number ≥ 0, got 'Infinity'"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--method', 'fixmach'])), ["--method: expected one of adacm, fixmatch, scn, got 'fixmach'; did you mean 'fixmatch'?"]);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--out', ''])), ['--out: expected a path, got an empty string']);
  // Min and max are inclusive.
  assert.equal(resolveOptions(SPEC, ['--epochs', '1000']).epochs, 1000);
  assert.equal(resolveOptions(SPEC, ['--label-fraction', '1']).labelFraction, 1);
});

test('missing values', () => {
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--epochs'])), ['--epochs: missing value (expected an integer in [1, 1000])']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--out', '--dry-run'])), ['--out: missing value (expected a path)']);
});

test('unknown options get a suggestion; every problem is reported at once', () => {
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--epoch', '3'])), ['unknown option --epoch; did you mean --epochs?']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--labelsPerClass', '3'])), ['unknown option --labelsPerClass; did you mean --labels-per-class?']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--no-eam'])), ['unknown option --no-eam; did you mean --no-ema?']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--zzzzzz'])), ['unknown option --zzzzzz']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['-x'])), ['unknown option -x']);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--mehtod', 'scn', '--epochs', 'x', 'stray'])), [
    'unknown option --mehtod; did you mean --method?',
    "--epochs: expected an integer in [1, 1000], got 'x'",
    "unexpected argument 'stray' (this command takes options only)",
  ]);
});

test('required options; a bad value is not also reported as missing', () => {
  const spec = options([
    { name: 'out', type: 'path', required: true, description: 'x' },
    { name: 'n', type: 'int', min: 1, required: true, description: 'x' },
  ]);
  assert.deepEqual(problems(() => resolveOptions(spec, [])), [
    'missing required option --out: expected a path',
    'missing required option --n: expected an integer ≥ 1',
  ]);
  assert.deepEqual(problems(() => resolveOptions(spec, ['--out', 'o', '--n', '0'])), ["--n: expected an integer ≥ 1, got '0'"]);
  const v = resolveOptions(spec, ['--out', 'o', '--n', '3']);
  const n: number = v.n; // required → not undefined
  assert.equal(n, 3);
});

test('exclusive groups: at most one member, optionally one required, defaults only when none given', () => {
  assert.equal(resolveOptions(SPEC, ['--labels-per-class', '25']).labelsPerClass, 25);
  assert.deepEqual(problems(() => resolveOptions(SPEC, ['--labels-per-class', '25', '--label-fraction', '0.1'])), [
    '--labels-per-class and --label-fraction: only one of --labels-per-class, --label-fraction may be given',
  ]);
  const spec = options([
    { name: 'labels-per-class', type: 'int', min: 1, exclusive: 'labels', required: true, default: 100, description: 'x' },
    { name: 'label-fraction', type: 'number', exclusive: 'labels', description: 'x' },
  ]);
  assert.deepEqual(resolveOptions(spec, []), { labelsPerClass: 100, labelFraction: undefined });
  assert.deepEqual(resolveOptions(spec, ['--label-fraction', '0.1']), { labelsPerClass: undefined, labelFraction: 0.1 });
  const required = options([
    { name: 'a', type: 'int', exclusive: 'g', required: true, description: 'x' },
    { name: 'b', type: 'int', exclusive: 'g', description: 'x' },
  ]);
  assert.deepEqual(problems(() => resolveOptions(required, [])), ['missing option: give one of --a, --b']);
  assert.deepEqual(resolveOptions(required, ['--b', '2']), { a: undefined, b: 2 });
});

test('positional arguments fill positional options in order; an array positional takes the rest; -- ends options', () => {
  const spec = options([
    { name: 'model', type: 'path', positional: true, required: true, description: 'x' },
    { name: 'images', type: 'path', positional: true, array: true, description: 'x' },
    { name: 'top', type: 'int', default: 1, description: 'x' },
  ]);
  assert.deepEqual(resolveOptions(spec, ['m.pt', 'a.jpg', '--top', '3', 'b.jpg']), { model: 'm.pt', images: ['a.jpg', 'b.jpg'], top: 3 });
  assert.deepEqual(resolveOptions(spec, ['--model', 'm.pt', 'a.jpg']), { model: 'm.pt', images: ['a.jpg'], top: 1 });
  assert.deepEqual(resolveOptions(spec, ['m.pt', '--', '--weird.jpg']).images, ['--weird.jpg']);
  assert.deepEqual(problems(() => resolveOptions(spec, [])), ['missing required option --model (or argument <model>): expected a path']);
  const one = options([{ name: 'root', type: 'path', positional: true, description: 'x' }]);
  assert.deepEqual(problems(() => resolveOptions(one, ['a', 'b'])), ["unexpected argument 'b'"]);
});

test('sources say where each value came from', () => {
  const r = resolveOptionsDetailed(SPEC, ['--lr', '0.1']);
  assert.equal(r.sources.lr, 'cli');
  assert.equal(r.sources.epochs, 'default');
  assert.equal(r.sources.name, 'unset');
});

test('spec mistakes are programming errors, not usage errors', () => {
  assert.throws(() => resolveOptions(options([{ name: 'Bad_Name', type: 'int', description: 'x' }]), []), /not a kebab-case name/);
  assert.throws(() => resolveOptions(options([{ name: 'a', type: 'int', description: 'x' }, { name: 'a', type: 'int', description: 'y' }]), []), /declared twice/);
  assert.throws(() => resolveOptions(options([{ name: 'e', type: 'enum', values: ['x'], default: 'y', description: 'x' }]), []), /default of 'e'/);
  assert.throws(() => resolveOptions(options([{ name: 'no-cache', type: 'boolean', description: 'x' }]), []), /positively/);
});

test('suggestions: edit distance with transpositions, thresholds, unique prefixes', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('mehtod', 'method'), 1);
  assert.equal(suggest('lables-per-class', ['labels-per-class', 'label-fraction']), 'labels-per-class');
  assert.equal(suggest('label-frac', ['labels-per-class', 'label-fraction']), 'label-fraction');
  assert.equal(suggest('xyz', ['labels-per-class']), undefined);
  assert.equal(suggest('test_fraction', ['test-fraction']), 'test-fraction');
});
