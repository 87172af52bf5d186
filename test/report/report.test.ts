import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_CHARTS, renderReportHtml } from '../../src/report/renderReport.js';
import { sampleReportData } from './sampleData.js';
import type { ReportData } from '../../src/report/types.js';
import { fullReportData } from './kitchenSink.js';

/** Every chart SVG in the page, by data-chart name (charts never nest). */
function charts(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<svg class="chart" data-chart="([^"]+)"[\s\S]*?<\/svg>/g)) {
    assert.ok(!out.has(m[1]!), `chart ${m[1]} appears twice`);
    out.set(m[1]!, m[0]);
  }
  return out;
}

function absentKeys(html: string): string[] {
  return [...html.matchAll(/data-absent="([^"]+)"/g)].map((m) => m[1]!);
}

const full = fullReportData();
const html = renderReportHtml(full);
const found = charts(html);

test('a complete run shows every chart, each non-empty with a title', () => {
  const expected = [...REPORT_CHARTS, 'loss-total', 'loss-lx', 'loss-lu', 'loss-ls'];
  for (const name of expected) {
    const svg = found.get(name);
    assert.ok(svg, `missing chart ${name}`);
    assert.match(svg, /<title>[^<]+<\/title>/, `${name} has no <title>`);
    assert.match(svg, /<(path|rect|circle|image) /, `${name} draws nothing`);
    assert.match(svg, /viewBox="0 0 \d+(\.\d)? \d+(\.\d)?"/);
    assert.ok(!/NaN|undefined|Infinity/.test(svg), `${name} has NaN/undefined coordinates`);
  }
  assert.deepEqual([...found.keys()].sort(), expected.sort());
  assert.deepEqual(absentKeys(html), []);
});

test('chart contents follow the data', () => {
  // one line per class in the thresholds chart, one series per loss term
  assert.equal((found.get('thresholds')!.match(/class="series"/g) ?? []).length, 7);
  assert.equal((found.get('loss')!.match(/class="series"/g) ?? []).length, 4);
  // confusion matrix: 7 × 7 coloured cells with the counts
  const conf = found.get('confusion')!;
  assert.equal((conf.match(/<rect [^>]*fill="rgb/g) ?? []).length, 49);
  const diag = full.eval!.confusion[1]![1]!;
  assert.match(conf, new RegExp(`>${diag}</text>`));
  // face grids: 10 images each, embedded as PNG data URIs
  for (const k of ['confident', 'ambiguous', 'misclassified']) {
    assert.equal((found.get(`faces-${k}`)!.match(/<image href="data:image\/png;base64,[A-Za-z0-9+/=]+"/g) ?? []).length, 10);
  }
  // t-SNE: one dot per test sample
  const tsne = found.get('tsne')!;
  assert.ok((tsne.match(/<circle /g) ?? []).length >= 600);
  // header numbers
  assert.match(html, /data-score="accuracy"/);
  assert.match(html, new RegExp(`${(full.run.summary.teacher!.accuracy * 100).toFixed(2)}%`));
});

test('self-contained: no scripts, no external URLs, no fonts to fetch', () => {
  assert.ok(!/<script/i.test(html));
  assert.ok(!/<link /i.test(html));
  assert.ok(!/@import|@font-face|url\((?!#)/i.test(html), 'CSS must not load anything');
  const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
  for (const r of refs) assert.ok(r.startsWith('#') || r.startsWith('data:image/'), `external reference ${r.slice(0, 60)}`);
  assert.match(html, /^<!doctype html>/);
});

test('HTML in class names, commands, run names and loss-term names is escaped', () => {
  const evil = '<script>alert(1)</script>';
  const data: ReportData = {
    ...sampleReportData({ method: 'Supervised', epochs: 3, stepsPerEpoch: 50, testSize: 80 }),
  };
  data.classNames = [evil, 'a&b', '"quoted"', 'x', 'y', 'z', 'w'];
  data.run = { ...data.run, name: '<b>run</b>', method: '<i>m</i>', command: 'semifer train --note "</code><img src=x onerror=alert(1)>"' };
  data.metrics = data.metrics.map((r) => (r.kind === 'step' ? { ...r, loss: { ...r.loss, '<u>L</u>': 0.5 } } : r));
  data.skippedMetricsLines = [{ line: 3, reason: 'not valid JSON (<oops>)' }];
  data.evalModel = '<em>teacher</em>';
  data.tsne = { ...data.tsne!, description: '<em>features</em>' };
  const out = renderReportHtml(data);
  assert.ok(!out.includes('<script'), 'no script element');
  assert.ok(!out.includes('<img'), 'no img element from the command line');
  assert.ok(!out.includes('<b>run</b>') && !out.includes('<i>m</i>') && !out.includes('<u>L</u>') && !out.includes('<oops>') && !out.includes('<em>'));
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(out, /a&amp;b/);
  assert.match(out, /&quot;quoted&quot;/);
  assert.match(out, /&lt;\/code&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(out, /data-chart="loss-u-l-u"/);
  assert.match(out, /data-warning="skipped-lines"[\s\S]*line 3: not valid JSON \(&lt;oops&gt;\)/);
});

test('absent data is said, not drawn: supervised run', () => {
  const sup = sampleReportData({ method: 'Supervised', epochs: 3, stepsPerEpoch: 50, testSize: 80 });
  const out = renderReportHtml(sup);
  const keys = absentKeys(out);
  assert.deepEqual(keys.sort(), ['pseudo-label-quality', 'relabel', 'subsets', 'thresholds']);
  for (const k of keys) {
    const card = out.slice(out.indexOf(`data-absent="${k}"`)).split('</figure>')[0]!;
    assert.match(card, /Not recorded for this method\./);
  }
  const c = charts(out);
  for (const k of ['thresholds', 'subsets', 'pseudo-label-quality', 'relabel-epochs', 'relabel-classes']) assert.ok(!c.has(k), k);
  // a single loss term gets no small multiples
  assert.ok(c.has('loss') && !c.has('loss-total'));
  // no teacher in a supervised run: only student lines, and no teacher row in the header
  assert.equal((c.get('accuracy')!.match(/class="series"/g) ?? []).length, 2);
  assert.ok(!/teacher \(EMA\)<\/span>/.test(out));
});

test('a run with nothing but its header still renders, every section saying what is missing', () => {
  const bare: ReportData = { run: full.run, classNames: full.classNames, metrics: [] };
  const out = renderReportHtml(bare);
  assert.equal(charts(out).size, 0);
  assert.deepEqual(absentKeys(out).sort(), [
    'accuracy', 'confusion', 'faces-ambiguous', 'faces-confident', 'faces-misclassified', 'learning-rate', 'loss',
    'per-class', 'pseudo-label-quality', 'relabel', 'subsets', 'thresholds', 'throughput', 'tsne',
  ]);
  assert.equal((out.match(/Not recorded for this method\./g) ?? []).length, 14);
});

test('faces given as base64 strings work; strings that are not base64 are left out', () => {
  const data = sampleReportData({ method: 'SCN', epochs: 2, stepsPerEpoch: 20, testSize: 60 });
  const f = data.faces!;
  f.confident = f.confident.map((x, i) => ({ ...x, png: i === 0 ? 'javascript:alert(1)' : Buffer.from(x.png as Uint8Array).toString('base64') }));
  const out = renderReportHtml(data);
  const grid = charts(out).get('faces-confident')!;
  assert.equal((grid.match(/<image /g) ?? []).length, f.confident.length - 1);
  assert.ok(!out.includes('javascript:'));
});

test("the trainer's warnings (metrics.jsonl kind 'warning') are shown at the top of the report, escaped", () => {
  const data = sampleReportData({ method: 'Ada-CM', epochs: 3, stepsPerEpoch: 50, testSize: 80 });
  assert.ok(!renderReportHtml(data).includes('data-warning="training"'), 'no warning box without warnings');
  data.metrics = [...data.metrics, { kind: 'warning', epoch: 2, message: 'epoch 2: adacm accepted no pseudo-label <b>' }];
  const out = renderReportHtml(data);
  assert.match(out, /data-warning="training"><strong>The run warned 1 time<\/strong><ul><li>epoch 2: adacm accepted no pseudo-label &lt;b&gt;<\/li>/);
});
