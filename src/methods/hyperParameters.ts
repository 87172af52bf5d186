/**
 * The hyper-parameters each method reads from `TrainConfig.hyper`, by name.
 * Every hyper-parameter of a method is a default that the CLI and
 * config can change; `semifer train --hyper name=value,…` reaches all of them.
 * A name the method does not read is refused, so that a misspelt or misplaced
 * one cannot silently train the default. Each method file declares its own
 * (declaration.ts); this module checks and parses against those declarations.
 */
import { METHODS, methodDeclaration } from './registry.js';
import { SCN_HYPER } from './labelledLoss.js';
import type { HyperParameter, HyperTable } from './declaration.js';

/** Each method's hyper-parameters by method name, as its file declares them (registry.ts). */
export const METHOD_HYPER: Readonly<Record<string, HyperTable>> = Object.fromEntries(METHODS.map((m) => [m.name, m.hyper]));

/** A `train --help` line: the doc, and the default where the declaration has one. */
export function hyperHelp(p: HyperParameter): string {
  const line = p.default === undefined ? p.doc : `${p.doc} (default ${p.default})`;
  return p.readOnlyWith ? `${line}; read only with ${conditionText(p.readOnlyWith)}` : line;
}

function conditionText(condition: Readonly<Record<string, number>>): string {
  return Object.entries(condition).map(([n, v]) => `${n}=${v}`).join(',');
}

/** The default of one method's hyper-parameter (for the dedicated flags' help). */
export function hyperDefault(method: string, name: string): number | undefined {
  return methodDeclaration(method).hyper[name]?.default;
}

/** A refused hyper-parameter; `parameter` names it, so a caller can say which flag set it. */
export class HyperParameterError extends Error {
  constructor(message: string, readonly parameter: string) {
    super(message);
  }
}

/** The names `method` reads (SCN's too when its noisy-label handling is on). */
export function hyperNamesFor(method: string, noisyLabels?: string): HyperTable {
  const own = methodDeclaration(method).hyper;
  return noisyLabels === 'scn' ? { ...own, ...SCN_HYPER } : own;
}

/** Throws, naming the method and what it reads, when `hyper` holds a name it does not read or a value that is not allowed. */
export function checkHyper(method: string, hyper: Record<string, number>, noisyLabels?: string): void {
  const known = hyperNamesFor(method, noisyLabels);
  for (const [name, value] of Object.entries(hyper)) {
    if (!(name in known)) {
      const list = Object.keys(known);
      throw new HyperParameterError(`method '${method}' has no hyper-parameter '${name}'; ` + (list.length ? `it reads: ${list.join(', ')}` : 'it reads none') +
        (noisyLabels !== 'scn' && name in SCN_HYPER ? " (SCN's need --noisy-labels scn)" : ''), name);
    }
    if (!Number.isFinite(value)) throw new HyperParameterError(`hyper-parameter '${name}' must be a finite number, got ${value}`, name);
    if (known[name].type === 'switch' && value !== 0 && value !== 1) throw new HyperParameterError(`hyper-parameter '${name}' is a switch: 0 or 1, got ${value}`, name);
    if (value < 0) throw new HyperParameterError(`hyper-parameter '${name}' must not be negative, got ${value}`, name);
    const needs = known[name].readOnlyWith;
    const unmet = needs && Object.entries(needs).find(([other, v]) => (hyper[other] ?? known[other]?.default) !== v);
    if (unmet) {
      throw new HyperParameterError(`method '${method}' reads hyper-parameter '${name}' only with ${conditionText(needs!)}` +
        ` (${unmet[0]} is ${hyper[unmet[0]] ?? known[unmet[0]]?.default}${unmet[0] in hyper ? '' : ', its default'}), so '${name}=${value}' would change nothing`, name);
    }
  }
}

/** Parses `name=value,name=value` (the --hyper flag); throws on a malformed entry or a name given twice. */
export function parseHyper(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of spec.split(',')) {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(\S+)\s*$/.exec(entry);
    if (!m) throw new Error(`expected name=value, got '${entry}'`);
    const value = Number(m[2]);
    if (!Number.isFinite(value)) throw new Error(`'${m[1]}' needs a number, got '${m[2]}'`);
    if (m[1] in out) throw new Error(`'${m[1]}' is given twice`);
    out[m[1]] = value;
  }
  return out;
}

/**
 * `--hyper` over a preset's or config file's `hyper`: the union of both lists,
 * `higher`'s value where both name a parameter. Entries that do not parse are
 * kept as written, for parseHyper to report.
 */
export function mergeHyper(lower: string, higher: string): string {
  const byName = new Map<string, string>();
  for (const entry of [...lower.split(','), ...higher.split(',')].filter((e) => e.trim() !== '')) {
    const name = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=/.exec(entry)?.[1] ?? entry;
    byName.delete(name);
    byName.set(name, entry.trim());
  }
  return [...byName.values()].join(',');
}
