/**
 * The HTML shell and stylesheet shared by the run report and the comparison
 * page. Self-contained on purpose: no scripts, no web fonts, no external
 * stylesheet, so the file opens offline, from an e-mail, or years later.
 */
import { esc } from './escape.js';

const CSS = `
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --card: #fff;
  --accent: #4e79a7; --warn-bg: #fffbea; --warn: #8d6708;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
}
main { max-width: 1280px; margin: 0 auto; padding: 28px 28px 64px; }
h1 { font-size: 28px; line-height: 1.25; margin: 4px 0 18px; font-weight: 650; letter-spacing: -0.01em; }
h1 .on { color: var(--muted); font-weight: 400; }
h1 .budget { display: inline-block; margin-left: 6px; padding: 2px 10px; border-radius: 999px; background: #e6eef7; color: #2c5282; font-size: 15px; font-weight: 600; vertical-align: middle; }
h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); font-weight: 650; }
h3 { font-size: 15px; margin: 0; font-weight: 600; }
.eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; color: var(--muted); font-weight: 600; }
.run-name { text-transform: none; letter-spacing: 0; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
header.run { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 22px 26px; box-shadow: 0 1px 2px rgba(31,41,51,.04); }
.scores { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 18px; }
.score { border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; background: #fbfcfd; }
.score-title { font-size: 13px; color: var(--muted); font-weight: 600; }
.score-title .hint { font-weight: 400; font-size: 11px; }
.score-row { display: flex; justify-content: space-between; align-items: baseline; font-variant-numeric: tabular-nums; }
.score-row .who { font-size: 12px; color: var(--muted); }
.score-row.main .value { font-size: 26px; font-weight: 650; }
.score-row:not(.main) .value { font-size: 15px; font-weight: 600; color: #3e4c59; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px 20px; margin: 0 0 14px; }
dl.facts div { min-width: 0; }
dt { font-size: 12px; color: var(--muted); }
dd { margin: 0; font-weight: 500; overflow-wrap: anywhere; }
.command .label { font-size: 12px; color: var(--muted); }
pre { margin: 4px 0 0; padding: 10px 12px; background: #f0f4f8; border-radius: 8px; overflow-x: auto; font-size: 13px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.warning { margin-top: 14px; padding: 10px 14px; background: var(--warn-bg); border: 1px solid #f0d98c; border-radius: 8px; color: var(--warn); font-size: 14px; }
.warning ul { margin: 4px 0 0; padding-left: 20px; }
nav.toc { margin: 18px 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 14px; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.intro { color: var(--muted); margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(540px, 100%), 1fr)); gap: 16px; align-items: start; }
.card { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 14px 16px 12px; box-shadow: 0 1px 2px rgba(31,41,51,.04); min-width: 0; }
.card.wide { grid-column: 1 / -1; }
figcaption { margin-bottom: 8px; }
.note { margin: 2px 0 0; color: var(--muted); font-size: 13px; }
.card.absent { background: #fafbfc; border-style: dashed; }
.not-recorded { margin: 6px 0 2px; color: var(--muted); font-style: italic; }
.not-recorded span { font-style: normal; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 0 auto; overflow: visible; }
svg.chart .axis text, svg.chart .legend text, svg.chart .color-scale text { fill: #52606d; font-size: 11px; }
svg.chart .legend text { fill: #323f4b; font-size: 12px; }
svg.chart .axis-title { fill: #323f4b !important; font-size: 12px !important; font-weight: 600; }
svg.chart .grid { stroke: #edf0f3; }
svg.chart .baseline, svg.chart .tick { stroke: #9aa5b1; }
svg.chart .plot-frame { fill: none; stroke: var(--line); }
svg.chart .value { fill: #3e4c59; font-size: 10px; }
svg.chart .face text:not([fill]) { fill: #52606d; }
table.numbers { border-collapse: collapse; margin: 12px auto 0; font-size: 13px; font-variant-numeric: tabular-nums; }
table.numbers th, table.numbers td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
table.numbers th:first-child, table.numbers .text { text-align: left; }
table.numbers thead th { color: var(--muted); font-weight: 600; border-bottom: 1px solid #cbd2d9; }
table.numbers tfoot th, table.numbers tfoot td { font-weight: 650; border-bottom: none; border-top: 1px solid #cbd2d9; }
table.numbers td.best { font-weight: 700; color: #2c5282; }
table.numbers td.worst { font-weight: 700; color: #9b2c2c; }
footer { margin-top: 48px; color: var(--muted); font-size: 12px; text-align: center; }
@media print { body { background: #fff; } .card, header.run { box-shadow: none; break-inside: avoid; } }
`;

export function page(title: string, body: string, footer = 'Generated by semifer.'): string {
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${esc(title)}</title><style>${CSS}</style></head>` +
    `<body><main>${body}<footer>${esc(footer)}</footer></main></body></html>\n`
  );
}

export function toc(entries: [id: string, label: string][]): string {
  return `<nav class="toc">${entries.map(([id, label]) => `<a href="#${esc(id)}">${esc(label)}</a>`).join('')}</nav>`;
}
