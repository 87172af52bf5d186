// Picks the TensorFlow.js backend: WebGL on a real GPU, else WebAssembly (its
// .wasm files come from this server), else plain JS. A software WebGL
// (SwiftShader, llvmpipe: what browsers fall back to without a GPU) is far
// slower than WebAssembly, so it goes after it. `?backend=wasm|webgl|cpu` forces one.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm/dist/index.js';

export async function chooseBackend(wasmUrl) {
  setWasmPaths(wasmUrl);
  const forced = new URLSearchParams(location.search).get('backend');
  const order = forced ? [forced] : softwareWebgl() ? ['wasm', 'webgl', 'cpu'] : ['webgl', 'wasm', 'cpu'];
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

/** True when WebGL is there but drawn by the CPU. */
function softwareWebgl() {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}
