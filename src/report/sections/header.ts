/** The top of the report: what was run, how it did, and how to run it again. */
import { esc } from '../escape.js';
import type { ReportData, SummaryMetrics } from '../types.js';
import { pct } from './common.js';

/** "2 h 05 min", "14 min 03 s", or "—" when a time is missing or unreadable. */
export function formatDuration(start: string, end?: string): string {
  const a = Date.parse(start);
  const b = end ? Date.parse(end) : NaN;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return '—';
  const s = Math.round((b - a) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** ISO time as "2026-11-26 14:03 UTC" (stable across viewers' time zones). */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function labelBudgetText(budget: number | string): string {
  return typeof budget === 'number' ? `${budget.toLocaleString('en-US')} labels` : budget;
}

type Key = keyof Omit<SummaryMetrics, 'ece'> | 'ece';

function scoreCard(title: string, key: Key, student: SummaryMetrics, teacher: SummaryMetrics | undefined, lowerIsBetter = false): string {
  const s = student[key] ?? null;
  const t = teacher ? teacher[key] ?? null : undefined;
  const row = (who: string, v: number | null | undefined, main: boolean): string =>
    `<div class="score-row${main ? ' main' : ''}"><span class="who">${who}</span><span class="value">${pct(v, main ? 2 : 2)}</span></div>`;
  return (
    `<div class="score" data-score="${key}"><div class="score-title">${esc(title)}${lowerIsBetter ? ' <span class="hint">lower is better</span>' : ''}</div>` +
    row('student', s, true) +
    (t !== undefined ? row('teacher (EMA)', t, false) : '') +
    '</div>'
  );
}

export function renderHeader(data: ReportData): string {
  const r = data.run;
  const facts: [string, string][] = [
    ['Method', r.method],
    ['Model', r.model],
    ['Dataset', r.dataset],
    ['Label budget', labelBudgetText(r.labelBudget)],
    ['Seed', String(r.seed)],
    ['Epochs', String(r.epochs)],
    [r.actionUnits ? 'Action units' : 'Classes', data.classNames.join(', ')],
    ['Started', formatTime(r.startTime)],
    ['Finished', formatTime(r.endTime)],
    ['Duration', formatDuration(r.startTime, r.endTime)],
  ];
  const { student, teacher } = r.summary;
  let html = '<header class="run">';
  html += `<div class="eyebrow">semifer · training report${r.name ? ` · <span class="run-name">${esc(r.name)}</span>` : ''}</div>`;
  html += `<h1>${esc(r.method)} <span class="on">on</span> ${esc(r.dataset)} <span class="budget">${esc(labelBudgetText(r.labelBudget))}</span></h1>`;
  html += '<div class="scores">';
  if (r.actionUnits) {
    html += `<div class="score" data-score="meanAuF1"><div class="score-title">Mean AU F1 (${r.actionUnits.aus.length} AUs, test)</div>` +
      `<div class="score-row main"><span class="who">model</span><span class="value">${pct(r.actionUnits.meanF1, 2)}</span></div></div>`;
  } else {
    html += scoreCard('Accuracy', 'accuracy', student, teacher);
    html += scoreCard('Mean class accuracy', 'meanClassAccuracy', student, teacher);
    html += scoreCard('Macro-F1', 'macroF1', student, teacher);
    html += scoreCard('ECE (15 bins)', 'ece', student, teacher, true);
  }
  html += '</div>';
  html += `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
  html += `<div class="command"><span class="label">Command</span><pre><code>${esc(r.command)}</code></pre></div>`;
  const warnings = data.metrics.filter((m) => m.kind === 'warning');
  if (warnings.length) {
    const list = warnings.slice(0, 8).map((w) => `<li>${esc(w.message)}</li>`).join('');
    const more = warnings.length > 8 ? `<li>… and ${warnings.length - 8} more</li>` : '';
    html += `<div class="warning" data-warning="training"><strong>The run warned ${warnings.length} time${warnings.length === 1 ? '' : 's'}</strong><ul>${list}${more}</ul></div>`;
  }
  const skipped = data.skippedMetricsLines ?? [];
  if (skipped.length) {
    const list = skipped.slice(0, 8).map((s) => `<li>line ${s.line}: ${esc(s.reason)}</li>`).join('');
    const more = skipped.length > 8 ? `<li>… and ${skipped.length - 8} more</li>` : '';
    html += `<div class="warning" data-warning="skipped-lines"><strong>${skipped.length} line${skipped.length === 1 ? '' : 's'} of metrics.jsonl skipped</strong><ul>${list}${more}</ul></div>`;
  }
  return html + '</header>';
}
