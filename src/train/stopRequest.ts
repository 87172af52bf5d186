/**
 * Stopping a training run cleanly on SIGINT (Ctrl-C) or SIGTERM. Within a step
 * the loop never awaits anything that reaches the event loop (a prefetched
 * batch resolves as a microtask), so a signal handler would only run after the
 * last step. The loop therefore yields once per step (`yieldToSignals`, a
 * setImmediate: microseconds) and then asks `stopRequested`; on a stop it writes
 * checkpoint-last exactly as at an epoch's end, with the next step's position,
 * and throws `TrainingStoppedError`, whose message says how to continue.
 *
 * The signals themselves are caught by the CLI (src/cli/run.ts), which aborts
 * an AbortSignal whose reason carries the exit code (130 for SIGINT, 143 for
 * SIGTERM); this module only reads that signal, so the trainer stays CLI-free.
 */

/** Lets pending signal handlers (and any other macrotask) run. */
export function yieldToSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function stopRequested(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** 130 unless the abort reason carries its own code (143 for SIGTERM). */
export function stopExitCode(signal: AbortSignal | undefined): number {
  const code = (signal?.reason as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 && code < 256 ? code : 130;
}

/** The command that continues a run: the recorded one with --resume (added once). */
export function resumeCommand(command: string | undefined, out: string): string {
  if (!command) return `semifer train … --out ${out} --resume`;
  return /(^|\s)--resume(\s|=|$)/.test(command) ? command : `${command} --resume`;
}

/** Thrown after a stop was requested; the checkpoint is written before it is thrown. */
export class TrainingStoppedError extends Error {
  readonly exitCode: number;
  constructor(readonly nextStep: number, readonly checkpoint: string | null, exitCode: number, command: string) {
    super(checkpoint
      ? `stopped before step ${nextStep + 1}; checkpoint saved to ${checkpoint}\ncontinue with: ${command}`
      : 'stopped before training began; nothing to resume');
    this.name = 'TrainingStoppedError';
    this.exitCode = exitCode;
  }
}
