/**
 * What a command is. A command is a plain object in its own file under
 * `commands/`, registered in `commands/index.ts`; `defineCommand` gives its
 * `run` the typed values of its own options.
 */
import type { OptionSpec, OptionValues, ValueSource } from './options/spec.js';
import type { ConfigEntry } from './options/configFile.js';
import type { ProgressBar, ProgressOptions } from './progress.js';
import type { Style } from './style.js';

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CommandContext<V = Record<string, unknown>> {
  /** The command's own options, typed and validated (CLI > config file > default). */
  options: V;
  /** Where each option's value came from, by kebab-case name. */
  sources: Record<string, ValueSource>;
  /** --json: print exactly one JSON document on stdout (with `printJson`). */
  json: boolean;
  /** --verbose: more detail on stderr (and stacks of unexpected errors). */
  verbose: boolean;
  /** --quiet: no progress or log lines on stderr (warnings and errors still print). */
  quiet: boolean;
  configFile?: string;
  /** e.g. ['data', 'synth']. */
  commandPath: readonly string[];
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Colours for stdout text and for stderr text (each follows its own stream's TTY-ness). */
  style: Style;
  errStyle: Style;
  /**
   * Aborted on the first Ctrl-C, for commands with `handlesInterrupt` (they
   * stop cleanly — save a checkpoint — then return or throw; exit code 130).
   */
  signal: AbortSignal;
  /** Human-readable result on stdout; under --json it goes to stderr so stdout stays one JSON document. */
  print(text: string): void;
  /** The --json result document, on stdout. Call it once. */
  printJson(doc: unknown): void;
  /** A human progress/log line on stderr (silenced by --quiet). */
  log(text: string): void;
  /** "warning: …" on stderr (never silenced). */
  warn(text: string): void;
  /** A progress bar on stderr (silent under --quiet). */
  progress(opts: ProgressOptions): ProgressBar;
}

export interface Command<S extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** The word after `semifer` (or after the parent command). */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The synopsis in --help, e.g. 'semifer data synth --out DIR --n N [options]'. */
  usage: string;
  /** Longer explanation for --help (optional, a few lines). */
  description?: string;
  /** Full command lines, each starting with 'semifer '. */
  examples: string[];
  /** Extra tables for --help after the options (e.g. train's hyper-parameter names), each row [name, text]. */
  helpSections?: readonly { title: string; rows: readonly (readonly [string, string])[] }[];
  options: S;
  /** Child commands (`semifer data synth`); a command with children is a group and its `run` is not called. */
  subcommands?: readonly Command[];
  /**
   * How a config-file key maps to option keys (none: the key is recorded
   * metadata; several: one value that stands for several flags). Lets a file
   * the command wrote itself (train's config.json) be read back with --config.
   */
  configEntries?: (entry: ConfigEntry) => ConfigEntry[];
  /** True when `run` watches `ctx.signal`; otherwise the first Ctrl-C exits at once with 130. */
  handlesInterrupt?: boolean;
  /** Returns the exit code (see exitCodes.ts). May throw; the error decides the code. */
  run(ctx: CommandContext<OptionValues<S>>): Promise<number>;
}

/** Types `run`'s options from the literal `options` array, and returns a registry-ready Command. */
export function defineCommand<const S extends readonly OptionSpec[]>(command: Command<S>): Command {
  return command as unknown as Command;
}

/** A command that only groups subcommands (`semifer data`). */
export function commandGroup(def: { name: string; summary: string; description?: string; subcommands: readonly Command[] }): Command {
  return {
    ...def,
    usage: `semifer ${def.name} <command> [options]`,
    examples: def.subcommands.flatMap((c) => c.examples.slice(0, 1)),
    options: [],
    async run() {
      // Never called: the dispatcher handles groups. Kept so a group is a Command.
      return 2;
    },
  };
}
