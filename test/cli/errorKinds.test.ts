// Errors thrown outside src/cli declare a kind; the CLI alone maps kinds to exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeOf, isExpectedError } from '../../src/cli/errors.js';
import { EXIT } from '../../src/cli/exitCodes.js';
import { ERROR_KINDS, errorOfKind } from '../../src/errorKind.js';
import { ModelFileError } from '../../src/models/modelFileError.js';
import { SplitError } from '../../src/data/splits.js';
import { ServeError } from '../../src/serve/server.js';
import { ModelFolderError } from '../../src/serve/modelFolder.js';
import { ExportError } from '../../src/export/emitters.js';
import { FoldError } from '../../src/train/foldSplit.js';
import { RunFolderError } from '../../src/train/runFolder.js';
import { TrainingDivergedError } from '../../src/train/trainer.js';

test('each kind has its exit code', () => {
  const expected = { 'bad-input': EXIT.USAGE, failure: EXIT.FAILURE, diverged: EXIT.DIVERGED };
  assert.deepEqual([...ERROR_KINDS].sort(), Object.keys(expected).sort());
  for (const kind of ERROR_KINDS) {
    const err = Object.assign(new Error('x'), { kind });
    assert.equal(exitCodeOf(err), expected[kind], kind);
    assert.equal(isExpectedError(err), true, kind);
  }
  // An unknown kind is no kind: a bug, exit 1 with a stack under --verbose.
  const odd = Object.assign(new Error('x'), { kind: 'odd' });
  assert.equal(exitCodeOf(odd), EXIT.FAILURE);
  assert.equal(isExpectedError(odd), false);
});

test("the library's error classes exit as before", () => {
  const cases: [Error, number][] = [
    [new ModelFileError('m'), 2], [new SplitError('s'), 2], [new FoldError('f'), 2], [new RunFolderError('r'), 2],
    [new ServeError('p'), 1], [new ModelFolderError('d'), 1], [new ExportError('e'), 1],
    [new TrainingDivergedError(3, 'Lx', NaN), 3],
  ];
  for (const [err, code] of cases) {
    assert.equal(exitCodeOf(err), code, err.constructor.name);
    assert.equal(isExpectedError(err), true, err.constructor.name);
  }
});

test('errorOfKind: one line declares a class with its kind, its own name and its message', () => {
  class ExampleError extends errorOfKind('failure') {}
  const err = new ExampleError('went wrong');
  assert.ok(err instanceof Error);
  assert.equal(err.kind, 'failure');
  assert.equal(err.name, 'ExampleError');
  assert.equal(err.message, 'went wrong');
  assert.match(String(err.stack), /^ExampleError: went wrong/);
  // A subclass with its own constructor keeps its name too.
  const diverged = new TrainingDivergedError(3, 'Lx', NaN);
  assert.equal(diverged.name, 'TrainingDivergedError');
  assert.equal(diverged.kind, 'diverged');
  assert.equal(new SplitError('s').name, 'SplitError');
});
