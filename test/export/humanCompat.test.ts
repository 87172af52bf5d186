// `--compat human`: the class mapping onto Human's emotion list, the input
// affine against hand-computed values, and the exported graph run by TF.js on
// inputs in Human's units against semifer's model on the same pixels, with the
// classes put in Human's order by hand. The page test with Human itself is
// human.browser.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { saveModelFile } from '../../src/models/modelFile.js';
import { exportModel, exportMetadata, generatedImages, semiferOutputs, maxAbsDiff } from '../../src/export/index.js';
import { humanClassIndex, humanCompat, CompatError } from '../../src/export/humanCompat.js';
import { runTfjsProbabilities } from '../../src/export/runTfjs.js';
import { openClassifier } from '../../src/deploy/classifier.js';
import { exportableModel, metaFor, CLASSES } from './fixtures.js';

torch.setNumThreads(1);
const dir = mkdtempSync(join(tmpdir(), 'semifer-human-compat-'));
const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

// Human 3.x, src/gear/emotion.ts, for a 3-channel model (typed here from its source, not imported).
const HUMAN_ORDER = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'];

test('humanClassIndex: semifer\'s seven classes onto Human\'s order, by any accepted spelling; clear errors otherwise', () => {
  // neutral→4, happy→3, sad→5, surprise→6, fear→2, disgust→1, anger→0 (by hand from the two lists).
  assert.deepEqual(humanClassIndex(CLASSES, 'm'), [4, 3, 5, 6, 2, 1, 0]);
  assert.deepEqual(humanClassIndex(['Happiness', 'angry', 'surprised'], 'm'), [3, 0, 6]);
  assert.throws(() => humanClassIndex([...CLASSES, 'contempt'], 'runs/x/model.safetensors'),
    (e: Error) => e instanceof CompatError && e.kind === 'bad-input' &&
      /^runs\/x\/model\.safetensors: class 'contempt' has no counterpart among Human's emotion classes \(angry, disgust, fear, happy, neutral, sad, surprise\)/.test(e.message));
  assert.throws(() => humanClassIndex(['anger', 'angry'], 'm'), /classes 'anger' and 'angry' both map to Human's 'angry'/);
  assert.throws(() => humanClassIndex(['happy', 'confused'], 'm'), /class 'confused' has no counterpart/);
});

test('humanCompat: Human\'s input values map back to the model\'s normalisation', () => {
  const model = createModel({ arch: 'small', head: 'linear', numClasses: 7 });
  const meta = exportMetadata(metaFor(model, 32), 'tfjs');
  model.dispose();
  const a = humanCompat(meta, 'm');
  // A pixel p (0–1) reaches the model as (p − mean)/std; Human gives 255·p − [103.939, 116.779, 123.68].
  const humanSub = [103.939, 116.779, 123.68];
  for (const p of [0, 0.2, 0.5, 1]) {
    for (let c = 0; c < 3; c++) {
      const x = 255 * p - humanSub[c]!;
      const want = (p - meta.input.mean[c]!) / meta.input.std[c]!;
      assert.ok(Math.abs(x * a.inputScale[c]! + a.inputShift[c]! - want) < 1e-5, `channel ${c}, p ${p}`);
    }
  }
  assert.deepEqual(a.metadata.classes, HUMAN_ORDER);
  assert.deepEqual(a.metadata.outputs, { probabilities: 'probabilities' });
  assert.equal(a.metadata.compat, 'human');
});

test('export --compat human: TF.js on Human\'s input units gives semifer\'s probabilities in Human\'s order', { timeout: 120_000 }, async (t) => {
  const size = 32;
  const model = exportableModel({ arch: 'small', head: 'linear' }, size, 3);
  const images = generatedImages(5, size, 11);
  const out = join(dir, 'human');
  const r = await exportModel(model, metaFor(model, size), { format: 'tfjs', out, images, compat: 'human' });
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  // What Human reads: one input N×S×S×3 and one output N×7.
  assert.deepEqual(Object.keys(json.signature.outputs), ['probabilities']);
  assert.deepEqual(json.signature.inputs.input.tensorShape.dim.map((d: { size: string }) => Number(d.size)), [-1, size, size, 3]);
  assert.equal(r.check.maxAbsDiffLogits, null);

  const got = await runTfjsProbabilities(out, images.pixels, r.metadata);
  const semifer = semiferOutputs(model, images.pixels, size).probabilities;
  t.diagnostic(`largest probability ${Math.max(...semifer).toFixed(4)}, smallest ${Math.min(...semifer).toExponential(1)}`);
  assert.ok(Math.max(...semifer) < 0.9999 && Math.max(...semifer) > 0.3, 'probabilities far from uniform and not saturated');
  const want = new Float32Array(got.length);
  for (let n = 0; n < 5; n++) CLASSES.forEach((c, i) => (want[n * 7 + HUMAN_ORDER.indexOf(c === 'anger' ? 'angry' : c)] = semifer[n * 7 + i]!));
  const d = maxAbsDiff(got, want);
  t.diagnostic(`max |Δp| ${d.toExponential(2)} (export check ${r.check.maxAbsDiffProbabilities.toExponential(2)})`);
  assert.ok(d < 1e-5, `probabilities differ by ${d}`);
  // `semifer predict --model` / `serve` read the export through its metadata: Human's classes, Human's units.
  const classifier = await openClassifier({ model: out });
  assert.deepEqual(classifier.classes, HUMAN_ORDER);
  const viaClassifier = await classifier.classify(images.pixels);
  await classifier.dispose();
  assert.ok(maxAbsDiff(viaClassifier, want) < 1e-5, `predict's classifier differs by ${maxAbsDiff(viaClassifier, want)}`);
  model.dispose();

  // A model with three of Human's classes: the other four get probability 0.
  torch.manualSeed(4);
  const three = createModel({ arch: 'small', head: 'linear', numClasses: 3 });
  three.eval();
  const meta3 = { ...metaFor(three, size), classes: ['sad', 'happiness', 'neutral'] };
  const out3 = join(dir, 'human-3');
  const r3 = await exportModel(three, meta3, { format: 'tfjs', out: out3, images, compat: 'human' });
  const p3 = await runTfjsProbabilities(out3, images.pixels, r3.metadata);
  const s3 = semiferOutputs(three, images.pixels, size).probabilities;
  for (let n = 0; n < 5; n++) {
    const row = Array.from(p3.subarray(n * 7, n * 7 + 7));
    assert.deepEqual([0, 1, 2, 6].map((j) => row[j]), [0, 0, 0, 0]);
    assert.ok(Math.abs(row[5]! - s3[n * 3]!) < 1e-5 && Math.abs(row[3]! - s3[n * 3 + 1]!) < 1e-5 && Math.abs(row[4]! - s3[n * 3 + 2]!) < 1e-5);
  }
  three.dispose();
});

test('semifer export --compat human: exit 2 for ONNX and for a class Human lacks', { timeout: 60_000 }, () => {
  const run = join(dir, 'eight');
  mkdirSync(run, { recursive: true });
  const model = createModel({ arch: 'small', head: 'linear', numClasses: 8 });
  saveModelFile(join(run, 'model.safetensors'), model, { classes: [...CLASSES, 'contempt'], size: 32, arch: 'small', method: 'supervised' });
  model.dispose();
  const semifer = (...args: string[]) => spawnSync(process.execPath, [cli, 'export', '--run', run, ...args], { encoding: 'utf8' });
  const onnx = semifer('--format', 'onnx', '--compat', 'human', '--out', join(dir, 'x.onnx'));
  assert.equal(onnx.status, 2, onnx.stderr);
  assert.match(onnx.stderr, /--compat human is a TF\.js model interface: use it with --format tfjs/);
  const contempt = semifer('--format', 'tfjs', '--compat', 'human', '--out', join(dir, 'x'));
  assert.equal(contempt.status, 2, contempt.stderr);
  assert.match(contempt.stderr, /eight\/model\.safetensors: class 'contempt' has no counterpart among Human's emotion classes/);
  assert.doesNotMatch(contempt.stderr, /\n\s+at /, 'no stack trace');
});
