/**
 * The exit codes of the `semifer` command, in one place so scripts and CI can
 * rely on them. A new code gets a new line here (and a line in the top-level
 * help, which prints this table).
 *
 * Code outside src/cli (the training loop, for instance) must not import the
 * CLI; its errors declare what kind of failure they are (src/errorKind.ts),
 * and src/cli/errors.ts maps each kind to one of these codes.
 */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A runtime failure: bad data, a missing file, a failed step. */
  FAILURE: 1,
  /** The command line or a config file is wrong (nothing was run). */
  USAGE: 2,
  /** Training diverged: a loss or a weight became NaN or infinite. */
  DIVERGED: 3,
  /** Interrupted by SIGINT (Ctrl-C): 128 + signal 2, the shell convention. */
  INTERRUPTED: 130,
  /** Terminated by SIGTERM: 128 + signal 15. */
  TERMINATED: 143,
} as const;

/** One line per code, for `semifer --help`. */
export const EXIT_CODE_HELP: readonly (readonly [number, string])[] = [
  [EXIT.OK, 'success'],
  [EXIT.FAILURE, 'runtime failure (bad data, missing file, …)'],
  [EXIT.USAGE, 'usage or config-file error'],
  [EXIT.DIVERGED, 'training diverged (NaN/Inf)'],
  [EXIT.INTERRUPTED, 'interrupted (Ctrl-C)'],
  [EXIT.TERMINATED, 'terminated (SIGTERM)'],
];
