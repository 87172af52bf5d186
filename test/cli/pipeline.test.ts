// The CLI end to end on generated faces: train → eval → report (rendered in
// headless Chromium) → compare, through the compiled binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDataset } from '../train/fixtures.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const CHROMIUM = process.env.SEMIFER_CHROMIUM ?? '/usr/bin/chromium';

function semifer(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

test('train → eval → report → compare', { timeout: 300_000 }, async (t) => {
  const root = await tinyDataset();
  const runs = mkdtempSync(join(tmpdir(), 'semifer-cli-'));
  const common = ['--dataset', 'rafdb', '--root', root, '--labels-per-class', '3', '--model', 'small', '--size', '32', '--batch', '4',
    '--epochs', '2', '--steps-per-epoch', '3', '--cache-dir', join(root, '.cache'), '--log-every', '1', '--quiet'];
  for (const method of ['adacm', 'supervised']) {
    const r = semifer('train', ...common, '--method', method, '--out', join(runs, method), '--json');
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.method, method);
  }
  const ev = semifer('eval', '--run', join(runs, 'adacm'), '--cache-dir', join(root, '.cache'), '--json');
  assert.equal(ev.status, 0, ev.stderr);
  const evj = JSON.parse(ev.stdout);
  const summary = JSON.parse(readFileSync(join(runs, 'adacm', 'summary.json'), 'utf8'));
  assert.equal(evj.accuracy, summary.accuracy, 'eval reproduces the training summary');
  assert.equal(evj.confusion.length, 7);
  // The synthetic faces' attributes.csv: one breakdown per attribute; each attribute's groups
  // partition the test faces, and their accuracies weighted by size give the overall accuracy.
  assert.deepEqual(evj.groups.map((g: { attribute: string }) => g.attribute), ['skin_tone', 'apparent_age', 'glasses', 'occlusion']);
  for (const g of evj.groups as Array<{ unknown: number; groups: Array<{ numSamples: number; accuracy: number; confusion: number[][] }> }>) {
    assert.equal(g.unknown + g.groups.reduce((n, x) => n + x.numSamples, 0), evj.numSamples);
    assert.ok(Math.abs(g.groups.reduce((a, x) => a + x.accuracy * x.numSamples, 0) / evj.numSamples - evj.accuracy) < 1e-9);
    const zero: number[][] = evj.confusion.map((row: number[]) => row.map(() => 0));
    const summed = g.groups.reduce((m, x) => m.map((row, r) => row.map((v, c) => v + x.confusion[r]![c]!)), zero);
    assert.deepEqual(summed, evj.confusion);
  }
  // --attributes: a manifest kept outside the dataset adds its own breakdown.
  const test = JSON.parse(readFileSync(join(root, 'synth_truth.json'), 'utf8')).testIds as string[];
  writeFileSync(join(runs, 'mine.csv'), `id,half\n${test.map((id, i) => `${id},${i % 2 ? 'odd' : 'even'}`).join('\n')}\n`);
  const mine = JSON.parse(semifer('eval', '--run', join(runs, 'adacm'), '--cache-dir', join(root, '.cache'), '--attributes', join(runs, 'mine.csv'), '--json').stdout);
  const half = mine.groups.find((g: { attribute: string }) => g.attribute === 'half');
  assert.deepEqual(half.groups.map((g: { group: string; numSamples: number }) => [g.group, g.numSamples]), [['even', Math.ceil(test.length / 2)], ['odd', Math.floor(test.length / 2)]]);
  const noFile = semifer('eval', '--run', join(runs, 'adacm'), '--cache-dir', join(root, '.cache'), '--attributes', join(runs, 'none.csv'));
  assert.equal(noFile.status, 1);
  assert.match(noFile.stderr, /none\.csv: file not found; expected an attribute manifest/);
  const bad = semifer('eval', '--run', join(runs, 'nope'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /nope\/model\.safetensors: no model file/);

  const rep = semifer('report', '--run', join(runs, 'adacm'));
  assert.equal(rep.status, 0, rep.stderr);
  const html = readFileSync(join(runs, 'adacm', 'report.html'), 'utf8');
  for (const chart of ['loss', 'accuracy', 'thresholds', 'subsets', 'confusion', 'per-class', 'tsne', 'faces-confident', 'faces-misclassified']) {
    assert.match(html, new RegExp(`data-chart="${chart}"`), chart);
  }
  assert.match(html, /<section id="groups">/);
  assert.match(html, /data-table="group-skin_tone"/);
  const cmp = semifer('compare', join(runs, 'adacm'), join(runs, 'supervised'), '--out', join(runs, 'compare.html'), '--json');
  assert.equal(cmp.status, 0, cmp.stderr);
  assert.equal(JSON.parse(cmp.stdout).rows.length, 2);
  assert.ok(existsSync(join(runs, 'compare.html')));

  if (!existsSync(CHROMIUM)) {
    t.diagnostic(`Chromium not found at ${CHROMIUM}: browser check skipped (apt-get install chromium)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('data:') && !r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto('file://' + join(runs, 'adacm', 'report.html'));
    const charts = await page.evaluate(() => [...document.querySelectorAll<SVGSVGElement>('svg[data-chart]')].map((svg) => {
      const r = svg.getBoundingClientRect();
      return { name: svg.dataset.chart, w: r.width, h: r.height, marks: svg.querySelectorAll('path, rect, circle, image').length };
    }));
    const byName = new Map(charts.map((c) => [c.name, c]));
    for (const name of ['loss', 'accuracy', 'thresholds', 'subsets', 'confusion', 'per-class', 'tsne']) {
      const c = byName.get(name);
      assert.ok(c, `chart ${name} rendered`);
      assert.ok(c!.w > 100 && c!.h > 100 && c!.marks >= 2, `chart ${name} is non-empty (${JSON.stringify(c)})`);
    }
    // Face crops are inline PNGs inside the SVG grids: each must decode to a real bitmap.
    const faces = await page.evaluate(async () => {
      const hrefs = [...document.querySelectorAll('svg[data-chart^="faces"] image')].map((i) => i.getAttribute('href') ?? '');
      const sizes = await Promise.all(hrefs.map((h) => new Promise<number>((res) => {
        const img = new Image();
        img.onload = () => res(img.naturalWidth);
        img.onerror = () => res(0);
        img.src = h;
      })));
      return { total: hrefs.length, decoded: sizes.filter((w) => w > 0).length };
    });
    assert.ok(faces.total > 5 && faces.decoded === faces.total, `face images decoded (${JSON.stringify(faces)})`);
    assert.deepEqual(requests, [], 'the report needs no network');
    const art = join(process.cwd(), 'test-artifacts');
    mkdirSync(art, { recursive: true });
    await page.screenshot({ path: join(art, 'pipeline-report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
