/**
 * The server's whole URL space, built once at startup: an exact map from URL
 * path to a file on disk (or a generated body). A request path is only ever
 * looked up in this map, never joined onto a folder, so `/../package.json`,
 * `%2e%2e` and every other traversal spelling simply miss and get a 404.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTypeOf } from './contentTypes.js';
import { packageDir, pageDir } from './packagePaths.js';
import type { ExportedTfjsModel } from './modelFolder.js';

export interface Route {
  type: string;
  /** A file read at request time (so a re-export shows up without a restart)… */
  file?: string;
  /** …or a body generated at startup. */
  body?: Buffer;
  /** Package files never change while the server runs; the page and the model may. */
  immutable: boolean;
}

/** URL prefixes, shared with the page (its import map and config.json use them). */
export const URLS = {
  tfjs: '/vendor/tfjs/',
  wasm: '/vendor/tfjs-backend-wasm/',
  faceApi: '/vendor/face-api/',
  faceModels: '/vendor/face-api/model/',
  lib: '/lib/',
  model: '/model/',
  config: '/config.json',
} as const;

/** The face-api networks the page loads: tiny detector + tiny landmarks for live video, SSD + full landmarks for photos. */
const FACE_NETS = ['tiny_face_detector_model', 'face_landmark_68_tiny_model', 'ssd_mobilenetv1_model', 'face_landmark_68_model'];

export interface RouteOptions {
  model: ExportedTfjsModel;
  /** Sent to the page as config.json: what it needs besides the model itself. */
  config: Record<string, unknown>;
}

export function buildRoutes(o: RouteOptions): Map<string, Route> {
  const routes = new Map<string, Route>();
  const addFile = (url: string, file: string, immutable: boolean): void => {
    const type = contentTypeOf(file);
    if (!type) throw new Error(`no content type for ${file}`);
    routes.set(url, { type, file, immutable });
  };

  // The page: every file of its (flat) folder by name, index.html also at '/'.
  const page = pageDir();
  for (const name of readdirSync(page)) {
    if (contentTypeOf(name) && statSync(join(page, name)).isFile()) addFile(`/${name}`, join(page, name), false);
  }
  addFile('/', join(page, 'index.html'), false);

  // TensorFlow.js as one self-contained ES module; the WASM backend and its three binaries
  // (plain, SIMD, threaded SIMD: the backend picks what the browser supports).
  const tfjs = join(packageDir('@tensorflow/tfjs'), 'dist');
  addFile(`${URLS.tfjs}tf.fesm.min.js`, join(tfjs, 'tf.fesm.min.js'), true);
  const wasm = join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
  for (const f of ['tf-backend-wasm.fesm.min.js', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    addFile(`${URLS.wasm}${f}`, join(wasm, f), true);
  }

  // face-api without its own copy of TensorFlow.js (the import map points it at ours), and the two nets' weights.
  const faceApi = packageDir('@vladmandic/face-api');
  addFile(`${URLS.faceApi}face-api.esm-nobundle.js`, join(faceApi, 'dist', 'face-api.esm-nobundle.js'), true);
  for (const net of FACE_NETS) {
    const manifest = join(faceApi, 'model', `${net}-weights_manifest.json`);
    addFile(`${URLS.faceModels}${net}-weights_manifest.json`, manifest, true);
    for (const group of JSON.parse(readFileSync(manifest, 'utf8')) as { paths: string[] }[]) {
      for (const p of group.paths) addFile(`${URLS.faceModels}${p}`, join(faceApi, 'model', p), true);
    }
  }

  // semifer's own alignment and preprocessing, compiled from src/deploy/align.ts and
  // src/export/preprocess.ts: dependency-free ES modules, so the browser runs the very
  // code `semifer predict` runs. (They must stay free of runtime imports; the tests check.)
  const compiled = join(dirname(fileURLToPath(import.meta.url)), '..');
  addFile(`${URLS.lib}align.js`, join(compiled, 'deploy', 'align.js'), false);
  addFile(`${URLS.lib}preprocess.js`, join(compiled, 'export', 'preprocess.js'), false);

  // The exported model: model.json and exactly the shards it lists.
  addFile(`${URLS.model}model.json`, join(o.model.dir, 'model.json'), false);
  for (const f of o.model.weightFiles) addFile(`${URLS.model}${f}`, join(o.model.dir, f), false);

  routes.set(URLS.config, { type: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(o.config)), immutable: false });
  return routes;
}
