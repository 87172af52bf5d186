/**
 * TensorFlow.js for deployment, on its WebAssembly backend: the face detector
 * (face-api) and exported TF.js models run here. tfjs-node does not install
 * offline (docs/design.md) and the pure-JS `cpu` backend is much slower than WASM.
 * Initialisation is src/export/runTfjs.ts's `loadTf` (production mode, WASM
 * binaries read from tfjs-backend-wasm's own dist/ folder, nothing fetched).
 * Node exposes no cross-origin isolation, so the backend runs single-threaded —
 * which suits a CLI sharing a small machine with training.
 *
 * face-api's Node/WASM bundle is CommonJS and `require`s '@tensorflow/tfjs'
 * itself. Node gives `import()` and `require` of that package the same module
 * instance, so there is one tfjs engine: face-api's tensors and ours share one
 * backend registry. `requireBesideTf` loads such bundles from this package's
 * own node_modules.
 */
import { createRequire } from 'node:module';
import { loadTf as loadTfBackend } from '../export/runTfjs.js';

export type Tf = typeof import('@tensorflow/tfjs');

const require = createRequire(import.meta.url);

/** tfjs with the `wasm` backend selected and initialised. */
export function loadTf(): Promise<Tf> {
  return loadTfBackend('wasm');
}

/** `require` from here, for CommonJS bundles that must share the tfjs instance (face-api). */
export function requireBesideTf<T>(id: string): T {
  return require(id) as T;
}

/** Where that `require` finds a module's file. */
export function resolveBesideTf(id: string): string {
  return require.resolve(id);
}
