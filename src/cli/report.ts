/**
 * How a failed command is shown: one red line for errors the user can fix
 * (usage, bad data, a wrong path), plus the stack for anything unexpected when
 * --verbose or SEMIFER_DEBUG=1 asks for it.
 */
import { UsageError, exitCodeOf, isExpectedError } from './errors.js';
import type { Style } from './style.js';

export interface ErrorReport {
  exitCode: number;
  /** Lines for stderr, already styled. */
  text: string;
  /** The plain message, for the --json error document. */
  message: string;
}

export function reportError(err: unknown, opts: { style: Style; debug: boolean; helpCommand?: string }): ErrorReport {
  const { style } = opts;
  const exitCode = exitCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const lines: string[] = [];
  if (err instanceof UsageError) {
    for (const p of err.problems) lines.push(style.red(`semifer: ${p}`));
    const help = err.helpFor ?? opts.helpCommand;
    lines.push(`Run 'semifer${help ? ` ${help}` : ''} --help' for usage.`);
  } else if (isExpectedError(err)) {
    lines.push(...message.split('\n').map((l) => style.red(`semifer: ${l}`)));
    if (opts.debug && err instanceof Error && err.stack) lines.push(style.dim(err.stack));
  } else {
    lines.push(style.red(`semifer: unexpected error: ${message}`));
    if (opts.debug && err instanceof Error && err.stack) lines.push(style.dim(err.stack));
    else lines.push(style.dim('(run with --verbose or SEMIFER_DEBUG=1 for the stack trace)'));
  }
  return { exitCode, text: lines.join('\n') + '\n', message };
}
