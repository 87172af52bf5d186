// An AU model's file: it records task 'au' and the AU of each output, loading
// checks the two agree, its task is read from the header alone, and the
// commands that need an expression classifier refuse it as bad input (exit 2).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel } from '../../src/models/index.js';
import { ModelFileError } from '../../src/models/modelFileError.js';
import { loadModelFile, modelFileTask, requireExpressionModelFile, saveModelFile } from '../../src/models/modelFile.js';
import { openRunClassifier } from '../../src/deploy/classifier.js';
import { exitCodeOf } from '../../src/cli/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'semifer-au-model-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function save(name: string, aus?: number[]): string {
  const path = join(tmp, name);
  const n = aus?.length ?? 3;
  const model = createModel({ arch: 'small', numClasses: n, head: 'linear' });
  saveModelFile(path, model, { classes: aus ? aus.map((a) => `AU${a}`) : ['happy', 'sad', 'neutral'], size: 32, arch: 'small', method: 'supervised', ...(aus ? { actionUnits: aus } : {}) });
  model.dispose();
  return path;
}

/** Rewrites the 'semifer' metadata of a safetensors file (header padded to 8 bytes). */
function patchMeta(src: string, dst: string, edit: (meta: Record<string, unknown>) => void): void {
  const buf = readFileSync(src);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const meta = JSON.parse(header.__metadata__.semifer);
  edit(meta);
  header.__metadata__.semifer = JSON.stringify(meta);
  const text = Buffer.from(JSON.stringify(header), 'utf8');
  const m = Math.ceil(text.length / 8) * 8;
  const out = Buffer.alloc(8 + m, 0x20);
  out.writeBigUInt64LE(BigInt(m));
  text.copy(out, 8);
  writeFileSync(dst, Buffer.concat([out, buf.subarray(8 + n)]));
}

test('an AU model file records its task and AUs; the task reads from the header; expression files stay expression', () => {
  const au = save('au.safetensors', [1, 2, 12]);
  const { model, meta } = loadModelFile(au);
  model.dispose();
  assert.equal(meta.task, 'au');
  assert.deepEqual(meta.actionUnits, [1, 2, 12]);
  assert.deepEqual(meta.classes, ['AU1', 'AU2', 'AU12']);
  assert.equal(modelFileTask(au), 'au');
  const expr = save('expr.safetensors');
  assert.equal(loadModelFile(expr).meta.task, undefined, 'expression files are written as before');
  assert.equal(modelFileTask(expr), 'expression');
  assert.equal(modelFileTask(join(tmp, 'missing.safetensors')), 'expression', 'an unreadable file is left to loadModelFile to explain');
});

test('AU metadata that does not fit: outputs named for other AUs, or no AU list, is impossible metadata', () => {
  const au = save('au2.safetensors', [1, 2, 12]);
  const wrong = join(tmp, 'wrong.safetensors');
  patchMeta(au, wrong, (m) => { m.actionUnits = [1, 2, 15]; });
  assert.throws(() => loadModelFile(wrong), (e: Error) => e instanceof ModelFileError && e.message.startsWith(`${wrong}: impossible model metadata: the outputs [AU1, AU2, AU12] are not the AUs [1, 2, 15]`));
  const none = join(tmp, 'none.safetensors');
  patchMeta(au, none, (m) => { delete m.actionUnits; });
  assert.throws(() => loadModelFile(none), /impossible model metadata: an AU model needs actionUnits/);
  const task = join(tmp, 'task.safetensors');
  patchMeta(au, task, (m) => { m.task = 'landmarks'; });
  assert.throws(() => loadModelFile(task), /impossible model metadata: task "landmarks"/);
});

test('predict-style loading refuses an AU model as bad input, naming the file', async () => {
  const au = save('au3.safetensors', [4, 6]);
  assert.throws(() => requireExpressionModelFile(au, 'classify faces'), (e: Error) => e instanceof ModelFileError && exitCodeOf(e) === 2 && e.message.startsWith(`${au}: an action-unit model`));
  requireExpressionModelFile(save('expr2.safetensors'), 'classify faces');
  await assert.rejects(openRunClassifier(au), (e: Error) => e instanceof ModelFileError && /cannot classify faces/.test(e.message));
});
