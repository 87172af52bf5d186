/**
 * The method registry: a new method is a new file (which declares itself,
 * declaration.ts) plus one line here. The order is that of `--method`'s choices.
 */
import type { MethodDeclaration } from './declaration.js';

export const METHODS: readonly MethodDeclaration[] = [
  (await import('./supervised.js')).method,
  (await import('./fixmatch.js')).method,
  (await import('./meanTeacher.js')).method,
  (await import('./adacm.js')).method,
  (await import('./scn.js')).method,
  (await import('./dtaSnl.js')).method,
];

export const METHOD_NAMES: readonly string[] = METHODS.map((m) => m.name);

/** The declaration of `name`; throws, listing the methods, for a name none declares. */
export function methodDeclaration(name: string): MethodDeclaration {
  const d = METHODS.find((m) => m.name === name);
  if (!d) throw new Error(`unknown method '${name}'; expected one of ${METHOD_NAMES.join(', ')}`);
  return d;
}
