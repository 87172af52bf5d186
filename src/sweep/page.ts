/**
 * The sweep's HTML page: the table, and for every numeric axis with more than
 * one value a sensitivity plot (accuracy against the parameter, mean ± sd over
 * seeds, one line per method and setting of the other axes), as Ada-CM's
 * Fig. 3 draws them. Methods the parameter does not affect are a dashed
 * reference line. Axes spanning two decades or more (a learning rate) are
 * drawn against log10 of the value.
 */
import { esc } from '../report/escape.js';
import { page } from '../report/page.js';
import { figure, section } from '../report/sections/common.js';
import { errorBarChart, type ErrorBarSeries } from '../report/svg/errorBarChart.js';
import { statText, type SweepRow, type SweepTable } from './table.js';

function otherSetting(row: SweepRow, axis: string): string {
  return Object.entries(row.setting).filter(([k]) => k !== axis).map(([k, v]) => `${k.replace(/^hyper\./, '')}=${v}`).join(', ');
}

/** Series of one axis's plot, or null when the axis has fewer than two numeric values. */
export function sensitivitySeries(t: SweepTable, axis: string): { series: ErrorBarSeries[]; log: boolean } | null {
  const xs = [...new Set(t.rows.flatMap((r) => (typeof r.setting[axis] === 'number' ? [r.setting[axis] as number] : [])))];
  if (xs.length < 2 || t.rows.some((r) => axis in r.setting && typeof r.setting[axis] !== 'number')) return null;
  const log = Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 100;
  const groups = new Map<string, ErrorBarSeries>();
  for (const r of t.rows) {
    const applies = axis in r.setting;
    const rest = otherSetting(r, axis);
    const name = `${r.method}${rest ? ` (${rest})` : ''}${applies ? '' : ' – not affected'}`;
    const s = groups.get(name) ?? { name, points: [], reference: !applies };
    groups.set(name, s);
    s.points.push({ x: applies ? (log ? Math.log10(r.setting[axis] as number) : (r.setting[axis] as number)) : 0, mean: r.accuracy.mean, sd: r.accuracy.sd });
  }
  return { series: [...groups.values()], log };
}

function tableHtml(t: SweepTable): string {
  const head = ['method', ...t.axes.map((a) => a.replace(/^hyper\./, '')), 'seeds', 'accuracy %', 'mean class acc. %', 'macro-F1 %'];
  const body = t.rows.map((r) => `<tr><td class="text">${esc(r.method)}</td>${t.axes.map((a) => `<td>${esc(a in r.setting ? String(r.setting[a]) : '–')}</td>`).join('')}` +
    `<td>${r.seeds.length}${r.seeds.length === r.planned ? '' : ` of ${r.planned}`}</td><td>${statText(r.accuracy)}</td><td>${statText(r.meanClassAccuracy)}</td><td>${statText(r.macroF1)}</td></tr>`).join('');
  return `<table class="numbers"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderSweepHtml(title: string, t: SweepTable): string {
  const plots: string[] = [];
  for (const axis of t.axes) {
    const s = sensitivitySeries(t, axis);
    if (!s) continue;
    const label = axis.replace(/^hyper\./, '');
    const svg = errorBarChart({
      name: `sensitivity-${label}`, title: `Accuracy against ${label}`, series: s.series,
      xLabel: s.log ? `log10 ${label}` : label, yLabel: 'test accuracy', yFormat: 'percent',
    });
    plots.push(figure(`Accuracy against ${label}`, svg, 'mean ± sample sd over seeds; dashed: methods that do not read this parameter'));
  }
  const intro = `${t.rows.length} settings; mean ± sample standard deviation over seeds.` + (t.unfinished.length ? ` ${t.unfinished.length} planned runs are not finished.` : '');
  const body = `<header class="run"><h1>${esc(title)}</h1></header>` +
    section('table', 'Results', [`<div class="card wide">${tableHtml(t)}</div>`], intro) +
    (plots.length ? section('sensitivity', 'Sensitivity', plots) : '');
  return page(title, body);
}
