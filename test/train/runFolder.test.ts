// One writer per run folder: the lock, its takeover from a dead process, the
// refusal of a non-empty folder without --resume/--overwrite, and the removal of
// temp files a killed writer left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimRunFolder, LOCK_FILE, RunFolderError } from '../../src/train/runFolder.js';
import { tinyDataset } from './fixtures.js';
import { exitCodeOf } from '../../src/cli/errors.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const fresh = () => mkdtempSync(join(tmpdir(), 'semifer-folder-'));

test('a held folder is refused, naming the holder; released, it can be taken again', () => {
  const dir = fresh();
  const claim = claimRunFolder(dir);
  const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
  assert.equal(lock.pid, process.pid);
  assert.equal(lock.host, hostname());
  assert.throws(() => claimRunFolder(dir), (e: Error) => e instanceof RunFolderError && exitCodeOf(e) === 2 && e.message.includes(`pid ${process.pid}`) && /in use by another run/.test(e.message));
  claim.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
  claimRunFolder(dir).release();
});

test("a dead process's lock is taken over with a notice; its temp files are removed", () => {
  const dir = fresh();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), since: 'then' }));
  writeFileSync(join(dir, `.checkpoint-last.safetensors.${deadPid}.1765000000000.tmp`), 'half a checkpoint');
  writeFileSync(join(dir, 'config.json'), '{}');
  const notices: string[] = [];
  const claim = claimRunFolder(dir, { notice: (t) => notices.push(t) });
  assert.ok(notices.some((n) => n.includes(`from pid ${deadPid}, which is no longer running`)), notices.join('\n'));
  assert.ok(notices.some((n) => /removed 1 temp file/.test(n)), notices.join('\n'));
  assert.deepEqual(readdirSync(dir).sort(), [LOCK_FILE, 'config.json'].sort());
  claim.release();
});

test('a folder with a run (or foreign files) is only written with --resume or --overwrite', () => {
  const dir = fresh();
  writeFileSync(join(dir, 'summary.json'), '{}');
  writeFileSync(join(dir, 'checkpoint-last.safetensors'), 'x');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  assert.throws(() => claimRunFolder(dir), /is not empty \(checkpoint-last\.safetensors, notes\.txt, summary\.json\); continue its run with --resume, replace it with --overwrite/);
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'a refused claim gives the lock back');
  claimRunFolder(dir, { resume: true }).release();
  assert.ok(existsSync(join(dir, 'summary.json')), '--resume removes nothing');
  claimRunFolder(dir, { overwrite: true }).release();
  assert.deepEqual(readdirSync(dir), ['notes.txt'], "--overwrite removes the run's files only");
  const foreign = fresh();
  writeFileSync(join(foreign, 'photo.jpg'), 'x');
  assert.throws(() => claimRunFolder(foreign), /is not empty \(photo\.jpg\)/);
});

test('train: a second run on a folder in use exits 2; a finished run is not overwritten without --overwrite', { timeout: 120_000 }, async () => {
  const root = await tinyDataset();
  const out = fresh();
  const argv = (steps: number) => [cli, 'train', '--dataset', 'rafdb', '--root', root, '--method', 'supervised', '--labels-per-class', '3', '--model', 'small',
    '--size', '32', '--batch', '8', '--epochs', '1', '--steps-per-epoch', String(steps), '--cache-dir', join(root, '.cache'), '--out', out, '--quiet'];
  const first = spawn(process.execPath, argv(30), { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => first.once('exit', resolve));
  while (!existsSync(join(out, LOCK_FILE))) await new Promise((r) => setTimeout(r, 10));
  const second = spawnSync(process.execPath, argv(1), { encoding: 'utf8' });
  assert.equal(second.status, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`in use by another run \\(pid ${first.pid} on `));
  assert.equal(await exited, 0);
  assert.ok(!existsSync(join(out, LOCK_FILE)));
  const again = spawnSync(process.execPath, argv(1), { encoding: 'utf8' });
  assert.equal(again.status, 2, again.stderr);
  assert.match(again.stderr, /is not empty .*--overwrite/);
  const replaced = spawnSync(process.execPath, [...argv(1), '--overwrite'], { encoding: 'utf8' });
  assert.equal(replaced.status, 0, replaced.stderr);
});
