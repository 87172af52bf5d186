/**
 * Escaping for text and attribute values in HTML and inline SVG. Class names,
 * command lines and dataset paths come from users and files: every string that
 * reaches the page goes through here.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in double- or single-quoted attributes. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** A string usable inside an id or data-* value: letters, digits, '-' and '_' only. */
export function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}
