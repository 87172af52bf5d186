/**
 * Terminal colours, only where they help: on a TTY, unless NO_COLOR is set
 * (https://no-color.org); FORCE_COLOR turns them on anywhere (CI logs that
 * render ANSI), FORCE_COLOR=0 turns them off. TERM=dumb gets none.
 */
export interface StyleStream {
  isTTY?: boolean;
}

export interface Style {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export function colorEnabled(stream: StyleStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

const wrap = (on: boolean, open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);

export function createStyle(stream: StyleStream, env: NodeJS.ProcessEnv = process.env): Style {
  const on = colorEnabled(stream, env);
  return {
    enabled: on,
    red: wrap(on, 31, 39),
    green: wrap(on, 32, 39),
    yellow: wrap(on, 33, 39),
    cyan: wrap(on, 36, 39),
    bold: wrap(on, 1, 22),
    dim: wrap(on, 2, 22),
  };
}

/** Removes ANSI escape sequences (to measure the visible width of a line). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}
