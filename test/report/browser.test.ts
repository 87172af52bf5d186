/**
 * Renders reports in headless Chromium (Debian's package) and checks what a
 * reader would see: every chart laid out with a real size, no label colliding
 * with another or cut off at the chart's edge, no horizontal scrolling, no
 * network request, no script error. Writes full-page screenshots to
 * dist/test-artifacts/ for a person to look at.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCompareHtml } from '../../src/report/compare.js';
import { REPORT_CHARTS, renderReportHtml } from '../../src/report/renderReport.js';
import { sampleReportData } from './sampleData.js';
import { fullReportData } from './kitchenSink.js';

const CHROMIUM = process.env.SEMIFER_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');

const skip = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM}; install it with "apt-get install -y --no-install-recommends chromium" (or set SEMIFER_CHROMIUM) to run the browser checks`;

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** Opens `html` in a fresh page, recording network requests and errors. */
async function open(browser: Browser, html: string, width: number): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith('data:')) requests.push(r.url()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests, errors };
}

interface Layout {
  charts: { name: string; width: number; height: number; right: number; marks: number }[];
  overlaps: string[];
  clipped: string[];
  scrollWidth: number;
  clientWidth: number;
  brokenImages: number;
}

/** Measured in the page: chart boxes, text collisions inside each chart, text outside its chart, broken images. */
async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const charts = [...document.querySelectorAll<SVGSVGElement>('svg.chart')].map((svg) => {
      const r = svg.getBoundingClientRect();
      return { name: svg.dataset.chart ?? '', width: r.width, height: r.height, right: r.right, marks: svg.querySelectorAll('path, rect, circle, image').length };
    });
    const overlaps: string[] = [];
    const clipped: string[] = [];
    for (const svg of document.querySelectorAll<SVGSVGElement>('svg.chart')) {
      const box = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent?.trim());
      const rects = texts.map((t) => ({ t, r: t.getBoundingClientRect(), rotated: (t.getAttribute('transform') ?? '').includes('rotate') }));
      for (const { t, r } of rects) {
        if (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2) {
          clipped.push(`${svg.dataset.chart}: "${t.textContent}"`);
        }
      }
      // Diagonal labels have overlapping bounding boxes by nature; compare upright text only.
      const upright = rects.filter((x) => !x.rotated);
      for (let i = 0; i < upright.length; i++) {
        for (let j = i + 1; j < upright.length; j++) {
          const a = upright[i]!.r, b = upright[j]!.r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1) overlaps.push(`${svg.dataset.chart}: "${upright[i]!.t.textContent}" / "${upright[j]!.t.textContent}"`);
        }
      }
    }
    // An <image> in SVG has no "complete" flag: decode each data URI with an HTMLImageElement instead.
    const hrefs = [...document.querySelectorAll('svg image')].map((im) => im.getAttribute('href') ?? '');
    const broken = hrefs.filter((h) => !h.startsWith('data:image/')).length;
    return { charts, overlaps, clipped, scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, brokenImages: broken };
  });
}

async function decodeAll(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const hrefs = [...document.querySelectorAll('svg image')].map((im) => im.getAttribute('href') ?? '');
    const ok = await Promise.all(hrefs.map((h) => new Promise<boolean>((res) => {
      const img = new Image();
      img.onload = () => res(img.naturalWidth > 0);
      img.onerror = () => res(false);
      img.src = h;
    })));
    return ok.filter((x) => !x).length;
  });
}

function checkLayout(t: TestContext, l: Layout, expected: readonly string[], viewport: number): void {
  const names = l.charts.map((c) => c.name);
  for (const name of expected) {
    const c = l.charts.filter((x) => x.name === name);
    assert.equal(c.length, 1, `chart ${name} present once`);
    assert.ok(c[0]!.width > 50 && c[0]!.height > 50, `chart ${name} has a real size (${c[0]!.width}×${c[0]!.height})`);
    assert.ok(c[0]!.right <= viewport + 1, `chart ${name} fits the page width`);
    assert.ok(c[0]!.marks > 0, `chart ${name} draws marks`);
  }
  t.diagnostic(`${names.length} charts`);
  assert.deepEqual(l.overlaps, [], 'labels collide');
  assert.deepEqual(l.clipped, [], 'labels cut off at the chart edge');
  assert.ok(l.scrollWidth <= l.clientWidth, `page scrolls sideways (${l.scrollWidth} > ${l.clientWidth})`);
  assert.equal(l.brokenImages, 0);
}

test('run report in headless Chromium: every chart laid out, readable, offline', { skip, timeout: 180_000 }, async (t) => {
  const browser = await launch();
  try {
    const data = fullReportData();
    const html = renderReportHtml(data);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'report.html'), html);
    const expected = [...REPORT_CHARTS, 'loss-total', 'loss-lx', 'loss-lu', 'loss-ls'];
    for (const width of [1280, 760]) {
      const { page, requests, errors } = await open(browser, html, width);
      checkLayout(t, await layout(page), expected, width);
      assert.equal(await decodeAll(page), 0, 'every face image decodes');
      assert.deepEqual(requests, [], 'no network requests');
      assert.deepEqual(errors, [], 'no page errors');
      const shot = join(ARTIFACTS, `report-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      t.diagnostic(`screenshot: ${shot}`);
      await page.close();
    }
    // The supervised baseline: the absent sections are visible notes.
    const sup = await open(browser, renderReportHtml(sampleReportData({ method: 'Supervised', epochs: 8, stepsPerEpoch: 200 })), 1280);
    const notes = await sup.page.locator('[data-absent]').evaluateAll((els) => els.map((e) => ({ key: e.getAttribute('data-absent'), text: e.textContent ?? '', h: e.getBoundingClientRect().height })));
    assert.deepEqual(notes.map((n) => n.key).sort(), ['pseudo-label-quality', 'relabel', 'subsets', 'thresholds']);
    for (const n of notes) {
      assert.match(n.text, /Not recorded for this method\./);
      assert.ok(n.h > 20, 'note is visible');
    }
    await sup.page.screenshot({ path: join(ARTIFACTS, 'report-supervised.png'), fullPage: true });
    await sup.page.close();
  } finally {
    await browser.close();
  }
});

test('compare page in headless Chromium', { skip, timeout: 120_000 }, async (t) => {
  const browser = await launch();
  try {
    const runs = (['Ada-CM', 'SCN', 'Supervised'] as const).flatMap((method) =>
      [1, 2].flatMap((seed) => [100, 400].map((labelBudget) => sampleReportData({ method, seed, labelBudget, epochs: 12, stepsPerEpoch: 100, testSize: 200, faces: false }))));
    const html = renderCompareHtml(runs);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'compare.html'), html);
    const { page, requests, errors } = await open(browser, html, 1280);
    checkLayout(t, await layout(page), ['compare-accuracy'], 1280);
    assert.equal(await page.locator('table[data-table="compare"] tbody tr').count(), 6);
    assert.deepEqual(requests, []);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'compare.png'), fullPage: true });
    t.diagnostic(`screenshot: ${join(ARTIFACTS, 'compare.png')}`);
  } finally {
    await browser.close();
  }
});
