/**
 * Reads the command line against an option list: `--name value`,
 * `--name=value`, `-x value`, `--flag`, `--no-flag`, repeated array options,
 * `--` (everything after it is an argument) and bare arguments for positional
 * options. Collects every problem instead of stopping at the first, so one run
 * reports them all.
 */
import { type CoerceContext, coerceValue, describeExpected } from './coerce.js';
import { flagOf, type OptionSpec } from './spec.js';
import { suggest } from './suggest.js';

export interface CliValue {
  value: unknown;
  /** How the user wrote it (`--n`, `-n`, `<root>`), for messages. */
  flag: string;
}

export interface ParsedArgv {
  /** By option name; array options hold an array. */
  values: Map<string, CliValue>;
  /** Options given with a bad value (so they are not also reported as missing). */
  invalid: Set<string>;
  errors: string[];
}

const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Types whose values cannot contain a comma, so `--seeds 1,2,3` can be split safely. */
const COMMA_SPLIT_TYPES = new Set(['int', 'number', 'enum']);
const CLI: CoerceContext = { from: 'cli' };

function looksLikeOption(token: string): boolean {
  return token.startsWith('-') && token.length > 1 && !NEGATIVE_NUMBER.test(token);
}

export function parseArgv(specs: readonly OptionSpec[], argv: readonly string[]): ParsedArgv {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values = new Map<string, CliValue>();
  const errors: string[] = [];
  const invalid = new Set<string>();
  const bare: string[] = [];

  const assign = (spec: OptionSpec, raw: unknown, flag: string): void => {
    const pieces = spec.array && typeof raw === 'string' && COMMA_SPLIT_TYPES.has(spec.type) ? raw.split(',') : [raw];
    for (const piece of pieces) {
      const r = coerceValue(spec, piece, CLI);
      if (!r.ok) {
        errors.push(`${flag}: ${r.error}`);
        invalid.add(spec.name);
        continue;
      }
      if (spec.array) {
        const prev = values.get(spec.name);
        const list = prev && Array.isArray(prev.value) ? (prev.value as unknown[]) : [];
        values.set(spec.name, { value: [...list, r.value], flag });
      } else {
        // Last one wins, so a wrapper script can append overrides to a base command line.
        values.set(spec.name, { value: r.value, flag });
      }
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      bare.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(token)) {
      bare.push(token);
      continue;
    }
    const long = token.startsWith('--');
    const eq = token.indexOf('=');
    const name = token.slice(long ? 2 : 1, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    const flag = `${long ? '--' : '-'}${name}`;

    let spec = long ? byName.get(name) : byShort.get(name);
    let negated = false;
    if (!spec && long && name.startsWith('no-')) {
      const positive = byName.get(name.slice(3));
      if (positive?.type === 'boolean') {
        spec = positive;
        negated = true;
      } else if (positive) {
        errors.push(`${flag}: only true/false options can be negated; ${flagOf(positive)} takes ${describeExpected(positive)}`);
        continue;
      }
    }
    if (!spec) {
      const candidates = specs.flatMap((s) => (s.type === 'boolean' ? [s.name, `no-${s.name}`] : [s.name]));
      const guess = long ? suggest(name, candidates) : undefined;
      errors.push(`unknown option ${flag}${guess ? `; did you mean --${guess}?` : ''}`);
      // `--formt rafdb`: the word after a mistyped option is most likely its value, not a stray argument.
      const guessed = guess === undefined ? undefined : byName.get(guess.replace(/^no-/, ''));
      if (inline === undefined && guessed?.type !== 'boolean' && argv[i + 1] !== undefined && !looksLikeOption(argv[i + 1]!)) i++;
      continue;
    }
    if (spec.type === 'boolean') {
      if (negated && inline !== undefined) errors.push(`${flag}: takes no value (it means ${flagOf(spec)}=false)`);
      else assign(spec, negated ? false : (inline ?? true), flag);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || looksLikeOption(next) || next === '--') {
        errors.push(`${flag}: missing value (expected ${describeExpected(spec)})`);
        continue;
      }
      raw = next;
      i++;
    }
    assign(spec, raw, flag);
  }

  // Bare arguments fill the positional options not already given as flags, in order.
  const open = specs.filter((s) => s.positional && !values.has(s.name));
  let k = 0;
  for (const spec of open) {
    if (k >= bare.length) break;
    if (spec.array) {
      for (; k < bare.length; k++) assign(spec, bare[k], `<${spec.name}>`);
    } else {
      assign(spec, bare[k++], `<${spec.name}>`);
    }
  }
  for (; k < bare.length; k++) {
    errors.push(open.length === 0 && !specs.some((s) => s.positional)
      ? `unexpected argument '${bare[k]}' (this command takes options only)`
      : `unexpected argument '${bare[k]}'`);
  }
  return { values, invalid, errors };
}
