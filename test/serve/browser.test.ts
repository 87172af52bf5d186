// `semifer serve` end to end in headless Chromium: a fake webcam playing a real
// photo (face-api's sample), the live view must draw bars for its face; a photo
// from the file picker and one dropped on the page must get faces and bars; and
// no request may leave the server. Screenshots go to test-artifacts/serve-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startServe } from './helpers.js';
import { writeY4m, type RgbFrame } from './y4m.js';
import { exportedModelForTest } from './exportedModel.js';
import { alignFace, type FacePoints } from '../../src/deploy/align.js';
import { runTfjs } from '../../src/export/runTfjs.js';
import { readExportedTfjsModel } from '../../src/serve/modelFolder.js';
import type { Page } from 'playwright-core';

const CHROMIUM = process.env.SEMIFER_CHROMIUM ?? '/usr/bin/chromium';
const SAMPLES = join(process.cwd(), 'node_modules', '@vladmandic', 'face-api', 'demo');
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** Frames of a 640×480 "webcam" looking at the laughing woman on the right of sample1.jpg, drifting a few pixels. */
async function webcamFrames(n: number): Promise<RgbFrame[]> {
  const frames: RgbFrame[] = [];
  for (let i = 0; i < n; i++) {
    const { data, info } = await sharp(join(SAMPLES, 'sample1.jpg'))
      .extract({ left: 1100 + 4 * i, top: 40, width: 800, height: 600 })
      .resize(640, 480).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    frames.push({ width: info.width, height: info.height, data: new Uint8Array(data) });
  }
  return frames;
}

/**
 * The photo card just made must hold what Node computes from the same points:
 * the crops of src/deploy/align.ts cut from sharp's decoding of the file (only
 * the two JPEG decoders differ), and the exported model's probabilities for
 * those crops on Node's TF.js.
 */
async function sameAsNode(page: Page, modelDir: string): Promise<string> {
  const result = JSON.parse((await page.getAttribute('figure.photo', 'data-result'))!) as { scale: number; faces: (FacePoints & { probs: number[] })[] };
  const crops = await page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('figure.photo:first-child .crop canvas')]
    .map((c) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data).filter((_, i) => i % 4 !== 3)));
  const { metadata } = readExportedTfjsModel(modelDir);
  const size = metadata.input.size;
  const { data, info } = await sharp(join(SAMPLES, 'sample1.jpg')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = { rgb: new Uint8Array(data), width: info.width, height: info.height };
  const at = (p: [number, number]): [number, number] => [p[0] * result.scale, p[1] * result.scale];
  const diffs = result.faces.map((f, i) => {
    const node = alignFace(image, { eyeLeft: at(f.eyeLeft), eyeRight: at(f.eyeRight), mouth: at(f.mouth) }, size);
    const diff = node.reduce((s, v, k) => s + Math.abs(v - crops[i]![k]!), 0) / node.length;
    assert.ok(diff < 3, `face ${i}: browser crop differs from Node's by ${diff.toFixed(2)} per byte on average`);
    return diff.toFixed(2);
  });
  const { probabilities } = await runTfjs(modelDir, Uint8Array.from(crops.flat()), metadata);
  const browser = result.faces.flatMap((f) => f.probs);
  const worst = Math.max(...browser.map((p, k) => Math.abs(p - probabilities[k]!)));
  assert.ok(worst < 1e-4, `browser and Node probabilities differ by ${worst}`);
  return `crops differ from Node's by ${diffs.join(', ')} per byte; probabilities by ≤ ${worst.toExponential(1)}`;
}

test('serve: webcam, file picker and drop in headless Chromium, offline', { timeout: 180_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.diagnostic(`Chromium not found at ${CHROMIUM}: browser test skipped (apt-get install chromium)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'semifer-serve-'));
  const t00 = Date.now();
  const model = exportedModelForTest(dir);
  t.diagnostic(`exported a fresh small model to TF.js in ${Date.now() - t00} ms`);
  const y4m = join(dir, 'webcam.y4m');
  writeY4m(y4m, await webcamFrames(5));
  mkdirSync(ARTIFACTS, { recursive: true });

  const serve = await startServe(model);
  const origin = new URL(serve.url).origin;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    const why = () => `\n--- browser console ---\n${logs.join('\n')}\n--- server ---\n${serve.stderr()}`;

    // WASM: the same backend on every machine (headless Chromium has no GPU for WebGL here).
    const t0 = Date.now();
    await page.goto(`${serve.url}?backend=wasm`);
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', `page failed: ${await page.textContent('#status')}${why()}`);
    t.diagnostic(`page ready in ${Date.now() - t0} ms (${await page.textContent('#status')})`);

    // Live view: wait for a few analysed frames with at least one face carrying bars.
    const t1 = Date.now();
    await page.click('#webcam-toggle');
    await page.waitForFunction(() => {
      const o = document.getElementById('overlay')!;
      return Number(o.dataset.frames) >= 3 && Number(o.dataset.faces) >= 1;
    }, null, { timeout: 60_000 }).catch((e) => assert.fail(`no face in the live view: ${e.message}${why()}`));
    const live = await page.evaluate(() => {
      const o = document.getElementById('overlay')!;
      return { faces: o.dataset.faces, top: o.dataset.top, stats: document.getElementById('live-stats')!.textContent };
    });
    t.diagnostic(`webcam: first face after ${Date.now() - t1} ms; ${live.stats}; top: ${live.top}`);
    assert.equal(live.faces, '1', 'one face in the fake webcam');
    await page.locator('#live').screenshot({ path: join(ARTIFACTS, 'serve-webcam.png') });
    await page.click('#webcam-toggle');

    // A photo through the file picker: sample1 holds three faces.
    const t2 = Date.now();
    await page.setInputFiles('#file-input', join(SAMPLES, 'sample1.jpg'));
    await page.waitForSelector('figure.photo:is([data-state="done"], [data-state="error"])', { timeout: 60_000 });
    assert.equal(await page.getAttribute('figure.photo', 'data-state'), 'done', `${await page.textContent('figure.photo figcaption')}${why()}`);
    const picked = await page.evaluate(() => document.querySelector<HTMLElement>('figure.photo')!.dataset.faces);
    t.diagnostic(`file picker: ${picked} faces in ${Date.now() - t2} ms`);
    assert.ok(Number(picked) >= 2, `faces found in sample1.jpg: ${picked}`);
    assert.equal(await page.locator('figure.photo .crop').count(), Number(picked), 'one aligned crop per face');
    await page.locator('figure.photo').first().screenshot({ path: join(ARTIFACTS, 'serve-photo.png') });
    t.diagnostic(`same as Node: ${await sameAsNode(page, model)}`);

    // A photo dropped on the page (a DataTransfer holding a File, as a real drop delivers).
    const small = await sharp(join(SAMPLES, 'sample3.jpg')).resize(960).jpeg().toBuffer();
    await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, small.toString('base64'));
    await page.waitForFunction(() => document.querySelectorAll('figure.photo:is([data-state="done"], [data-state="error"])').length === 2, null, { timeout: 60_000 });
    assert.equal(await page.getAttribute('figure.photo', 'data-state'), 'done', `${await page.textContent('figure.photo figcaption')}${why()}`);
    const dropped = await page.evaluate(() => document.querySelector<HTMLElement>('figure.photo')!.dataset.faces);
    assert.ok(Number(dropped) >= 2, `faces found in the dropped sample3.jpg: ${dropped}`);
    await page.screenshot({ path: join(ARTIFACTS, 'serve-page.png'), fullPage: true });

    const outside = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(outside, [], 'every request goes to the serve server');
    assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the WASM backend was fetched from the server');
  } finally {
    await browser.close();
    await serve.stop();
  }
});
