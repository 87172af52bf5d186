/**
 * `--classes` for ImageFolder datasets whose folders are not expression names:
 * the flag → reader options mapping with its refusals, and the compiled CLI
 * inspecting such a folder (refused without the flag, with a message that names it).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readerOptionsFromFlags } from '../../src/cli/commands/datasetOptions.js';
import { UsageError } from '../../src/cli/errors.js';
import { GREEN, RED, makeTempDir, writeSolid } from '../data/fixtures.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const { dir, cleanup } = makeTempDir('semifer-classes-');
after(cleanup);

test('--classes: a comma-separated list for imagefolder; refused elsewhere, empty, doubled or single', () => {
  assert.deepEqual(readerOptionsFromFlags('imagefolder', { classes: 'no, yes' }), { classes: ['no', 'yes'] });
  assert.deepEqual(readerOptionsFromFlags('imagefolder', {}), {}, 'no flag: no reader options (cache keys unchanged)');
  assert.deepEqual(readerOptionsFromFlags('kdef', { view: 'S,HL' }), { views: 'S,HL' });
  const refused = (format: string, classes: string, message: RegExp) =>
    assert.throws(() => readerOptionsFromFlags(format, { classes }), (e: unknown) => e instanceof UsageError && message.test(e.message));
  refused('rafdb', 'a,b', /--classes applies to --dataset imagefolder, not rafdb/);
  refused('imagefolder', 'a,,b', /expected class names separated by commas, got 'a,,b'/);
  refused('imagefolder', 'Yes,no,yes', /a class is named twice/);
  refused('imagefolder', 'only', /at least 2 classes/);
});

test('semifer data inspect on class folders named no/yes: refused without --classes, counted with it', async () => {
  const root = join(dir, 'smiles');
  for (let i = 0; i < 3; i++) await writeSolid(join(root, 'no', `n${i}.png`), RED);
  for (let i = 0; i < 2; i++) await writeSolid(join(root, 'yes', `y${i}.png`), GREEN);
  const run = (args: string[]) => spawnSync(process.execPath, [MAIN, 'data', 'inspect', '--dataset', 'imagefolder', '--root', root, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  const without = run([]);
  assert.equal(without.status, 1, without.stderr);
  assert.match(without.stderr, /class folder '(no|yes)' is not an expression class name.*--classes on the command line/);
  const withFlag = run(['--classes', 'no,yes', '--json']);
  assert.equal(withFlag.status, 0, withFlag.stderr);
  const report = JSON.parse(withFlag.stdout) as { classes: string[]; splits: { split: string; perClass: number[]; total: number }[] };
  assert.deepEqual(report.classes, ['no', 'yes']);
  assert.deepEqual(report.splits.find((s) => s.split === 'train')!.perClass, [3, 2]);
  const misplaced = spawnSync(process.execPath, [MAIN, 'data', 'inspect', '--dataset', 'rafdb', '--root', root, '--classes', 'no,yes'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(misplaced.status, 2);
  assert.match(misplaced.stderr, /--classes applies to --dataset imagefolder, not rafdb/);
});
