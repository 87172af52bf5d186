/**
 * How a command declares its options, and the TypeScript type of the values
 * `resolveOptions` returns for them. One declaration serves the command line,
 * config files, validation and `--help`, so they cannot drift apart.
 *
 * Names are long, kebab-case option names (`labels-per-class`); resolved
 * values are keyed by their camelCase form (`labelsPerClass`).
 */

interface OptionBase {
  /** Long name in kebab-case, without dashes: `labels-per-class` → `--labels-per-class`. */
  name: string;
  /** One-letter alias: `h` → `-h`. */
  short?: string;
  /** One line for `--help`. */
  description: string;
  /** The value's name in `--help` (`--out DIR`); defaults to the type's. */
  placeholder?: string;
  /**
   * Must be given (on the command line or in the config file). On a member of
   * an `exclusive` group it means "one member of the group is required".
   */
  required?: boolean;
  /** Repeatable (`--tag a --tag b`); the value is an array (default []). */
  array?: boolean;
  /**
   * Name of a mutually exclusive group: at most one member may be given. A
   * member given on the command line overrides members set by a config file.
   * Give a default to at most one member; it applies only when none is given.
   */
  exclusive?: string;
  /**
   * Also taken from bare arguments, in declaration order (`semifer data inspect
   * ./RAF-DB`); an `array` positional takes all the remaining ones. It can still
   * be given as `--name VALUE` or in a config file.
   */
  positional?: boolean;
  /** False: not accepted in a config file (`--config`, `--help`). Default true. */
  configurable?: boolean;
  /** Left out of `--help` (still accepted). */
  hidden?: boolean;
}

/**
 * Values that a named set stands for (`--preset adacm-rafdb-400`): entries by
 * option name, validated exactly like a config file's and ranked below it
 * (command line > config file > layer > default).
 */
export interface OptionLayer {
  /** How messages name it: `preset adacm-rafdb-400`. */
  source: string;
  entries: Record<string, unknown>;
}

export interface StringOption extends OptionBase {
  type: 'string';
  default?: string;
  /** The value names a layer of option values (a preset); throw a UsageError for an unknown name. */
  layer?: (value: string) => OptionLayer;
  /** Combines a lower source's value with a higher one's (preset < config < command line) instead of replacing it, e.g. name=value lists. */
  merge?: (lower: string, higher: string) => string;
}

/**
 * A file or folder. Relative paths from a config file are resolved against the
 * config file's folder (so a config works from any directory); relative paths
 * on the command line are kept as typed (Node resolves them against the cwd).
 */
export interface PathOption extends OptionBase {
  type: 'path';
  default?: string;
  /** Values that name something rather than a file (`human-models:mobilefacenet`): kept as written, never resolved. */
  isName?: (value: string) => boolean;
}

export interface IntOption extends OptionBase {
  type: 'int';
  min?: number;
  max?: number;
  default?: number;
}

export interface NumberOption extends OptionBase {
  type: 'number';
  min?: number;
  max?: number;
  default?: number;
}

/** `--flag`, `--no-flag`, `--flag=true|false|yes|no|1|0`; default false. */
export interface BooleanOption extends OptionBase {
  type: 'boolean';
  default?: boolean;
  /** When true, missing required options are not an error (a dry run that only shows the resolved values). */
  waivesRequired?: boolean;
}

export interface EnumOption extends OptionBase {
  type: 'enum';
  values: readonly string[];
  default?: string;
}

export type OptionSpec = StringOption | PathOption | IntOption | NumberOption | BooleanOption | EnumOption;
export type OptionType = OptionSpec['type'];

/** Identity with `const` inference: keeps literal names and enum values of a reusable option. */
export function option<const O extends OptionSpec>(spec: O): O {
  return spec;
}

/** Identity with `const` inference, for a list of options shared between commands. */
export function options<const S extends readonly OptionSpec[]>(spec: S): S {
  return spec;
}

// ---- Types of resolved values --------------------------------------------

export type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

type ScalarOf<O> = O extends { type: 'string' | 'path' }
  ? string
  : O extends { type: 'int' | 'number' }
    ? number
    : O extends { type: 'boolean' }
      ? boolean
      : O extends { type: 'enum'; values: readonly (infer V)[] }
        ? V
        : never;

/** Arrays are always arrays; booleans always booleans; a grouped option may be absent; otherwise present iff required or defaulted. */
export type ValueOf<O> = O extends { array: true }
  ? ScalarOf<O>[]
  : O extends { type: 'boolean' }
    ? boolean
    : O extends { exclusive: string }
      ? ScalarOf<O> | undefined
      : O extends { required: true }
        ? ScalarOf<O>
        : O extends { default: string | number | boolean }
          ? ScalarOf<O>
          : ScalarOf<O> | undefined;

/** The values object for a list of options: `{ labelsPerClass: number | undefined, … }`. */
export type OptionValues<S extends readonly OptionSpec[]> = {
  [O in S[number] as CamelCase<O['name']>]: ValueOf<O>;
};

/** Where a resolved value came from. */
export type ValueSource = 'cli' | 'config' | 'preset' | 'default' | 'unset';

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function flagOf(spec: Pick<OptionSpec, 'name'>): string {
  return `--${spec.name}`;
}
