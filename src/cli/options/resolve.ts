/**
 * `resolveOptions`: the one function that turns a command line (and an
 * optional config file) into typed, validated option values. Precedence:
 * command line > config file > preset (an option with a `layer`) > default. Every problem is collected and thrown
 * as one UsageError (exit 2), each line naming the option or the file:line.
 */
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { type CliValue, parseArgv } from './argv.js';
import { coerceValue, describeExpected } from './coerce.js';
import { type ConfigEntry, readConfigFile } from './configFile.js';
import { camelCase, flagOf, type OptionLayer, type OptionSpec, type OptionValues, type ValueSource } from './spec.js';
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
  source: 'cli' | 'config' | 'preset';
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
  const fromLayer = layerValues(spec, cli.values, fromConfig, errors, invalid);

  const assigned = new Map<string, Assigned>();
  for (const s of spec) {
    const c = cli.values.get(s.name);
    // Lowest first: a `merge` option folds them all, any other takes the last.
    const layers = [fromLayer.get(s.name), fromConfig.get(s.name), c ? fromCli(c) : undefined].filter((a): a is Assigned => a !== undefined);
    if (layers.length === 0) continue;
    const top = layers[layers.length - 1]!;
    const merge = s.type === 'string' ? s.merge : undefined;
    assigned.set(s.name, merge ? { ...top, value: layers.map((a) => a.value as string).reduce((lower, higher) => merge(lower, higher)) } : top);
  }
  applyExclusiveGroups(spec, assigned, errors);
  const waived = spec.some((s) => s.type === 'boolean' && s.waivesRequired && assigned.get(s.name)?.value === true);
  if (!waived) checkRequired(spec, assigned, invalid, errors);
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
  const entries = readConfigFile(file).entries;
  return entryValues(spec, translate ? entries.flatMap(translate) : entries, { name: file, baseDir: dirname(file), source: 'config' }, errors, invalid);
}

/**
 * The values of the option with a `layer` (a preset), when the command line or
 * the config file names one: its entries go through the same checks as a
 * config file's, and a layer may not name another.
 */
function layerValues(spec: readonly OptionSpec[], cli: Map<string, CliValue>, config: Map<string, Assigned>, errors: string[], invalid: Set<string>): Map<string, Assigned> {
  const out = new Map<string, Assigned>();
  for (const s of spec) {
    if (s.type !== 'string' || !s.layer) continue;
    const named = cli.get(s.name)?.value ?? config.get(s.name)?.value;
    if (typeof named !== 'string') continue;
    let layer: OptionLayer;
    try {
      layer = s.layer(named);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      errors.push(...err.problems);
      invalid.add(s.name);
      continue;
    }
    const nested = Object.keys(layer.entries).find((k) => spec.some((o) => o.name === normalizeName(k) && o.type === 'string' && o.layer));
    if (nested !== undefined) throw new Error(`${layer.source}: names '${nested}', another layer`);
    const entries = Object.entries(layer.entries).map(([key, value]) => ({ key, value }));
    for (const [name, a] of entryValues(spec, entries, { name: layer.source, source: 'preset' }, errors, invalid)) out.set(name, a);
  }
  return out;
}

interface EntrySource {
  /** The file, or `preset NAME`, for messages. */
  name: string;
  /** Folder that relative paths are resolved against (config files only). */
  baseDir?: string;
  source: 'config' | 'preset';
}

/** Validates entries by option name (a config file's or a preset's); unknown keys get a suggestion. */
function entryValues(spec: readonly OptionSpec[], entries: readonly ConfigEntry[], from: EntrySource, errors: string[], invalid: Set<string>): Map<string, Assigned> {
  const out = new Map<string, Assigned>();
  const firstKey = new Map<string, string>();
  const configurable = spec.filter((s) => s.configurable !== false);
  const file = from.name;
  const baseDir = from.baseDir;
  for (const entry of entries) {
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
    if (value !== undefined) out.set(s.name, { value, source: from.source, where: `${at(entry.line)}: '${entry.key}'` });
    else invalid.add(s.name);
  }
  return out;
}

function coerceEntry(s: OptionSpec, entry: ConfigEntry, baseDir: string | undefined, fail: (line: number | undefined, message: string) => void): unknown {
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

/** Higher wins: command line over config file over preset. */
const RANK: Record<Assigned['source'], number> = { cli: 3, config: 2, preset: 1 };

/**
 * At most one member per group. A member given on the command line drops the
 * members a config file or preset set, so `--label-fraction 0.1` overrides a
 * config's `labels-per-class: 25` instead of clashing with it (and a config
 * file's member drops a preset's).
 */
function applyExclusiveGroups(spec: readonly OptionSpec[], assigned: Map<string, Assigned>, errors: string[]): void {
  for (const group of groupsOf(spec)) {
    const members = spec.filter((s) => s.exclusive === group);
    const top = Math.max(0, ...members.map((s) => {
      const a = assigned.get(s.name);
      return a ? RANK[a.source] : 0;
    }));
    for (const m of members) {
      const a = assigned.get(m.name);
      if (a && RANK[a.source] < top) assigned.delete(m.name);
    }
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
