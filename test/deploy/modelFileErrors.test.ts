// A damaged model is blamed by name, before any photo is looked at: impossible
// metadata, NaN weights, a truncated file; for TF.js exports a shard that does
// not match model.json, a truncated .bin, NaN weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel } from '../../src/models/index.js';
import { ModelFileError } from '../../src/models/modelFileError.js';
import { saveModelFile, loadModelFile } from '../../src/models/modelFile.js';
import { openTfjsClassifier } from '../../src/deploy/classifier.js';
import { writeTinyTfjsModel, tinyMetadata } from '../serve/tinyTfjsModel.js';
import { writeSolid } from '../data/fixtures.js';
import { exitCodeOf } from '../../src/cli/errors.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'semifer-modelfile-'));

/** Rewrites a safetensors file's JSON header (same length, padded) and/or its data bytes. */
function patchSafetensors(src: string, dst: string, edit: (header: Record<string, any>, data: Buffer) => void): void {
  const buf = readFileSync(src);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const data = Buffer.from(buf.subarray(8 + n));
  edit(header, data);
  const text = Buffer.from(JSON.stringify(header), 'utf8');
  const m = Math.ceil(text.length / 8) * 8;
  const out = Buffer.alloc(8 + m + data.length, 0x20);
  out.writeBigUInt64LE(BigInt(m));
  text.copy(out, 8);
  data.copy(out, 8 + m);
  writeFileSync(dst, out);
}

function modelFile(): string {
  const path = join(tmp, 'model.safetensors');
  const model = createModel({ arch: 'small', numClasses: 7, head: 'linear', dta: false });
  saveModelFile(path, model, { classes: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], size: 32, arch: 'small', method: 'supervised' });
  model.dispose();
  return path;
}

test('model.safetensors: impossible metadata, NaN weights and a truncated file are ModelFileErrors naming the file', () => {
  const good = modelFile();
  loadModelFile(good).model.dispose();

  const big = join(tmp, 'big.safetensors');
  patchSafetensors(good, big, (h) => {
    const meta = JSON.parse(h.__metadata__.semifer);
    h.__metadata__.semifer = JSON.stringify({ ...meta, size: 100000 });
  });
  assert.throws(() => loadModelFile(big), (e: Error) => e instanceof ModelFileError && exitCodeOf(e) === 2 &&
    e.message.startsWith(`${big}: impossible model metadata: input size 100000`));

  const nan = join(tmp, 'nan.safetensors');
  let victim = '';
  patchSafetensors(good, nan, (h, data) => {
    victim = Object.keys(h).find((k) => k !== '__metadata__' && h[k].dtype === 'F32')!;
    data.writeFloatLE(Number.NaN, h[victim].data_offsets[0] + 4);
  });
  assert.throws(() => loadModelFile(nan), (e: Error) => e instanceof ModelFileError && e.message.includes(`${nan}: tensor '${victim}' holds NaN or infinite values`));

  const cut = join(tmp, 'cut.safetensors');
  writeFileSync(cut, readFileSync(good).subarray(0, 5000));
  assert.throws(() => loadModelFile(cut), (e: Error) => e instanceof ModelFileError && e.message.includes(cut));
});

test('semifer predict --run with a damaged model: exit 2, the model file named, not the photo', { timeout: 60_000 }, async () => {
  const good = modelFile();
  const nan = join(tmp, 'nan2.safetensors');
  patchSafetensors(good, nan, (h, data) => {
    const k = Object.keys(h).find((x) => x !== '__metadata__' && h[x].dtype === 'F32')!;
    data.writeFloatLE(Number.POSITIVE_INFINITY, h[k].data_offsets[0]);
  });
  const photo = join(tmp, 'photo.png');
  await writeSolid(photo, [200, 150, 120], 64, 64);
  const r = spawnSync(process.execPath, [cli, 'predict', '--run', nan, photo], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /nan2\.safetensors: tensor '.*' holds NaN or infinite values/);
  assert.doesNotMatch(r.stderr, /photo\.png|unexpected/);
});

test('TF.js folder: a shard that does not fit model.json, a truncated .bin, NaN weights, impossible size: named, exit-2 errors', async () => {
  const shard = 'group1-shard1of1.bin';
  const expectError = async (dir: string, pattern: RegExp) => {
    await assert.rejects(openTfjsClassifier(dir), (e: Error) => e instanceof ModelFileError && pattern.test(e.message) || assert.fail(String(e)));
  };
  const ok = writeTinyTfjsModel(join(tmp, 'ok'));
  await (await openTfjsClassifier(ok)).dispose();

  const cut = writeTinyTfjsModel(join(tmp, 'cut'));
  truncateSync(join(cut, shard), statSync(join(cut, shard)).size - 8);
  await expectError(cut, new RegExp(`${shard}: \\d+ bytes, but the weights .*model\\.json lists for it need \\d+ \\(truncated\\?\\)`));

  const foreign = writeTinyTfjsModel(join(tmp, 'foreign'));
  writeFileSync(join(foreign, shard), Buffer.alloc(statSync(join(foreign, shard)).size * 3, 1));
  await expectError(foreign, new RegExp(`${shard}: \\d+ bytes, but .* need \\d+; the shard does not belong`));

  const nan = writeTinyTfjsModel(join(tmp, 'nan'));
  const bytes = readFileSync(join(nan, shard));
  bytes.writeFloatLE(Number.NaN, bytes.length - 4); // the last weight is the float32 bias
  writeFileSync(join(nan, shard), bytes);
  await expectError(nan, /weight 'b' holds NaN or infinite values/);

  const huge = writeTinyTfjsModel(join(tmp, 'huge'), { ...tinyMetadata(), input: { ...tinyMetadata().input, size: 100000 } });
  await expectError(huge, /model\.json: not a semifer export \(input\.size must be an integer from 8 to 4096\)/);
});
