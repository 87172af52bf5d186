/**
 * `semifer compare`: several runs side by side — a table of method × label
 * budget (mean ± sd over seeds) and the test-accuracy curves of every run
 * overlaid. Scores are the EMA teacher's where a run has one (the model these
 * methods select), otherwise the student's; the table says which.
 */
import { esc } from './escape.js';
import { trainingSeries } from './metricsSeries.js';
import { page } from './page.js';
import { categoricalColor } from './palette.js';
import { absent, figure, section } from './sections/common.js';
import { formatTime, labelBudgetText } from './sections/header.js';
import { lineChart, type LineSeries } from './svg/lineChart.js';
import type { ReportData, SummaryMetrics } from './types.js';

export interface CompareRow {
  dataset: string;
  labelBudget: number | string;
  method: string;
  /** "teacher" when every run of the group had a teacher summary, else "student" (or "mixed"). */
  model: string;
  runs: number;
  seeds: number[];
  accuracy: Stat;
  meanClassAccuracy: Stat;
  macroF1: Stat;
  /** Highest mean accuracy among the rows of the same dataset and label budget. */
  best: boolean;
}

export interface Stat {
  mean: number;
  /** Sample standard deviation; 0 for a single run. */
  sd: number;
}

function headline(d: ReportData): { model: 'teacher' | 'student'; m: SummaryMetrics } {
  return d.run.summary.teacher ? { model: 'teacher', m: d.run.summary.teacher } : { model: 'student', m: d.run.summary.student };
}

function stat(xs: number[]): Stat {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

/** Label budgets sort numerically when they are numbers ("100" before "1000"), strings after, naturally. */
function budgetOrder(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/** One row per (dataset, label budget, method), seeds averaged. */
export function compareRows(runs: ReportData[]): CompareRow[] {
  const groups = new Map<string, ReportData[]>();
  for (const d of runs) {
    const key = JSON.stringify([d.run.dataset, String(d.run.labelBudget), d.run.method]);
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const rows: CompareRow[] = [...groups.values()].map((g) => {
    const heads = g.map(headline);
    const models = new Set(heads.map((h) => h.model));
    return {
      dataset: g[0]!.run.dataset,
      labelBudget: g[0]!.run.labelBudget,
      method: g[0]!.run.method,
      model: models.size > 1 ? 'mixed' : [...models][0]!,
      runs: g.length,
      seeds: g.map((d) => d.run.seed),
      accuracy: stat(heads.map((h) => h.m.accuracy)),
      meanClassAccuracy: stat(heads.map((h) => h.m.meanClassAccuracy)),
      macroF1: stat(heads.map((h) => h.m.macroF1)),
      best: false,
    };
  });
  rows.sort((a, b) => a.dataset.localeCompare(b.dataset) || budgetOrder(a.labelBudget, b.labelBudget) || a.method.localeCompare(b.method));
  const bestOf = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.dataset}\u0000${r.labelBudget}`;
    bestOf.set(k, Math.max(bestOf.get(k) ?? -Infinity, r.accuracy.mean));
  }
  for (const r of rows) r.best = rows.filter((o) => o.dataset === r.dataset && o.labelBudget === r.labelBudget).length > 1 && r.accuracy.mean === bestOf.get(`${r.dataset}\u0000${r.labelBudget}`);
  return rows;
}

function statText(s: Stat, runs: number): string {
  return runs > 1 ? `${(s.mean * 100).toFixed(2)} ± ${(s.sd * 100).toFixed(2)}` : (s.mean * 100).toFixed(2);
}

/** Plain-text table for the terminal; '*' marks the best accuracy per dataset and label budget. */
export function formatCompareTable(runs: ReportData[]): string {
  const rows = compareRows(runs);
  const head = ['dataset', 'labels', 'method', 'model', 'runs', 'accuracy %', 'mean class acc %', 'macro-F1 %'];
  const body = rows.map((r) => [
    r.dataset,
    String(r.labelBudget),
    r.method,
    r.model,
    String(r.runs),
    statText(r.accuracy, r.runs) + (r.best ? ' *' : ''),
    statText(r.meanClassAccuracy, r.runs),
    statText(r.macroF1, r.runs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = (i: number): boolean => i >= 4;
  const line = (cells: string[]): string => cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (rows.some((r) => r.runs > 1)) out.push('', 'mean ± sample standard deviation over runs (seeds)');
  if (rows.some((r) => r.best)) out.push('* best accuracy for its dataset and label budget');
  return out.join('\n');
}

function runLabel(d: ReportData): string {
  return `${d.run.method} · ${labelBudgetText(d.run.labelBudget)} · seed ${d.run.seed}`;
}

const DASHES = [undefined, '7 4', '2 3', '9 3 2 3'];

function accuracyCurves(runs: ReportData[]): string {
  const methods = [...new Set(runs.map((d) => d.run.method))].sort();
  const budgets = [...new Set(runs.map((d) => d.run.labelBudget))].sort(budgetOrder);
  const series: LineSeries[] = [];
  const splits = new Set<string>();
  for (const d of runs) {
    const t = trainingSeries(d.metrics);
    if (!t.epochs.length || !t.student.accuracy.some((v) => v !== null)) continue;
    splits.add(t.evalSplit);
    const useTeacher = !!t.teacher && t.teacher.accuracy.some((v) => v !== null);
    series.push({
      name: `${runLabel(d)}${useTeacher ? ' (teacher)' : ''}`,
      x: t.epochs,
      y: useTeacher ? t.teacher!.accuracy : t.student.accuracy,
      color: categoricalColor(methods.indexOf(d.run.method)),
      dash: DASHES[budgets.indexOf(d.run.labelBudget) % DASHES.length],
    });
  }
  // Runs from before validation splits scored the test split every epoch.
  const what = splits.size === 1 && splits.has('validation') ? 'Validation' : splits.has('validation') ? 'Validation (or test, older runs)' : 'Test';
  if (!series.length) return absent('compare-accuracy', 'Accuracy per epoch', { detail: 'No run has scored epoch rows.', wide: true });
  return figure(`${what} accuracy per epoch`, lineChart({
    name: 'compare-accuracy',
    title: `${what} accuracy per epoch of every run`,
    series,
    xLabel: 'epoch',
    yLabel: 'accuracy',
    yFormat: 'percent',
    integerX: true,
    legend: 'right',
    width: 1000,
    height: 420,
  }), 'Colour: method; line style: label budget. The EMA teacher where a run has one.', true);
}

function compareTableHtml(rows: CompareRow[]): string {
  const head = '<thead><tr><th>dataset</th><th>labels</th><th class="text">method</th><th class="text">model</th><th>runs</th><th>accuracy</th><th>mean class acc.</th><th>macro-F1</th></tr></thead>';
  const body = rows
    .map((r) => {
      const cell = (s: Stat, best = false): string => `<td${best ? ' class="best"' : ''}>${esc(statText(s, r.runs))}%</td>`;
      return (
        `<tr><th scope="row">${esc(r.dataset)}</th><td>${esc(labelBudgetText(r.labelBudget))}</td><td class="text">${esc(r.method)}</td><td class="text">${esc(r.model)}</td><td>${r.runs}</td>` +
        `${cell(r.accuracy, r.best)}${cell(r.meanClassAccuracy)}${cell(r.macroF1)}</tr>`
      );
    })
    .join('');
  return `<table class="numbers" data-table="compare">${head}<tbody>${body}</tbody></table>`;
}

function runsTableHtml(runs: ReportData[]): string {
  const head = '<thead><tr><th>run</th><th class="text">method</th><th class="text">dataset</th><th>labels</th><th>seed</th><th>epochs</th><th>finished</th><th>accuracy</th><th>mean class acc.</th><th>macro-F1</th></tr></thead>';
  const body = runs
    .map((d) => {
      const { model, m } = headline(d);
      const p = (v: number): string => `${(v * 100).toFixed(2)}%`;
      return (
        `<tr><th scope="row">${esc(d.run.name ?? '—')}</th><td class="text">${esc(d.run.method)}</td><td class="text">${esc(d.run.dataset)}</td><td>${esc(labelBudgetText(d.run.labelBudget))}</td>` +
        `<td>${d.run.seed}</td><td>${d.run.epochs}</td><td>${esc(formatTime(d.run.endTime))}</td>` +
        `<td title="${model}">${p(m.accuracy)}</td><td>${p(m.meanClassAccuracy)}</td><td>${p(m.macroF1)}</td></tr>`
      );
    })
    .join('');
  return `<table class="numbers" data-table="runs">${head}<tbody>${body}</tbody></table>`;
}

export function renderCompareHtml(runs: ReportData[]): string {
  const rows = compareRows(runs);
  const header =
    '<header class="run"><div class="eyebrow">semifer · comparison</div>' +
    `<h1>${runs.length} run${runs.length === 1 ? '' : 's'} <span class="on">across</span> ${new Set(runs.map((d) => d.run.method)).size} method(s)</h1>` +
    '<p class="note">Scores on the test split: the EMA teacher where a run has one, else the student. With several seeds: mean ± sample standard deviation; bold marks the best accuracy per dataset and label budget.</p></header>';
  const body =
    header +
    section('summary', 'Method × label budget', [`<div class="card wide">${compareTableHtml(rows)}</div>`]) +
    section('curves', 'Test accuracy', [accuracyCurves(runs)]) +
    section('runs', 'Runs', [`<div class="card wide">${runsTableHtml(runs)}</div>`]);
  return page(`semifer comparison · ${runs.length} runs`, body);
}
