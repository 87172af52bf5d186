/** Building blocks shared by the report sections: figure cards, "not recorded" notes, sections. */
import { esc } from '../escape.js';

/** The phrase every absent chart shows; tests and readers look for it. */
export const NOT_RECORDED = 'Not recorded for this method.';

/** A chart in a card with a heading and an optional one-line explanation (plain text: escaped here). */
export function figure(title: string, svg: string, note?: string, wide = false): string {
  return (
    `<figure class="card${wide ? ' wide' : ''}"><figcaption><h3>${esc(title)}</h3>` +
    `${note ? `<p class="note">${esc(note)}</p>` : ''}</figcaption>${svg}</figure>`
  );
}

export interface AbsentOptions {
  /** A second sentence after the main message. */
  detail?: string;
  /** Spans the full width of the page (where the chart would have). */
  wide?: boolean;
  /** Replaces "Not recorded for this method." (e.g. an empty list that was recorded). */
  message?: string;
}

/**
 * The card shown where a chart would be when the run did not log its data
 * (no thresholds for the supervised baseline, no relabelling outside SCN).
 */
export function absent(key: string, title: string, o: AbsentOptions = {}): string {
  return (
    `<figure class="card absent${o.wide ? ' wide' : ''}" data-absent="${esc(key)}"><figcaption><h3>${esc(title)}</h3></figcaption>` +
    `<p class="not-recorded">${esc(o.message ?? NOT_RECORDED)}${o.detail ? ` <span>${esc(o.detail)}</span>` : ''}</p></figure>`
  );
}

export function section(id: string, title: string, cards: string[], intro?: string): string {
  return (
    `<section id="${esc(id)}"><h2>${esc(title)}</h2>${intro ? `<p class="intro">${intro}</p>` : ''}` +
    `<div class="cards">${cards.join('')}</div></section>`
  );
}

export function pct(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}
