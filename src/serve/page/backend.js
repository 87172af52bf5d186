// Picks the TensorFlow.js backend: WebGL where the browser has a GPU context,
// else WebAssembly (its .wasm files come from this server), else plain JS.
// `?backend=wasm|webgl|cpu` forces one.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm/dist/index.js';

export async function chooseBackend(wasmUrl) {
  setWasmPaths(wasmUrl);
  const forced = new URLSearchParams(location.search).get('backend');
  const order = forced ? [forced] : ['webgl', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        tf.enableProdMode();
        return name;
      }
    } catch (err) {
      console.warn(`backend ${name} failed:`, err);
    }
  }
  throw new Error(`no TensorFlow.js backend works here (tried ${order.join(', ')})`);
}
