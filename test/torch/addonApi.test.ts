// The declared addon interface (src/torch/addonApi.ts) against the built addon:
// the same names, none missing and none extra; and the declarations type calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_NAMES, type Handle, type NativeAddon } from '../../src/torch/addonApi.js';
import { native } from '../../src/torch/native.js';

test('the built addon exports exactly the declared names', () => {
  const exported = new Set(Object.keys(native()));
  const declared = new Set(ADDON_NAMES);
  assert.equal(declared.size, ADDON_NAMES.length, 'a name is declared twice');
  assert.deepEqual([...declared].filter((n) => !exported.has(n)).sort(), [], 'declared but not exported by the addon');
  assert.deepEqual([...exported].filter((n) => !declared.has(n)).sort(), [], 'exported by the addon but not declared');
  for (const n of ADDON_NAMES) assert.equal(typeof (native() as unknown as Record<string, unknown>)[n], 'function', n);
});

test('a declared call runs with the declared argument kinds and returns the declared kind', () => {
  const n = native();
  const a = n.fromBuffer(Float32Array.from([1, 2, 3]), [3], n.info(n.scalarTensor(0, 6)).dtype);
  const b = n.add(a, a, 2);
  assert.deepEqual(n.shape(b), [3]);
  assert.deepEqual([...new Float32Array(n.toBuffer(b))], [3, 6, 9]);
  const [values, indices] = n.maxDim(b, 0, false);
  assert.equal(n.item(values), 9);
  assert.equal(n.item(indices), 2);
  for (const h of [a, b, values, indices]) n.dispose(h);
});

// Compiled, never run: each line must be a type error, or tsc fails the build.
export function declarationsRejectWrongCalls(n: NativeAddon, h: Handle): void {
  // @ts-expect-error an export the addon does not have
  n.outer(h, h);
  // @ts-expect-error a missing argument
  n.mul(h);
  // @ts-expect-error a number where a tensor goes
  n.mul(h, 2);
  // @ts-expect-error a list where one tensor goes
  n.relu([h]);
  // @ts-expect-error a tuple result is not a handle
  n.relu(n.sort(h, 0, false));
}
