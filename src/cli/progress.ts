/**
 * A progress bar for long work (dataset synthesis, training epochs), on stderr.
 *
 * On a TTY it redraws one line in place — bar, done/total, rate, ETA and
 * free-form fields such as losses — at most ~10 times a second. Elsewhere (CI,
 * a pipe, a log file) control characters would be garbage, so it prints a plain
 * line each time another `everyPercent` is reached or `everySeconds` have
 * passed. `done()` ends with one summary line either way.
 *
 *   const bar = progress({ total: steps, label: 'epoch 3', unit: 'step' });
 *   bar.update(i, { fields: { Lx: 0.91, Lu: 0.2 } });
 *   bar.log('checkpoint saved');      // a line above the bar, without garbling it
 *   bar.done();
 */
import { colorEnabled, stripAnsi } from './style.js';

/** Free-form fields shown after the ETA: numbers are formatted compactly, strings shown as given. */
export type ProgressFields = Record<string, string | number>;

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Units of work in all; omit when unknown (no bar, percentage or ETA). */
  total?: number;
  /** Shown first, e.g. 'synth' or 'epoch 3/20'. */
  label?: string;
  /** Unit for the rate: 'img' → '45.2 img/s'. Default 'it'. */
  unit?: string;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Redraw in place; default: the stream is a TTY. */
  tty?: boolean;
  /** False prints nothing at all (--quiet). Default true. */
  enabled?: boolean;
  /** Minimum time between TTY redraws, ms. Default 100. */
  intervalMs?: number;
  /** Non-TTY: a line every this many percent. Default 10. */
  everyPercent?: number;
  /** Non-TTY: a line at least this often while work advances, seconds. Default 10. */
  everySeconds?: number;
  /** Clock in ms (tests). Default performance.now. */
  now?: () => number;
  /** Colour the bar; default: colours enabled for the stream (NO_COLOR, FORCE_COLOR). */
  color?: boolean;
}

export interface ProgressUpdate {
  fields?: ProgressFields;
  /** Change the total (e.g. learned after the first epoch). */
  total?: number;
}

export interface ProgressBar {
  /** Sets the amount of work done so far (absolute, not an increment). */
  update(done: number, opts?: ProgressUpdate): void;
  /** Adds `n` (default 1) to the work done. */
  tick(n?: number, opts?: ProgressUpdate): void;
  /** Prints a line (above the bar on a TTY). */
  log(line: string): void;
  /** Prints the summary line; later calls do nothing. `fields` replace the last ones. */
  done(opts?: { fields?: ProgressFields; message?: string }): void;
  readonly current: number;
}

export function progress(opts: ProgressOptions = {}): ProgressBar {
  return new Bar(opts);
}

/** 0.91, 12.35, 1234.5, 1.2e-4, NaN — short enough for a status line. */
export function formatField(value: string | number): string {
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs < 0.01) return value.toExponential(1);
  if (abs < 100) return value.toFixed(2);
  return value.toFixed(1);
}

/** 0:42, 12:05, 1:02:03. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatRate(perSecond: number, unit: string): string {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return `- ${unit}/s`;
  // Slow work reads better as time per unit (a 3 s training step).
  if (perSecond < 1) return `${(1 / perSecond).toFixed(1)} s/${unit}`;
  return `${perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond)} ${unit}/s`;
}

/** Rate over the last few seconds, so the ETA follows speed changes (warm-up, a slower phase). */
const RATE_WINDOW_MS = 10_000;

class Bar implements ProgressBar {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly enabled: boolean;
  private readonly color: boolean;
  private readonly now: () => number;
  private readonly unit: string;
  private readonly label: string;
  private readonly intervalMs: number;
  private readonly everyPercent: number;
  private readonly everySeconds: number;
  private total: number | undefined;
  private value = 0;
  private fields: ProgressFields = {};
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastPlain: number;
  private lastPlainPercent = 0;
  private drawn = false;
  private finished = false;
  private samples: [number, number][] = [];

  constructor(opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = opts.tty ?? this.stream.isTTY === true;
    this.enabled = opts.enabled ?? true;
    this.color = opts.color ?? colorEnabled(this.stream);
    this.now = opts.now ?? (() => performance.now());
    this.unit = opts.unit ?? 'it';
    this.label = opts.label ?? '';
    this.total = opts.total;
    this.intervalMs = opts.intervalMs ?? 100;
    this.everyPercent = opts.everyPercent ?? 10;
    this.everySeconds = opts.everySeconds ?? 10;
    this.start = this.now();
    this.lastPlain = this.start;
    this.samples.push([this.start, 0]);
  }

  get current(): number {
    return this.value;
  }

  update(done: number, opts: ProgressUpdate = {}): void {
    if (this.finished) return;
    this.value = done;
    if (opts.total !== undefined) this.total = opts.total;
    if (opts.fields) this.fields = opts.fields;
    const t = this.now();
    this.samples.push([t, done]);
    while (this.samples.length > 2 && t - this.samples[0]![0] > RATE_WINDOW_MS) this.samples.shift();
    if (!this.enabled) return;
    if (this.tty) {
      const complete = this.total !== undefined && done >= this.total;
      if (t - this.lastDraw >= this.intervalMs || complete) this.redraw(t);
    } else {
      this.maybePlainLine(t);
    }
  }

  tick(n = 1, opts: ProgressUpdate = {}): void {
    this.update(this.value + n, opts);
  }

  log(line: string): void {
    if (!this.enabled) return;
    if (this.tty && this.drawn) {
      this.stream.write(`\r\x1b[K${line}\n`);
      this.redraw(this.now());
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  done(opts: { fields?: ProgressFields; message?: string } = {}): void {
    if (this.finished) return;
    this.finished = true;
    if (opts.fields) this.fields = opts.fields;
    if (!this.enabled) return;
    const t = this.now();
    const seconds = (t - this.start) / 1000;
    const rate = seconds > 0 ? this.value / seconds : NaN;
    const count = this.total !== undefined ? `${this.value}/${this.total}` : `${this.value}`;
    const parts = [this.label, opts.message ?? (this.total !== undefined && this.value < this.total ? 'stopped at' : 'done:'), `${count} ${this.unit}`,
      `in ${formatSeconds(seconds)}`, `(${formatRate(rate, this.unit)})`, this.fieldText()];
    const line = parts.filter((p) => p !== '').join(' ');
    this.stream.write(this.tty ? `\r\x1b[K${line}\n` : `${line}\n`);
  }

  /** Rate over the recent window (overall when the window is too short to tell). */
  private rate(t: number): number {
    const [t0, d0] = this.samples[0]!;
    const recent = t - t0 > 0 ? ((this.value - d0) * 1000) / (t - t0) : NaN;
    return recent > 0 ? recent : (this.value * 1000) / Math.max(1, t - this.start);
  }

  private fieldText(): string {
    return Object.entries(this.fields).map(([k, v]) => `${k} ${formatField(v)}`).join('  ');
  }

  private status(t: number): { count: string; percent: string; rate: string; eta: string } {
    const rate = this.rate(t);
    const total = this.total;
    const pct = total ? Math.min(100, (100 * this.value) / total) : undefined;
    const left = total !== undefined ? Math.max(0, total - this.value) : undefined;
    return {
      count: total !== undefined ? `${this.value}/${total}` : `${this.value} ${this.unit}`,
      percent: pct !== undefined ? `${Math.floor(pct)}%` : '',
      rate: formatRate(rate, this.unit),
      eta: left !== undefined && rate > 0 ? `ETA ${formatDuration(left / rate)}` : '',
    };
  }

  private redraw(t: number): void {
    this.lastDraw = t;
    const s = this.status(t);
    // columns is 0 or undefined when the terminal size is unknown (some ptys).
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const tail = [s.count, s.percent, s.rate, s.eta].filter(Boolean).join('  ');
    const fields = this.fieldText();
    const head = this.label ? `${this.label} ` : '';
    // The bar takes the room the text leaves (10 to 30 cells), and is dropped before any text is cut.
    const room = width - head.length - tail.length - (fields ? fields.length + 2 : 0) - 1;
    let bar = '';
    if (this.total && room >= 10) {
      const cells = Math.min(30, room);
      const filled = Math.round((cells * Math.min(this.value, this.total)) / this.total);
      const on = '█'.repeat(filled);
      const off = '░'.repeat(cells - filled);
      bar = `${this.color ? `\x1b[36m${on}\x1b[39m\x1b[2m${off}\x1b[22m` : on + off} `;
    }
    let line = `${head}${bar}${tail}${fields ? `  ${fields}` : ''}`;
    // A line wider than the terminal wraps, and `\r` then redraws only its last part.
    if (stripAnsi(line).length > width) line = truncateVisible(line, width);
    this.stream.write(`\r\x1b[K${line}`);
    this.drawn = true;
  }

  private maybePlainLine(t: number): void {
    const pct = this.total ? (100 * this.value) / this.total : undefined;
    const step = this.everyPercent;
    const crossed = pct !== undefined && step > 0 && Math.floor(pct / step) > Math.floor(this.lastPlainPercent / step) && this.value < this.total!;
    const stale = t - this.lastPlain >= this.everySeconds * 1000;
    if (!crossed && !stale) return;
    this.lastPlain = t;
    if (pct !== undefined) this.lastPlainPercent = pct;
    const s = this.status(t);
    const fields = this.fieldText();
    const line = [this.label, s.count, s.percent && `(${s.percent})`, s.rate, s.eta, fields].filter(Boolean).join('  ');
    this.stream.write(`${line}\n`);
  }
}

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)}s` : formatDuration(s);
}

/** Cuts a line to `width` visible characters, keeping ANSI codes intact and resetting styles at the end. */
function truncateVisible(line: string, width: number): string {
  let out = '';
  let visible = 0;
  for (let i = 0; i < line.length && visible < width - 1;) {
    // eslint-disable-next-line no-control-regex
    const m = /^\x1b\[[0-9;]*[A-Za-z]/.exec(line.slice(i));
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    out += line[i];
    visible++;
    i++;
  }
  // eslint-disable-next-line no-control-regex
  return `${out}…${/\x1b\[/.test(out) ? '\x1b[0m' : ''}`;
}

export interface PhaseProgress {
  /** Progress of phase `what`; a new name closes the previous phase's bar and opens one. */
  update(what: string, done: number, total: number): void;
  /** Closes the current phase's bar, if any. */
  done(): void;
}

/** One bar per named phase of a long job (`decode rafdb/train`, `predict`, `t-SNE`, …). */
export function phaseProgress(open: (label: string, total: number) => ProgressBar): PhaseProgress {
  let bar: ProgressBar | undefined;
  let current: string | undefined;
  return {
    update(what, done, total) {
      if (what !== current) {
        bar?.done();
        current = what;
        bar = open(what, total);
      }
      bar!.update(done);
    },
    done() {
      bar?.done();
      bar = undefined;
      current = undefined;
    },
  };
}
