/**
 * The dispatcher: finds the command named by the leading words of argv
 * (`semifer data synth …`), handles --help/--version, resolves options, runs
 * the command with a context, and turns whatever happens into an exit code.
 * `runCli` never calls process.exit, so tests can run it in-process.
 */
import type { Command, CommandContext, OutputStream } from './command.js';
import { COMMANDS } from './commands/index.js';
import { InterruptedError, UsageError, exitCodeOf } from './errors.js';
import { EXIT } from './exitCodes.js';
import { GLOBAL_OPTIONS } from './globalOptions.js';
import { formatCommandHelp, formatTopHelp, type HelpFormat } from './help.js';
import { resolveOptionsDetailed } from './options/resolve.js';
import type { OptionSpec, OptionValues, ValueSource } from './options/spec.js';
import { didYouMean } from './options/suggest.js';
import { progress, type ProgressOptions } from './progress.js';
import { reportError } from './report.js';
import { createStyle } from './style.js';
import { semiferVersion } from './version.js';

export interface CliEnvironment {
  stdout?: OutputStream;
  stderr?: OutputStream;
  env?: NodeJS.ProcessEnv;
  /** The command registry (tests substitute their own). */
  commands?: readonly Command[];
  /** Install the SIGINT handler; only the real binary should (tests must not touch process signals). */
  handleSignals?: boolean;
}

/** Global flags that take a value, so leading globals (`semifer --config x.yaml train`) can be skipped over. */
const VALUE_GLOBALS = new Set((GLOBAL_OPTIONS as readonly OptionSpec[]).filter((o) => o.type !== 'boolean').flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]));

export async function runCli(argv: readonly string[], environment: CliEnvironment = {}): Promise<number> {
  const stdout = environment.stdout ?? process.stdout;
  const stderr = environment.stderr ?? process.stderr;
  const env = environment.env ?? process.env;
  const commands = environment.commands ?? COMMANDS;
  const errStyle = createStyle(stderr, env);
  const outFormat: HelpFormat = { style: createStyle(stdout, env), width: Math.min(100, stdout.columns ?? 100) };
  const errFormat: HelpFormat = { style: errStyle, width: Math.min(100, stderr.columns ?? 100) };

  const dashDash = argv.indexOf('--');
  const flagsPart = dashDash < 0 ? argv : argv.slice(0, dashDash);
  const has = (...flags: string[]) => flagsPart.some((t) => flags.includes(t) || flags.some((f) => t.startsWith(`${f}=`) && !/=(false|no|0|off)$/i.test(t)));
  const debug = env.SEMIFER_DEBUG === '1' || has('--verbose', '-v');
  const jsonMode = has('--json');
  let path: string[] = [];
  let jsonPrinted = false;

  try {
    // Global flags may come before the command word.
    let i = 0;
    const leading: string[] = [];
    while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') {
      leading.push(argv[i]!);
      if (VALUE_GLOBALS.has(argv[i]!) && i + 1 < argv.length) leading.push(argv[++i]!);
      i++;
    }
    if (leading.includes('--version') || leading.includes('-V')) {
      stdout.write(jsonMode ? `${JSON.stringify({ name: 'semifer', version: semiferVersion() })}\n` : `semifer ${semiferVersion()}\n`);
      return EXIT.OK;
    }
    let words = argv.slice(i);
    let helpWord = false;
    if (words[0] === 'help') {
      helpWord = true;
      words = words.slice(1);
    }
    if (words.length === 0 || words[0]!.startsWith('-')) {
      if (helpWord || leading.includes('--help') || leading.includes('-h')) {
        stdout.write(formatTopHelp(commands, semiferVersion(), outFormat));
        return EXIT.OK;
      }
      stderr.write(formatTopHelp(commands, semiferVersion(), errFormat));
      throw new UsageError(words.length === 0 ? 'missing command' : `unknown option ${words[0]} (options go after the command)`);
    }

    // Walk down the command tree as long as the words name subcommands.
    let list = commands;
    let command: Command | undefined;
    let k = 0;
    while (k < words.length) {
      const word = words[k]!;
      const found = list.find((c) => c.name === word);
      if (!found) {
        const where = path.length > 0 ? `'semifer ${path.join(' ')}' has no subcommand` : 'unknown command';
        throw new UsageError(`${where} '${word}'${didYouMean(word, list.map((c) => c.name), (c) => `'${c}'`)}`);
      }
      command = found;
      path.push(word);
      k++;
      if (!found.subcommands || k >= words.length || words[k]!.startsWith('-')) break;
      list = found.subcommands;
    }
    const rest = [...leading, ...words.slice(k)];
    const restFlags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (helpWord || restFlags.includes('--help') || restFlags.includes('-h')) {
      stdout.write(formatCommandHelp(command!, path, outFormat));
      return EXIT.OK;
    }
    if (command!.subcommands) {
      stderr.write(formatCommandHelp(command!, path, errFormat));
      throw new UsageError(`missing subcommand: semifer ${path.join(' ')} <${command!.subcommands.map((c) => c.name).join('|')}>`);
    }

    const cmd = command!;
    const spec: readonly OptionSpec[] = [...cmd.options, ...GLOBAL_OPTIONS];
    const resolved = resolveOptionsDetailed(spec, rest, { configEntries: cmd.configEntries });
    const all = resolved.values as Record<string, unknown>;
    const controller = new AbortController();
    const ctx = makeContext({
      cmd, all, resolved, path, stdout, stderr, env, controller,
      onJson: () => {
        jsonPrinted = true;
      },
    });
    const detach = environment.handleSignals ? attachStopSignals(cmd, controller, stderr) : () => {};
    try {
      const code = await cmd.run(ctx);
      // A command that stopped early on Ctrl-C (SIGTERM) and returned "ok" still reports the interruption.
      return controller.signal.aborted && code === EXIT.OK ? exitCodeOf(controller.signal.reason) : code;
    } finally {
      detach();
    }
  } catch (err) {
    if (err instanceof UsageError && err.helpFor === undefined) err.helpFor = path.join(' ');
    const report = reportError(err, { style: errStyle, debug });
    stderr.write(report.text);
    // Under --json a failure is still one JSON document on stdout, for the scripts reading it.
    if (jsonMode && !jsonPrinted) stdout.write(`${JSON.stringify({ ok: false, error: { message: report.message, exitCode: report.exitCode } }, null, 2)}\n`);
    return report.exitCode;
  }
}

interface ContextParts {
  cmd: Command;
  all: Record<string, unknown>;
  resolved: { sources: Record<string, ValueSource>; configFile?: string };
  path: string[];
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  controller: AbortController;
  onJson: () => void;
}

function makeContext(p: ContextParts): CommandContext<OptionValues<readonly OptionSpec[]>> {
  const options: Record<string, unknown> = {};
  for (const o of p.cmd.options) {
    const key = o.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    options[key] = p.all[key];
  }
  const json = p.all.json === true;
  const quiet = p.all.quiet === true;
  const errStyle = createStyle(p.stderr, p.env);
  let printedJson = false;
  return {
    options: options as OptionValues<readonly OptionSpec[]>,
    sources: p.resolved.sources,
    json,
    verbose: p.all.verbose === true,
    quiet,
    configFile: p.resolved.configFile,
    commandPath: p.path,
    stdout: p.stdout,
    stderr: p.stderr,
    env: p.env,
    style: createStyle(p.stdout, p.env),
    errStyle,
    signal: p.controller.signal,
    print(text) {
      (json ? p.stderr : p.stdout).write(text.endsWith('\n') ? text : `${text}\n`);
    },
    printJson(doc) {
      if (printedJson) throw new Error('printJson called twice: --json output must be a single document');
      printedJson = true;
      p.onJson();
      p.stdout.write(`${JSON.stringify(doc, jsonReplacer, 2)}\n`);
    },
    log(text) {
      if (!quiet) p.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    warn(text) {
      p.stderr.write(`${errStyle.yellow(`warning: ${text}`)}\n`);
    },
    progress(opts: ProgressOptions) {
      return progress({ stream: p.stderr, enabled: !quiet, color: errStyle.enabled, ...opts });
    },
  };
}

/** Typed arrays as plain arrays (a Float32Array would otherwise become {"0": …}). */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/**
 * First Ctrl-C (or SIGTERM): a command that handles interrupts gets its signal
 * aborted and finishes cleanly; any other command exits at once. A second
 * signal: exit now. SIGINT exits 130, SIGTERM 143 (128 + the signal's number).
 */
function attachStopSignals(cmd: Command, controller: AbortController, stderr: OutputStream): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    count++;
    const [word, code] = signal === 'SIGTERM' ? ['terminated', EXIT.TERMINATED] : ['interrupted', EXIT.INTERRUPTED];
    // End a progress line that is being redrawn in place.
    if (stderr.isTTY) stderr.write('\n');
    if (count === 1 && cmd.handlesInterrupt) {
      stderr.write(`${word}: finishing the current step (Ctrl-C again to quit now)\n`);
      controller.abort(new InterruptedError(word, code));
      return;
    }
    stderr.write(`${word}\n`);
    process.exit(code);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
