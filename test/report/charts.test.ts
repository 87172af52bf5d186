import { test } from 'node:test';
import assert from 'node:assert/strict';
import { esc, slug } from '../../src/report/escape.js';
import { barChart } from '../../src/report/svg/barChart.js';
import { heatMap } from '../../src/report/svg/heatMap.js';
import { downsample, lineChart, movingAverage } from '../../src/report/svg/lineChart.js';
import { formatPercentTick, formatTick, niceTicks } from '../../src/report/svg/scale.js';
import { scatterPlot } from '../../src/report/svg/scatterPlot.js';
import { imageGrid } from '../../src/report/svg/imageGrid.js';

test('nice ticks cover the data with 1-2-2.5-5 steps and no float noise', () => {
  assert.deepEqual(niceTicks(0, 1, 5).values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const t = niceTicks(0.13, 0.87, 5);
  assert.equal(t.step, 0.2);
  assert.deepEqual(t.values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 16000, 5).values, [0, 5000, 10000, 15000, 20000]);
  assert.deepEqual(niceTicks(3, 3).values.length > 1, true); // flat data still gets an axis
  assert.deepEqual(niceTicks(-0.3, 0.1, 4).values, [-0.3, -0.2, -0.1, 0, 0.1]);
  assert.equal(niceTicks(0, 10, 4).step, 2.5);
});

test('tick labels: thousands as k, small values in exponent form, percentages', () => {
  assert.equal(formatTick(15000, 5000), '15k');
  assert.equal(formatTick(5000, 5000), '5k');
  assert.equal(formatTick(0.6, 0.2), '0.6');
  assert.equal(formatTick(2.5, 2.5), '2.5');
  assert.equal(formatTick(0.0005, 0.0001), '5e−4');
  assert.equal(formatTick(0, 0.0001), '0');
  assert.equal(formatPercentTick(0.85, 0.05), '85%');
  assert.equal(formatPercentTick(0.025, 0.025), '2.5%');
});

test('downsampling averages buckets and keeps gaps; moving average skips gaps', () => {
  const pts = Array.from({ length: 10 }, (_, i) => ({ x: i, y: i < 4 ? null : i }));
  const d = downsample(pts, 5);
  assert.equal(d.length, 5);
  assert.deepEqual(d[0], { x: 0.5, y: null });
  assert.deepEqual(d[2], { x: 4.5, y: 4.5 });
  const m = movingAverage([{ x: 0, y: 1 }, { x: 1, y: null }, { x: 2, y: 3 }], 3);
  assert.deepEqual(m.map((p) => p.y), [1, null, 3]);
});

test('line chart: one svg with data-chart, title, axes, a path per series, breaks at gaps', () => {
  const svg = lineChart({
    name: 'demo',
    title: 'A <demo>',
    series: [
      { name: 'a', x: [1, 2, 3, 4, 5], y: [1, 2, null, 4, 5] },
      { name: 'b & c', x: [1, 2, 3], y: [3, 2, 1] },
    ],
    xLabel: 'step',
    yLabel: 'loss',
  });
  assert.match(svg, /^<svg class="chart" data-chart="demo"/);
  assert.match(svg, /<title>A &lt;demo&gt;<\/title>/);
  const paths = svg.match(/<path d="[^"]+"/g) ?? [];
  assert.equal(paths.length, 2);
  // series "a" has a gap at x = 3: its path has two sub-paths (two "M")
  assert.equal((paths[0]!.match(/M/g) ?? []).length, 2);
  assert.match(svg, /b &amp; c/);
  assert.match(svg, />step<\/text>/);
  assert.match(svg, />loss<\/text>/);
  assert.ok(!svg.includes('NaN'), 'no NaN coordinates');
});

test('noisy series get a faint trace and a bold average, with bounded path size', () => {
  const n = 20000;
  const svg = lineChart({ name: 'noisy', title: 'n', series: [{ name: 'loss', x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => Math.exp(-i / 5000) + (i % 7) * 0.01), smooth: true }] });
  const paths = svg.match(/<path d="([^"]+)"/g) ?? [];
  assert.equal(paths.length, 2);
  for (const p of paths) assert.ok((p.match(/L/g) ?? []).length < 700, 'downsampled');
  assert.ok(svg.length < 60000, `svg is ${svg.length} chars`);
});

test('bar, heat map, scatter and image grid render their marks and escape labels', () => {
  const bars = barChart({ name: 'b', title: 'bars', categories: ['x<y', 'z'], groups: [{ name: 'p', values: [0.5, null] }, { name: 'r', values: [0.2, 0.9] }], yFormat: 'percent' });
  assert.equal((bars.match(/<rect /g) ?? []).length, 3 + 2); // 3 bars + 2 legend swatches
  assert.match(bars, /x&lt;y/);
  const heat = heatMap({ name: 'h', title: 'heat', rowLabels: ['a', 'b'], colLabels: ['a', 'b'], values: [[1, 0], [0.25, 0.75]], text: [['4', '0'], ['1', '3']] });
  assert.equal((heat.match(/<rect [^>]*fill="rgb/g) ?? []).length, 4);
  assert.match(heat, /linearGradient id="h__scale"/);
  const sc = scatterPlot({ name: 's', title: 'scatter', points: [0, 0, 1, 1, 2, 0], groups: [0, 1, 1], groupNames: ['<a>', 'b'], highlight: [0, 0, 1] });
  assert.equal((sc.match(/<circle /g) ?? []).length, 3 + 1 + 3); // points + ring + legend dots
  assert.match(sc, /&lt;a&gt; \(1\)/);
  const grid = imageGrid({ name: 'g', title: 'grid', images: [{ href: 'data:image/png;base64,AAAA', caption: ['happy', 'p = 90%'] }, { href: 'data:image/png;base64,AAAA', caption: ['<sad>'] }] });
  assert.equal((grid.match(/<image /g) ?? []).length, 2);
  assert.match(grid, /&lt;sad&gt;/);
});

test('escaping helpers', () => {
  assert.equal(esc(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  assert.equal(slug('L<u> total!'), 'l-u-total');
  assert.equal(slug('<<>>'), 'x');
});
