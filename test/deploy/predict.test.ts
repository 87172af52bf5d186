/**
 * `semifer predict` end to end, in-process: real photos through the detector,
 * alignment and a fresh (untrained) model saved as a run folder — the model's
 * quality is not the point, the pipeline's bookkeeping is: one JSON line per
 * face, probabilities that sum to 1 over the run's classes, per-file errors
 * that let the other files run, the exit code, --annotate, and the exported
 * ONNX / TF.js models agreeing with the run they came from.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { saveModelFile } from '../../src/models/modelFile.js';
import { runCli } from '../../src/cli/run.js';
import { predictCommand } from '../../src/cli/commands/predict.js';
import { EXIT } from '../../src/cli/exitCodes.js';
import { problemFiles, samplePhoto, SAMPLE_FACES, type ProblemFiles } from './photos.js';

const CLASSES = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger'];
let work: string;
let run: string;
let files: ProblemFiles;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'semifer-predict-run-'));
  run = join(work, 'run');
  mkdirSync(run);
  torch.manualSeed(0);
  const model = createModel({ arch: 'small', numClasses: CLASSES.length, head: 'linear' });
  // A fresh head gives every face nearly 1/7 per class; sharpened, faces differ enough that comparing backends means something.
  torch.noGrad(() => {
    for (const [name, p] of model.namedParameters()) if (name.startsWith('head.')) p.mul_(40);
  });
  saveModelFile(join(run, 'model.safetensors'), model, { classes: CLASSES, size: 48, arch: 'small', method: 'supervised' });
  model.dispose();
  files = await problemFiles();
});

after(() => rmSync(work, { recursive: true, force: true }));

async function predict(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['predict', ...argv], {
    commands: [predictCommand], env: {},
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
  });
  const stdout = out.join('');
  return { code, stdout, stderr: err.join(''), lines: () => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>) };
}

function checkFace(f: Record<string, any>, width: number, height: number): void {
  assert.ok(CLASSES.includes(f.label), `label ${f.label}`);
  const probs = CLASSES.map((c) => f.probabilities[c] as number);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-3, `probabilities sum to ${probs.reduce((a, b) => a + b, 0)}`);
  assert.equal(f.probability, Math.max(...probs));
  assert.equal(f.label, CLASSES[probs.indexOf(Math.max(...probs))]);
  const b = f.box;
  assert.ok(b.x >= -b.width * 0.2 && b.y >= -b.height * 0.2 && b.x + b.width <= width * 1.05 && b.y + b.height <= height * 1.05 && b.width > 20, `box ${JSON.stringify(b)} in ${width}×${height}`);
  assert.ok(f.score >= 0.5 && f.eyes.left[0] < f.eyes.right[0]);
}

test('--run --json: one line per face, probabilities over the run\'s classes summing to 1', { timeout: 120_000 }, async () => {
  const r = await predict(samplePhoto(1), samplePhoto(5), '--run', run, '--json');
  assert.equal(r.code, EXIT.OK, r.stderr);
  const lines = r.lines();
  assert.equal(lines.length, SAMPLE_FACES[1]! + SAMPLE_FACES[5]!);
  for (const f of lines) checkFace(f, 1920, f.file === samplePhoto(1) ? 1280 : 1398);
  assert.deepEqual(lines.filter((f) => f.file === samplePhoto(5)).map((f) => f.face), [0, 1, 2, 3, 4]);
  assert.match(r.stderr, /2 of 2 photos processed, 8 faces/);
});

test('bad files each get a message and the others still run; boxes of a huge photo are in its own pixels', { timeout: 180_000 }, async () => {
  const all = [files.text, files.truncated, files.missing, files.empty, files.gradient, files.huge, samplePhoto(2)];
  const r = await predict(...all, '--run', run, '--json');
  assert.equal(r.code, EXIT.OK, r.stderr);
  const lines = r.lines();
  const errorOf = (file: string) => lines.find((l) => l.file === file && l.error);
  assert.equal(errorOf(files.text)?.kind, 'not-image');
  assert.equal(errorOf(files.truncated)?.kind, 'damaged');
  assert.equal(errorOf(files.missing)?.kind, 'missing');
  assert.equal(errorOf(files.empty)?.kind, 'empty');
  assert.equal(errorOf(files.gradient)?.kind, 'no-face');
  for (const f of [files.text, files.truncated, files.missing, files.empty, files.gradient]) assert.match(errorOf(f)!.error, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  const huge = lines.filter((l) => l.file === files.huge);
  assert.equal(huge.length, SAMPLE_FACES[3]);
  const { width = 0, height = 0 } = await sharp(files.huge).metadata();
  for (const f of huge) checkFace(f, width, height);
  assert.ok(huge.some((f) => f.box.x > 1920), 'boxes are in the 6000 px photo\'s coordinates');
  assert.equal(lines.filter((l) => l.file === samplePhoto(2)).length, SAMPLE_FACES[2]);
  assert.match(r.stderr, /huge\.jpg: 6000×\d+ photo shrunk to 4096×\d+/);
  assert.match(r.stderr, /3 of 7 photos processed/);

  // The same as text: warnings on stderr, face lines on stdout.
  const t = await predict(files.text, files.gradient, samplePhoto(2), '--run', run);
  assert.equal(t.code, EXIT.OK);
  assert.match(t.stderr, /warning: .*notes\.jpg: not an image/);
  assert.match(t.stderr, /warning: .*gradient\.png: no face found \(detector ssd, min confidence 0\.5\)/);
  const out = t.stdout.trim().split('\n');
  assert.equal(out.length, SAMPLE_FACES[2]);
  assert.match(out[0]!, /sample2\.jpg {2}face 0 {2}box \d+,\d+,\d+,\d+ {2}\w+ 0\.\d{3} {2}\(neutral 0\.\d{3}, happy/);
});

test('exit code 1 only when no file could be processed; usage errors are 2', async () => {
  const r = await predict(files.text, files.missing, '--run', run);
  assert.equal(r.code, EXIT.FAILURE);
  assert.match(r.stderr, /no photo could be processed/);
  const j = await predict(files.text, '--run', run, '--json');
  assert.equal(j.code, EXIT.FAILURE);
  assert.equal(j.lines()[0]!.kind, 'not-image');
  assert.equal((await predict(samplePhoto(1))).code, EXIT.USAGE, 'no model given');
  assert.equal((await predict(samplePhoto(1), '--run', run, '--model', 'x.onnx')).code, EXIT.USAGE);
  const missing = await predict(samplePhoto(1), '--run', join(work, 'nope'));
  assert.equal(missing.code, EXIT.FAILURE);
  assert.match(missing.stderr, /nope\/model\.safetensors: no model file/);
});

test('--annotate writes each processed photo, same size, PNG stays PNG', { timeout: 120_000 }, async () => {
  const dir = join(work, 'annotated');
  const r = await predict(samplePhoto(4), files.gradient, files.text, '--run', run, '--annotate', dir, '--detector', 'ssd');
  assert.equal(r.code, EXIT.OK, r.stderr);
  const jpg = join(dir, 'sample4.jpg');
  assert.ok(existsSync(jpg) && existsSync(join(dir, 'gradient.png')));
  assert.ok(!existsSync(join(dir, 'notes.jpg')), 'nothing written for a file that could not be read');
  const m = await sharp(jpg).metadata();
  assert.deepEqual([m.format, m.width, m.height], ['jpeg', 1920, 1448]);
  assert.equal((await sharp(join(dir, 'gradient.png')).metadata()).format, 'png');
});

test('--model: the exported ONNX file and TF.js folder give the run\'s probabilities', { timeout: 180_000 }, async () => {
  const { exportRun } = await import('../../src/export/index.js');
  const onnx = join(work, 'model.onnx'), tfjs = join(work, 'model-tfjs');
  await exportRun(run, { format: 'onnx', out: onnx });
  await exportRun(run, { format: 'tfjs', out: tfjs });
  const ref = (await predict(samplePhoto(3), '--run', run, '--json')).lines();
  assert.equal(ref.length, SAMPLE_FACES[3]);
  for (const model of [onnx, tfjs]) {
    const r = await predict(samplePhoto(3), '--model', model, '--json');
    assert.equal(r.code, EXIT.OK, r.stderr);
    const got = r.lines();
    assert.equal(got.length, ref.length, model);
    for (const [i, f] of got.entries()) {
      assert.deepEqual(f.box, ref[i]!.box);
      for (const c of CLASSES) assert.ok(Math.abs(f.probabilities[c] - ref[i]!.probabilities[c]) <= 2e-4, `${model} face ${i} ${c}: ${f.probabilities[c]} vs ${ref[i]!.probabilities[c]}`);
    }
  }
  const bad = await predict(samplePhoto(3), '--model', files.text, '--json');
  assert.equal(bad.code, EXIT.FAILURE);
  assert.match(bad.stderr, /notes\.jpg: not an ONNX model|notes\.jpg: not a semifer export/);
});
