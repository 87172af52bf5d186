import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRows, formatCompareTable, renderCompareHtml } from '../../src/report/compare.js';
import { sampleReportData } from './sampleData.js';
import type { ReportData } from '../../src/report/types.js';

/** A run whose headline numbers are given exactly. */
function run(method: string, labelBudget: number | string, seed: number, acc: number, teacher = true): ReportData {
  const d = sampleReportData({ method: 'Ada-CM', seed, epochs: 3, stepsPerEpoch: 20, testSize: 50, faces: false });
  const m = { accuracy: acc, meanClassAccuracy: acc - 0.1, macroF1: acc - 0.05 };
  d.run = { ...d.run, method, labelBudget, seed, summary: teacher ? { student: { ...m, accuracy: 0 }, teacher: m } : { student: m } };
  return d;
}

const runs = [
  run('FixMatch', 400, 1, 0.7),
  run('Ada-CM', 400, 1, 0.8),
  run('Ada-CM', 400, 2, 0.9),
  run('Ada-CM', 1000, 1, 0.85),
  run('Supervised', 100, 1, 0.5, false),
  run('Ada-CM', '10%', 1, 0.6),
];

test('rows: one per dataset × label budget × method, seeds averaged, numeric budgets in order', () => {
  const rows = compareRows(runs);
  assert.deepEqual(rows.map((r) => `${r.labelBudget}/${r.method}`), ['100/Supervised', '400/Ada-CM', '400/FixMatch', '1000/Ada-CM', '10%/Ada-CM']);
  const ada = rows[1]!;
  assert.equal(ada.runs, 2);
  assert.deepEqual(ada.seeds, [1, 2]);
  assert.ok(Math.abs(ada.accuracy.mean - 0.85) < 1e-12);
  assert.ok(Math.abs(ada.accuracy.sd - Math.sqrt(0.005)) < 1e-12); // sample sd of 0.8, 0.9
  assert.equal(ada.model, 'teacher');
  assert.equal(rows[0]!.model, 'student');
  // best only where several methods share a budget
  assert.deepEqual(rows.map((r) => r.best), [false, true, false, false, false]);
});

test('terminal table: aligned columns, mean ± sd, best marked', () => {
  const t = formatCompareTable(runs);
  const lines = t.split('\n');
  assert.match(lines[0]!, /^dataset\s+labels\s+method\s+model\s+runs\s+accuracy %\s+mean class acc %\s+macro-F1 %$/);
  assert.match(t, /^RAF-DB\s+400\s+Ada-CM\s+teacher\s+2\s+85\.00 ± 7\.07 \*\s+75\.00 ± 7\.07\s+80\.00 ± 7\.07$/m);
  assert.match(t, /^RAF-DB\s+100\s+Supervised\s+student\s+1\s+50\.00\s+40\.00\s+45\.00$/m);
  assert.match(t, /mean ± sample standard deviation/);
  assert.match(t, /\* best accuracy/);
  const widths = new Set(lines.slice(0, 7).map((l) => l.length));
  assert.equal(widths.size, 1, 'columns line up');
});

test('compare page: table, overlaid curves (one per run), runs list, escaped names', () => {
  const evil = run('<img src=x>', 400, 3, 0.75);
  const html = renderCompareHtml([...runs, evil]);
  assert.match(html, /data-table="compare"/);
  assert.match(html, /data-table="runs"/);
  const svg = /<svg class="chart" data-chart="compare-accuracy"[\s\S]*?<\/svg>/.exec(html)?.[0];
  assert.ok(svg, 'curves chart present');
  assert.equal((svg.match(/class="series"/g) ?? []).length, runs.length + 1);
  assert.ok(!html.includes('<img'));
  assert.match(html, /&lt;img src=x&gt;/);
  assert.match(html, /class="best">85\.00 ± 7\.07%/);
});

test('compare page without epoch rows says so', () => {
  const r = run('A', 1, 1, 0.5);
  r.metrics = [];
  const html = renderCompareHtml([r]);
  assert.match(html, /data-absent="compare-accuracy"/);
});
