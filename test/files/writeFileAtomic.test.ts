import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { atomicTempPath, isAtomicTempName, writeFileAtomic } from '../../src/files/writeFileAtomic.js';

test('writeFileAtomic replaces the file and leaves no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-atomic-'));
  try {
    const file = join(dir, 'a.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, Uint8Array.from([104, 105]));
    assert.equal(readFileSync(file, 'utf8'), 'hi');
    assert.deepEqual(readdirSync(dir), ['a.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed rename removes the temp file and leaves the target as it was', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-atomic-'));
  try {
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true }); // a non-empty folder: rename over it fails
    assert.throws(() => writeFileAtomic(target, 'x'), /ENOTEMPTY|EISDIR|EEXIST|EPERM/);
    assert.deepEqual(readdirSync(dir), ['taken']);
    assert.deepEqual(readdirSync(target), ['inside']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('temp names are recognised (a run folder removes the ones a killed writer left)', () => {
  const name = basename(atomicTempPath('/runs/x/checkpoint-last.safetensors'));
  assert.match(name, /^\.checkpoint-last\.safetensors\.\d+\.\d+\.tmp$/);
  assert.equal(isAtomicTempName(name), true);
  assert.equal(isAtomicTempName('checkpoint-last.safetensors'), false);
  assert.equal(isAtomicTempName('.hidden.tmp'), false);
});
