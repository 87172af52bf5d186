/**
 * Errors the CLI knows how to report, and the one mapping from any thrown value
 * to an exit code. Errors from outside the CLI declare their kind
 * (src/errorKind.ts), never a code. "Expected" errors (bad input, not bugs)
 * print one line without a stack; anything else is a bug and shows its stack
 * with --verbose.
 */
import { DataError } from '../data/types.js';
import { errorKindOf, type ErrorKind } from '../errorKind.js';
import { EXIT } from './exitCodes.js';

/** The exit code of each kind of error that code outside the CLI throws. */
const EXIT_OF_KIND: Record<ErrorKind, number> = {
  'bad-input': EXIT.USAGE,
  failure: EXIT.FAILURE,
  diverged: EXIT.DIVERGED,
};

/** A failure the user can fix without reading a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.FAILURE) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * A wrong command line or config file (exit 2). May carry several problems
 * (every bad key of a config file is reported at once); `message` joins them.
 */
export class UsageError extends CliError {
  readonly problems: readonly string[];
  /** The command path whose --help the error message should point to. */
  helpFor?: string;
  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'), EXIT.USAGE);
    this.name = 'UsageError';
    this.problems = list;
  }
}

/** Thrown (or used as an AbortSignal reason) when the user pressed Ctrl-C (or the process got SIGTERM: exit 143). */
export class InterruptedError extends CliError {
  constructor(message = 'interrupted', exitCode: number = EXIT.INTERRUPTED) {
    super(message, exitCode);
    this.name = 'InterruptedError';
  }
}

/** Node's system errors that are the user's doing (a wrong path), not bugs. */
const USER_FS_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EROFS']);

/**
 * A code an error carries: the CLI's own errors, and a training stop, which
 * relays the code of the signal the CLI's handler aborted it with (130, 143).
 */
function numericExitCode(err: unknown): number | undefined {
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 && code < 256 ? code : undefined;
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof DataError) return EXIT.FAILURE;
  const kind = errorKindOf(err);
  if (kind !== undefined) return EXIT_OF_KIND[kind];
  const own = numericExitCode(err);
  if (own !== undefined) return own;
  if (err instanceof Error && err.name === 'AbortError') return EXIT.INTERRUPTED;
  return EXIT.FAILURE;
}

/** True when the error is bad input rather than a bug: print its message only. */
export function isExpectedError(err: unknown): boolean {
  if (err instanceof CliError || err instanceof DataError || errorKindOf(err) !== undefined) return true;
  if (numericExitCode(err) !== undefined) return true;
  if (err instanceof Error && err.name === 'AbortError') return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && USER_FS_CODES.has(code);
}
