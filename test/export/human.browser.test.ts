// `semifer export --compat human` loaded by @vladmandic/human itself, in
// headless Chromium, offline: a tiny model is trained, exported for Human, and
// set as Human's emotion model (face.emotion.modelPath); Human runs its own face
// detector and mesh (the models in its npm package) on face-api's sample photos.
//
// Checked, per face:
//  - exactness on Human's own crop: the tensor Human feeds the emotion model is
//    captured in the page; semifer's model (LibTorch) on the same pixels, its
//    classes put in Human's order by hand, must give the probabilities Human's
//    TF.js got within 1e-4 (two float32 engines on a 32 px input differ by
//    ~1e-6; a wrong class order, channel or normalisation moves them by ≥ 1e-2);
//  - Human's reported emotions are those probabilities, labelled with Human's names;
//  - the same faces as `semifer predict` (boxes overlap), whose top class on
//    semifer's own aligned crop is counted against Human's (the crops differ,
//    so that count is a diagnostic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { loadModelFile } from '../../src/models/modelFile.js';
import { normalize } from '../../src/data/augment/normalize.js';
import { tinyDataset } from '../train/fixtures.js';

const CHROMIUM = process.env.SEMIFER_CHROMIUM ?? '/usr/bin/chromium';
const NM = join(process.cwd(), 'node_modules');
const PHOTOS = ['sample1.jpg', 'sample2.jpg'];
const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const semifer = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

// Human 3.x, src/gear/emotion.ts, for a 3-channel model: its class order and its input
// (255·pixel − these, per R, G, B). Typed here from Human's source, not imported from semifer.
const HUMAN_ORDER = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'];
const HUMAN_SUBTRACT = [103.939, 116.779, 123.68];
const TO_HUMAN: Record<string, string> = { anger: 'angry' };

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.bin': 'application/octet-stream', '.wasm': 'application/wasm', '.jpg': 'image/jpeg' };

/** A static server on 127.0.0.1 for the page, Human's bundle and models, TF.js's WASM binaries, the export and the photos. */
function serve(page: string, mounts: Record<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    const [, mount, ...rest] = url.pathname.split('/');
    const root = mounts[mount ?? ''];
    const file = root && resolve(root, ...rest.map(decodeURIComponent));
    if (!root || !file || !file.startsWith(resolve(root) + sep) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const PAGE = `<!doctype html><meta charset="utf-8"><body><script type="module">
import { Human } from '/human/human.esm.js';
const human = new Human({
  backend: 'wasm', wasmPath: '/wasm/', modelBasePath: '/models/', cacheModels: false, cacheSensitivity: 0, warmup: 'none', async: false, debug: false,
  face: {
    detector: { rotation: false, return: false, maxDetected: 10 }, mesh: { enabled: true }, iris: { enabled: false }, attention: { enabled: false },
    description: { enabled: false }, antispoof: { enabled: false }, liveness: { enabled: false },
    emotion: { enabled: true, modelPath: '/emotion/model.json', minConfidence: 0 },
  },
  body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false },
});
window.runHuman = async (photos) => {
  await human.load();
  // Record what Human feeds its emotion model and what comes out, at full precision.
  const model = human.models.models.emotion;
  const calls = [];
  const execute = model.execute.bind(model);
  model.execute = (x, outputs) => {
    const y = execute(x, outputs);
    calls.push({ shape: x.shape, input: Array.from(x.dataSync()), output: Array.from(y.dataSync()) });
    return y;
  };
  const out = [];
  for (const photo of photos) {
    const img = new Image();
    img.src = '/photos/' + photo;
    await img.decode();
    calls.length = 0;
    const r = await human.detect(img);
    out.push({ photo, backend: human.tf.getBackend(), inputShape: model.inputs[0].shape,
      faces: r.face.map((f, i) => ({ box: f.box, emotion: f.emotion, call: calls[i] })), calls: calls.length });
  }
  return out;
};
window.ready = true;
</script>`;

interface HumanFace { box: [number, number, number, number]; emotion: { score: number; emotion: string }[]; call?: { shape: number[]; input: number[]; output: number[] } }
interface PredictFace { file: string; box: { x: number; y: number; width: number; height: number }; label: string; probabilities: Record<string, number> }

/** Intersection over the smaller box: Human's box is its detector's box enlarged 1.4× and squared, face-api's is tight, so IoU is low (≈0.3–0.6) even for the same face. */
function overlap(a: [number, number, number, number], b: PredictFace['box']): number {
  const w = Math.max(0, Math.min(a[0] + a[2], b.x + b.width) - Math.max(a[0], b.x));
  const h = Math.max(0, Math.min(a[1] + a[3], b.y + b.height) - Math.max(a[1], b.y));
  return (w * h) / Math.min(a[2] * a[3], b.width * b.height);
}

const argmax = (v: number[]) => v.indexOf(Math.max(...v));

test('--compat human: Human loads the export in Chromium and reports semifer\'s probabilities', { timeout: 180_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.diagnostic(`Chromium not found at ${CHROMIUM}: Human page test skipped (apt-get install chromium)`);
    return;
  }
  const t0 = Date.now();
  const root = await tinyDataset();
  const dir = mkdtempSync(join(tmpdir(), 'semifer-human-'));
  const run = join(dir, 'run');
  const trained = semifer('train', '--dataset', 'rafdb', '--root', root, '--labels-per-class', '3', '--model', 'small', '--size', '32', '--batch', '4',
    '--epochs', '1', '--steps-per-epoch', '3', '--cache-dir', join(root, '.cache'), '--method', 'supervised', '--out', run, '--quiet');
  assert.equal(trained.status, 0, trained.stderr);
  const exportDir = join(dir, 'emotion-human');
  const exported = semifer('export', '--run', run, '--format', 'tfjs', '--compat', 'human', '--out', exportDir);
  assert.equal(exported.status, 0, exported.stderr);
  t.diagnostic(`trained and exported in ${Date.now() - t0} ms: ${exported.stdout.trim().split('\n').join('; ')}`);

  const photos = PHOTOS.map((p) => join(NM, '@vladmandic', 'face-api', 'demo', p));
  const t1 = Date.now();
  const pr = semifer('predict', ...photos, '--run', run, '--json');
  assert.equal(pr.status, 0, pr.stderr);
  const byRun = pr.stdout.trim().split('\n').map((l) => JSON.parse(l) as PredictFace);
  t.diagnostic(`semifer predict --run in ${Date.now() - t1} ms: ${byRun.length} faces`);

  const { server, origin } = await serve(PAGE, {
    human: join(NM, '@vladmandic', 'human', 'dist'),
    models: join(NM, '@vladmandic', 'human', 'models'),
    wasm: join(NM, '@tensorflow', 'tfjs-backend-wasm', 'dist'),
    emotion: exportDir,
    photos: join(NM, '@vladmandic', 'face-api', 'demo'),
  });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  let results: { photo: string; backend: string; inputShape: number[]; faces: HumanFace[]; calls: number }[];
  const requests: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    const t2 = Date.now();
    await page.goto(origin);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 30_000 })
      .catch((e) => assert.fail(`page did not load Human: ${e.message}\n${logs.join('\n')}`));
    results = await page.evaluate((p) => (window as unknown as { runHuman: (p: string[]) => Promise<never> }).runHuman(p), PHOTOS)
      .catch((e) => assert.fail(`Human failed: ${e.message}\n${logs.join('\n')}`));
    t.diagnostic(`Human (${results[0]!.backend}) on ${PHOTOS.length} photos in ${Date.now() - t2} ms`);
  } finally {
    await browser.close();
    server.close();
  }
  assert.equal(results[0]!.backend, 'wasm', 'Human runs on its WASM backend (the TF.js it bundles must match the binaries of @tensorflow/tfjs-backend-wasm served from node_modules)');
  const outside = requests.filter((u) => !u.startsWith(origin));
  assert.deepEqual(outside, [], 'every request stays on 127.0.0.1');

  const { model, meta } = loadModelFile(join(run, 'model.safetensors'));
  model.eval();
  let worst = 0, agree = 0, matched = 0;
  const overlaps: string[] = [];
  for (const r of results) {
    assert.deepEqual(r.inputShape, [-1, meta.size, meta.size, 3], 'Human sees a 3-channel model of the exported size');
    assert.ok(r.faces.length >= 2, `${r.photo}: Human found ${r.faces.length} faces`);
    assert.equal(r.calls, r.faces.length, `${r.photo}: one emotion-model call per face`);
    for (const [i, f] of r.faces.entries()) {
      const call = f.call!;
      assert.deepEqual(call.shape, [1, meta.size, meta.size, 3]);
      // semifer's model on the pixels Human fed the export: pixel = (x + subtract[c]) / 255.
      const pixels = Float32Array.from(call.input, (x, k) => (x + HUMAN_SUBTRACT[k % 3]!) / 255);
      const probs = torch.tidy(() => torch.noGrad(() => {
        const x = normalize(torch.tensor(pixels, { shape: call.shape }).permute(0, 3, 1, 2).contiguous(), meta.normalization.mean, meta.normalization.std);
        return Array.from(model.forward(x).logits.softmax(1).to('float32').data() as Float32Array);
      }));
      const want = HUMAN_ORDER.map((h) => probs[meta.classes.findIndex((c) => (TO_HUMAN[c] ?? c) === h)]!);
      const d = Math.max(...want.map((p, k) => Math.abs(p - call.output[k]!)));
      worst = Math.max(worst, d);
      assert.ok(d < 1e-4, `${r.photo} face ${i}: Human's TF.js and semifer's model differ by ${d} on Human's crop`);
      // What Human reports: each class with its score truncated to 2 decimals (capped at 0.99), best first.
      const top = argmax(call.output);
      assert.equal(f.emotion[0]!.emotion, HUMAN_ORDER[top]);
      for (const e of f.emotion) {
        const p = call.output[HUMAN_ORDER.indexOf(e.emotion)]!;
        assert.equal(e.score, Math.min(0.99, Math.trunc(100 * p) / 100), `${r.photo} face ${i} ${e.emotion}`);
      }
      // The same face in semifer predict's output (its own detector and eye-aligned crop).
      const same = byRun.filter((p) => p.file.endsWith(r.photo)).map((p) => ({ p, o: overlap(f.box, p.box) })).sort((a, b) => b.o - a.o)[0];
      overlaps.push(same ? same.o.toFixed(2) : '0');
      if (same && same.o > 0.8) {
        matched++;
        if ((TO_HUMAN[same.p.label] ?? same.p.label) === f.emotion[0]!.emotion) agree++;
      }
    }
  }
  model.dispose();
  const faces = results.reduce((n, r) => n + r.faces.length, 0);
  t.diagnostic(`${faces} faces: Human vs semifer's model on Human's crop: max |Δp| ${worst.toExponential(1)}; ` +
    `${matched} matched to semifer predict's faces (overlap > 0.8), same top class on the two crops for ${agree}`);
  t.diagnostic(`best overlap of each of Human's faces with semifer predict's: ${overlaps.join(', ')}`);
  assert.equal(matched, faces, `Human's faces found by semifer predict: ${matched} of ${faces}`);
  assert.equal(faces, byRun.length, 'Human and semifer predict find the same number of faces');
  t.diagnostic(`total ${Date.now() - t0} ms`);
});
