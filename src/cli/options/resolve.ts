/**
 * `resolveOptions`: the one function that turns a command line (and an
 * optional config file) into typed, validated option values. Precedence:
 * command line > config file > default. Every problem is collected and thrown
 * as one UsageError (exit 2), each line naming the option or the file:line.
 */
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { type CliValue, parseArgv } from './argv.js';
import { coerceValue, describeExpected } from './coerce.js';
import { type ConfigEntry, readConfigFile } from './configFile.js';
import { camelCase, flagOf, type OptionSpec, type OptionValues, type ValueSource } from './spec.js';
import { didYouMean, normalizeName } from './suggest.js';

export interface ResolveSettings {
  /** A config file to read; when absent, the value of a `config` option in `argv` (if the spec has one). */
  configFile?: string;
  /**
   * The command's reading of a config-file key before it is validated: a key
   * may stand for other keys, or for none (see Command.configEntries).
   */
  configEntries?: (entry: ConfigEntry) => ConfigEntry[];
}

export interface ResolvedOptions<S extends readonly OptionSpec[]> {
  values: OptionValues<S>;
  /** Where each option's value came from, by option name (kebab-case). */
  sources: Record<string, ValueSource>;
  /** The config file that was read, if any. */
  configFile?: string;
}

interface Assigned {
  value: unknown;
  source: 'cli' | 'config';
  /** `--n` or `exp.yaml:3: n`, for messages. */
  where: string;
}

/** Typed option values from argv (+ config file + defaults). Throws UsageError. */
export function resolveOptions<const S extends readonly OptionSpec[]>(spec: S, argv: readonly string[], settings: ResolveSettings = {}): OptionValues<S> {
  return resolveOptionsDetailed(spec, argv, settings).values;
}

/** Same as `resolveOptions`, plus where each value came from. */
export function resolveOptionsDetailed<const S extends readonly OptionSpec[]>(
  spec: S,
  argv: readonly string[],
  settings: ResolveSettings = {},
): ResolvedOptions<S> {
  checkSpec(spec);
  const errors: string[] = [];
  const cli = parseArgv(spec, argv);
  errors.push(...cli.errors);

  const configFile = settings.configFile ?? (cli.values.get('config')?.value as string | undefined);
  const invalid = new Set(cli.invalid);
  const fromConfig = configFile === undefined ? new Map<string, Assigned>() : configValues(spec, configFile, errors, invalid, settings.configEntries);

  const assigned = new Map<string, Assigned>();
  for (const s of spec) {
    const c = cli.values.get(s.name);
    const f = fromConfig.get(s.name);
    if (c) assigned.set(s.name, fromCli(c));
    else if (f) assigned.set(s.name, f);
  }
  applyExclusiveGroups(spec, assigned, errors);
  checkRequired(spec, assigned, invalid, errors);
  if (errors.length > 0) throw new UsageError(errors);

  const values: Record<string, unknown> = {};
  const sources: Record<string, ValueSource> = {};
  const groupsGiven = new Set(spec.filter((s) => s.exclusive && assigned.has(s.name)).map((s) => s.exclusive!));
  for (const s of spec) {
    const a = assigned.get(s.name);
    let value: unknown;
    let source: ValueSource;
    if (a) {
      value = a.value;
      source = a.source;
    } else if (s.default !== undefined && !(s.exclusive && groupsGiven.has(s.exclusive))) {
      value = s.default;
      source = 'default';
    } else {
      value = s.array ? [] : s.type === 'boolean' ? false : undefined;
      source = 'unset';
    }
    values[camelCase(s.name)] = s.array && !Array.isArray(value) && value !== undefined ? [value] : value;
    sources[s.name] = source;
  }
  return { values: values as OptionValues<S>, sources, configFile };
}

function fromCli(c: CliValue): Assigned {
  return { value: c.value, source: 'cli', where: c.flag };
}

/** Validates every key and value of the config file; unknown keys get a suggestion. */
function configValues(spec: readonly OptionSpec[], file: string, errors: string[], invalid: Set<string>, translate?: (entry: ConfigEntry) => ConfigEntry[]): Map<string, Assigned> {
  const out = new Map<string, Assigned>();
  const firstKey = new Map<string, string>();
  const configurable = spec.filter((s) => s.configurable !== false);
  const baseDir = dirname(file);
  const entries = readConfigFile(file).entries;
  for (const entry of translate ? entries.flatMap(translate) : entries) {
    const at = (line: number | undefined) => `${file}${line !== undefined ? `:${line}` : ''}`;
    const norm = normalizeName(entry.key);
    const s = spec.find((o) => o.name === norm);
    if (!s) {
      errors.push(`${at(entry.line)}: unknown key '${entry.key}'${didYouMean(entry.key, configurable.map((o) => o.name), (c) => `'${c}'`)}`);
      continue;
    }
    if (s.configurable === false) {
      errors.push(`${at(entry.line)}: '${entry.key}' cannot be set in a config file (use ${flagOf(s)} on the command line)`);
      continue;
    }
    const earlier = firstKey.get(s.name);
    if (earlier !== undefined) {
      errors.push(`${at(entry.line)}: '${entry.key}' sets the same option as '${earlier}' above`);
      continue;
    }
    firstKey.set(s.name, entry.key);
    // `key:` with nothing after it leaves the option unset (its default applies).
    if (entry.value === null) continue;
    const value = coerceEntry(s, entry, baseDir, (line, message) => errors.push(`${at(line)}: ${entry.key}: ${message}`));
    if (value !== undefined) out.set(s.name, { value, source: 'config', where: `${at(entry.line)}: '${entry.key}'` });
    else invalid.add(s.name);
  }
  return out;
}

function coerceEntry(s: OptionSpec, entry: ConfigEntry, baseDir: string, fail: (line: number | undefined, message: string) => void): unknown {
  const ctx = { from: 'config' as const, baseDir };
  if (s.array) {
    const items = Array.isArray(entry.value) ? entry.value : [entry.value];
    const out: unknown[] = [];
    let ok = true;
    items.forEach((item, i) => {
      const r = coerceValue(s, item, ctx);
      if (r.ok) out.push(r.value);
      else {
        ok = false;
        fail(entry.itemLines?.[i] ?? entry.valueLine, `${Array.isArray(entry.value) ? `item ${i + 1}: ` : ''}${r.error}`);
      }
    });
    return ok ? out : undefined;
  }
  if (Array.isArray(entry.value)) {
    fail(entry.valueLine, `expected ${describeExpected(s)}, got a list (only repeatable options take lists)`);
    return undefined;
  }
  const r = coerceValue(s, entry.value, ctx);
  if (!r.ok) {
    fail(entry.valueLine, r.error);
    return undefined;
  }
  return r.value;
}

/**
 * At most one member per group. A member given on the command line drops the
 * members a config file set, so `--label-fraction 0.1` overrides a config's
 * `labels-per-class: 25` instead of clashing with it.
 */
function applyExclusiveGroups(spec: readonly OptionSpec[], assigned: Map<string, Assigned>, errors: string[]): void {
  for (const group of groupsOf(spec)) {
    const members = spec.filter((s) => s.exclusive === group);
    const onCli = members.filter((s) => assigned.get(s.name)?.source === 'cli');
    if (onCli.length > 0) for (const m of members) if (assigned.get(m.name)?.source === 'config') assigned.delete(m.name);
    const given = members.filter((s) => assigned.has(s.name));
    if (given.length > 1) {
      errors.push(`${given.map((s) => assigned.get(s.name)!.where).join(' and ')}: only one of ${members.map(flagOf).join(', ')} may be given`);
    }
  }
}

/** A default satisfies "required"; options given with a bad value were reported already, not "missing" too. */
function checkRequired(spec: readonly OptionSpec[], assigned: Map<string, Assigned>, invalid: ReadonlySet<string>, errors: string[]): void {
  for (const s of spec) {
    if (!s.required || s.exclusive || s.default !== undefined || assigned.has(s.name) || invalid.has(s.name)) continue;
    errors.push(`missing required option ${flagOf(s)}${s.positional ? ` (or argument <${s.name}>)` : ''}: expected ${describeExpected(s)}`);
  }
  for (const group of groupsOf(spec)) {
    const members = spec.filter((s) => s.exclusive === group);
    if (members.some((s) => s.required) && !members.some((s) => assigned.has(s.name) || invalid.has(s.name) || s.default !== undefined)) {
      errors.push(`missing option: give one of ${members.map(flagOf).join(', ')}`);
    }
  }
}

function groupsOf(spec: readonly OptionSpec[]): string[] {
  return [...new Set(spec.filter((s) => s.exclusive).map((s) => s.exclusive!))];
}

const checked = new WeakSet<readonly OptionSpec[]>();

/** Mistakes in a command's declaration are bugs: fail loudly, once per spec. */
function checkSpec(spec: readonly OptionSpec[]): void {
  if (checked.has(spec)) return;
  const names = new Set<string>();
  const shorts = new Set<string>();
  for (const s of spec) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s.name)) throw new Error(`option spec: '${s.name}' is not a kebab-case name`);
    if (names.has(s.name)) throw new Error(`option spec: '${s.name}' declared twice`);
    names.add(s.name);
    if (s.short !== undefined) {
      if (!/^[a-zA-Z]$/.test(s.short) || shorts.has(s.short)) throw new Error(`option spec: bad or duplicate short flag '-${s.short}'`);
      shorts.add(s.short);
    }
    if (s.type === 'boolean' && s.name.startsWith('no-')) throw new Error(`option spec: name boolean '${s.name}' positively; --no-… is derived`);
    if (s.default !== undefined && !coerceValue(s, s.default, { from: 'config' }).ok) {
      throw new Error(`option spec: default of '${s.name}' is not ${describeExpected(s)}`);
    }
  }
  for (const group of groupsOf(spec)) {
    if (spec.filter((s) => s.exclusive === group && s.default !== undefined).length > 1) {
      throw new Error(`option spec: exclusive group '${group}' has more than one default`);
    }
  }
  checked.add(spec);
}
