// The serve server's routes, types and refusals, in process with a hand-written model.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServeServer, type RunningServer } from '../../src/serve/server.js';
import { isLoopbackHost } from '../../src/serve/securityHeaders.js';
import { readExportedTfjsModel } from '../../src/serve/modelFolder.js';
import { writeTinyTfjsModel, tinyMetadata } from './tinyTfjsModel.js';
import { CLI, startServe } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'semifer-serve-unit-'));
const modelDir = writeTinyTfjsModel(join(root, 'model'));
let server: RunningServer;

before(async () => {
  server = await startServeServer({ model: modelDir, port: 0 });
});
after(() => server.close());

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** A raw request: the path goes on the wire exactly as written (fetch would normalise '..'). */
function get(path: string, o: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: o.method ?? 'GET', headers: { host: o.host ?? `127.0.0.1:${server.port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the page, the libraries, face-api weights and the model are served with their types', async () => {
  const expect: [string, string][] = [
    ['/', 'text/html'],
    ['/index.html', 'text/html'],
    ['/app.js', 'text/javascript'],
    ['/style.css', 'text/css'],
    ['/vendor/tfjs/tf.fesm.min.js', 'text/javascript'],
    ['/vendor/tfjs-backend-wasm/tf-backend-wasm.fesm.min.js', 'text/javascript'],
    ['/vendor/tfjs-backend-wasm/tfjs-backend-wasm.wasm', 'application/wasm'],
    ['/vendor/tfjs-backend-wasm/tfjs-backend-wasm-simd.wasm', 'application/wasm'],
    ['/vendor/tfjs-backend-wasm/tfjs-backend-wasm-threaded-simd.wasm', 'application/wasm'],
    ['/vendor/face-api/face-api.esm-nobundle.js', 'text/javascript'],
    ['/vendor/face-api/model/tiny_face_detector_model-weights_manifest.json', 'application/json'],
    ['/vendor/face-api/model/tiny_face_detector_model.bin', 'application/octet-stream'],
    ['/vendor/face-api/model/face_landmark_68_tiny_model.bin', 'application/octet-stream'],
    ['/vendor/face-api/model/ssd_mobilenetv1_model-weights_manifest.json', 'application/json'],
    ['/vendor/face-api/model/ssd_mobilenetv1_model.bin', 'application/octet-stream'],
    ['/vendor/face-api/model/face_landmark_68_model.bin', 'application/octet-stream'],
    ['/model/model.json', 'application/json'],
    ['/model/group1-shard1of1.bin', 'application/octet-stream'],
    ['/config.json', 'application/json'],
    ['/lib/align.js', 'text/javascript'],
    ['/lib/preprocess.js', 'text/javascript'],
  ];
  for (const [path, type] of expect) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.ok(String(r.headers['content-type']).startsWith(type), `${path}: ${r.headers['content-type']}`);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.ok(r.body.length > 0, path);
  }
  const wasm = await get('/vendor/tfjs-backend-wasm/tfjs-backend-wasm-simd.wasm');
  assert.deepEqual([...wasm.body.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'a WebAssembly binary');
  assert.deepEqual((await get('/model/group1-shard1of1.bin')).body, readFileSync(join(modelDir, 'group1-shard1of1.bin')));
  const config = JSON.parse((await get('/config.json')).body.toString());
  assert.deepEqual(config.metadata.classes, tinyMetadata().classes);
  assert.equal(config.modelUrl, '/model/model.json');
});

test('the page only refers to URLs the server has: import map, scripts, styles, page modules', async () => {
  const html = (await get('/')).body.toString();
  const importMap = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]).imports as Record<string, string>;
  const urls = new Set<string>(Object.values(importMap));
  for (const m of html.matchAll(/(?:src|href)="(\/[^"]*)"/g)) urls.add(m[1]);
  // Follow the page's own modules' relative imports to the end (a Set iterates over what is added while iterating).
  for (const url of urls) {
    if (!url.endsWith('.js') || url.startsWith('/vendor/')) continue;
    for (const m of (await get(url)).body.toString().matchAll(/from '(\.|\/lib)\/([\w-]+\.js)'/g)) urls.add(m[1] === '.' ? `/${m[2]}` : `/lib/${m[2]}`);
  }
  assert.ok(urls.has('/detector.js') && urls.has('/lib/align.js') && urls.has('/lib/preprocess.js'), `page modules followed: ${[...urls]}`);
  // semifer's shared modules run in the browser as compiled: they must not import anything at run time.
  for (const lib of ['/lib/align.js', '/lib/preprocess.js']) {
    assert.doesNotMatch((await get(lib)).body.toString(), /^\s*(import|export .* from)\b/m, `${lib} has no runtime imports`);
  }
  for (const url of urls) assert.equal((await get(url)).status, 200, url);
});

test('the page carries a policy that keeps every load on this server', async () => {
  const csp = String((await get('/')).headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/, 'the inline import map is allowed by its hash');
});

test('traversal and unlisted files get 404', async () => {
  for (const path of [
    '/../package.json', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/..%2fpackage.json', '/..%5cpackage.json', '/....//package.json',
    '/vendor/tfjs/../../package.json', '/vendor/tfjs/%2e%2e/%2e%2e/%2e%2e/package.json', '/model/../model/model.json', '/model/..%2f..%2fpackage.json',
    '//etc/passwd', '/model/', '/model', '/vendor/', '/vendor/tfjs/tf.js', '/vendor/tfjs/package.json', '/node_modules/@tensorflow/tfjs/package.json',
    '/vendor/face-api/model/face_recognition_model.bin', '/src/serve/server.ts', '/page/index.html', '/app.js/', '/APP.JS', '/app.js%00',
  ]) {
    const r = await get(path);
    assert.equal(r.status, 404, `${path} → ${r.status}`);
    assert.ok(!r.body.toString().includes('"name": "semifer"'), path);
  }
  // Targets that are not paths at all: Node's parser or the whitelist refuses them.
  for (const path of ['package.json', '*', 'http://127.0.0.1/../package.json']) assert.ok([400, 404].includes((await get(path)).status), path);
  assert.equal((await get('/app.js?v=1')).status, 200, 'a query string is ignored');
});

test('GET and HEAD only; a foreign Host header is refused on loopback', async () => {
  const head = await get('/app.js', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(Number(head.headers['content-length']), (await get('/app.js')).body.length, 'HEAD tells the size');
  const post = await get('/', { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  assert.equal((await get('/', { host: 'attacker.example:8080' })).status, 403, 'DNS rebinding');
  assert.equal((await get('/', { host: `localhost:${server.port}` })).status, 200);
  assert.equal((await get('/', { host: `[::1]:${server.port}` })).status, 200);
});

test('isLoopbackHost', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', 'app.localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1', '']) assert.ok(!isLoopbackHost(h), h);
});

test('--model must be a TF.js export: clear errors', () => {
  const onnx = join(root, 'model.onnx');
  writeFileSync(onnx, Buffer.from([8, 7, 18, 4]));
  assert.throws(() => readExportedTfjsModel(onnx), /model\.onnx: is an ONNX model; serve needs a TF\.js export: semifer export --format tfjs/);
  const onnxDir = join(root, 'onnx-folder');
  mkdirSync(onnxDir);
  writeFileSync(join(onnxDir, 'model.onnx'), 'x');
  assert.throws(() => readExportedTfjsModel(onnxDir), /no model\.json \(this folder holds an ONNX model\); serve needs a TF\.js export/);
  assert.throws(() => readExportedTfjsModel(join(root, 'nope')), /nope: no such file or folder/);

  const bad = (name: string, edit: (doc: Record<string, any>) => void): string => {
    const dir = writeTinyTfjsModel(join(root, name));
    const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    edit(doc);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(doc));
    return dir;
  };
  assert.throws(() => readExportedTfjsModel(bad('no-meta', (d) => delete d.userDefinedMetadata)), /not a semifer export \(no semifer metadata\)/);
  assert.throws(() => readExportedTfjsModel(bad('layers', (d) => (d.format = 'layers-model'))), /not a TF\.js graph model/);
  assert.throws(() => readExportedTfjsModel(bad('nchw', (d) => (d.userDefinedMetadata.semifer.input.layout = 'NCHW'))), /input layout NCHW, expected NHWC/);
  assert.throws(() => readExportedTfjsModel(bad('escape', (d) => (d.weightsManifest[0].paths = ['../secret.bin']))), /"\.\.\/secret\.bin" is not a plain file name/);
  assert.throws(() => readExportedTfjsModel(bad('missing', (d) => (d.weightsManifest[0].paths = ['gone.bin']))), /gone\.bin: weight file listed in model\.json is missing/);
  assert.equal(readExportedTfjsModel(join(modelDir, 'model.json')).dir, modelDir, 'model.json itself is accepted');
});

test('semifer serve: a bad --model or a busy port exits 1 with one line; a non-loopback host warns', async () => {
  const r = spawnSync(process.execPath, [CLI, 'serve', '--model', join(root, 'model.onnx')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /serve needs a TF\.js export: semifer export --format tfjs/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const busy = spawnSync(process.execPath, [CLI, 'serve', '--model', modelDir, '--port', String(server.port)], { encoding: 'utf8' });
  assert.equal(busy.status, 1);
  assert.match(busy.stderr, new RegExp(`port ${server.port} on 127\\.0\\.0\\.1 is already in use; pick another with --port`));
  assert.doesNotMatch(busy.stderr, /unexpected error/);
  const s = await startServe(modelDir, '--host', '0.0.0.0');
  try {
    assert.match(s.stderr(), /warning: listening on 0\.0\.0\.0: anyone who can reach this machine/);
    assert.match(s.url, /^http:\/\/0\.0\.0\.0:\d+\/$/);
  } finally {
    await s.stop();
  }
});

test('a request with a body is refused with 413 and the connection closed, without reading the body', { timeout: 10_000 }, async () => {
  const { connect } = await import('node:net');
  const socket = connect(server.port, '127.0.0.1');
  let reply = '';
  socket.on('data', (d) => (reply += d));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  // Announce 500 MB, send 64 kB of it: the server must answer (and hang up) without waiting for the rest.
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 500000000\r\n\r\n`);
  socket.write(Buffer.alloc(65536));
  await closed;
  assert.match(reply, /^HTTP\/1\.1 413 /);
  assert.match(reply, /request body not accepted/);
});
