/**
 * Memory scopes in the spirit of TensorFlow.js `tidy()`.
 *
 * Native tensors are invisible to V8's garbage collector, and finalizers never
 * run inside a synchronous training loop (docs/design.md measured 2.2 GB from 500
 * undisposed tensors), so every tensor an op creates belongs to the innermost
 * open scope and is freed when that scope ends, unless it is returned from the
 * scope (it moves to the parent) or kept with `keep()`.
 */
import type { Tensor } from './tensor.js';

const scopes: Tensor[][] = [];

/** Called by the Tensor constructor: the new tensor belongs to the innermost scope. */
export function track(t: Tensor): void {
  const top = scopes[scopes.length - 1];
  if (top) top.push(t);
}

/** Collects every Tensor reachable in a returned value (arrays, plain objects, Maps), for moving to the parent scope. */
function collect(value: unknown, out: Set<Tensor>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8) return;
  if ((value as { __isTensor?: boolean }).__isTensor) {
    out.add(value as Tensor);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
  } else if (value instanceof Map) {
    for (const v of value.values()) collect(v, out, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out, depth + 1);
  }
}

function close(scope: Tensor[], keepSet: Set<Tensor> | undefined): void {
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (t.isKept || t.isDisposed) continue;
    if (keepSet?.has(t)) {
      if (parent) parent.push(t);
    } else {
      t.dispose();
    }
  }
}

/**
 * Runs `fn` in a new scope: tensors it creates are disposed when it returns,
 * except those in its return value and those kept with `keep()`.
 * On an exception the scope's tensors are freed and the error rethrown.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Tensor[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    close(scope, undefined);
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    close(scope, undefined);
    throw new Error('tidy() cannot wrap an async function: tensors would be freed while it still runs. Await outside, tidy inside.');
  }
  const returned = new Set<Tensor>();
  collect(result, returned);
  close(scope, returned);
  return result;
}

/** Marks a tensor as outliving every scope (module parameters, optimiser state, caches). */
export function keep<T extends Tensor>(t: T): T {
  t.markKept();
  return t;
}

/** Disposes tensors found in a value (a tensor, an array, an object of tensors). */
export function dispose(value: unknown): void {
  const found = new Set<Tensor>();
  collect(value, found);
  for (const t of found) t.dispose();
}

/** How deep the scope stack is (for tests and diagnostics). */
export function scopeDepth(): number {
  return scopes.length;
}
