/**
 * TensorFlow.js for deployment, on its WebAssembly backend: the face detector
 * (face-api) and exported TF.js models run here. tfjs-node does not install
 * offline (DESIGN.md) and the pure-JS `cpu` backend is much slower than WASM.
 *
 * Loaded with `require`, not `import`: face-api's Node/WASM bundle is CommonJS
 * and `require`s '@tensorflow/tfjs' itself, so taking the same entry point the
 * same way guarantees one tfjs engine (two copies would hold two registries of
 * backends and tensors, and face-api's tensors would be foreign to ours).
 *
 * The WASM binaries are read from tfjs-backend-wasm's own `dist/` folder (the
 * Emscripten loader's default in Node), so nothing is fetched. Node exposes no
 * cross-origin isolation, so the backend runs single-threaded — which suits a
 * CLI sharing a small machine with training.
 */
import { createRequire } from 'node:module';
import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;

const require = createRequire(import.meta.url);
let ready: Promise<Tf> | undefined;

/** tfjs with the `wasm` backend selected and initialised (once per process). */
export function loadTf(): Promise<Tf> {
  ready ??= (async () => {
    const tf = require('@tensorflow/tfjs') as Tf;
    require('@tensorflow/tfjs-backend-wasm'); // registers the 'wasm' backend
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the WebAssembly backend failed to initialise');
    await tf.ready();
    return tf;
  })();
  return ready;
}

/** The same `require`, for modules that must share this tfjs instance (face-api's CommonJS bundle). */
export function requireBesideTf<T>(id: string): T {
  return require(id) as T;
}

/** Where that `require` finds a module's file. */
export function resolveBesideTf(id: string): string {
  return require.resolve(id);
}
