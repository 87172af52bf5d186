/**
 * `semifer label serve`'s HTTP server: plain node:http, loopback by default,
 * the page's three files, the faces of the queue by number (never by a path
 * from the request), and two JSON endpoints that change the labels file.
 * Headers are `semifer serve`'s (src/serve/securityHeaders.ts): the page may
 * load and fetch only from this server, answers only to a loopback Host; a
 * POST must also come from the page's own origin with a JSON body, so another
 * web site open in the same browser cannot answer for the user.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { COMMON_HEADERS, contentSecurityPolicy, hostNameOf, isLoopbackHost } from '../serve/securityHeaders.js';
import { contentTypeOf } from '../serve/contentTypes.js';
import { ServeError } from '../serve/server.js';
import type { LabelQueue } from './labelQueue.js';

/** The page's folder: src/label/page, found from dist/src/label like the serve page (tsc does not copy it). */
export function labelPageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'page'), join(here, '..', '..', '..', 'src', 'label', 'page')];
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!found) throw new Error(`the labelling page is missing (looked in ${candidates.join(', ')}); reinstall semifer`);
  return found;
}

const PAGE_FILES = ['index.html', 'app.js', 'style.css'] as const;
const MAX_BODY = 4096;

export interface LabelServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startLabelServer(queue: LabelQueue, o: { host?: string; port?: number; log?: (line: string) => void } = {}): Promise<LabelServer> {
  const host = o.host ?? '127.0.0.1';
  const dir = labelPageDir();
  const page = new Map(PAGE_FILES.map((f) => [`/${f}`, { body: readFileSync(join(dir, f)), type: contentTypeOf(f)! }]));
  page.set('/', page.get('/index.html')!);
  const csp = contentSecurityPolicy(readFileSync(join(dir, 'index.html'), 'utf8'));
  const loopbackOnly = isLoopbackHost(host);
  const server = createServer((req, res) => {
    handle(req, res, { queue, page, csp, loopbackOnly }).catch((err) => {
      if (!res.headersSent) json(res, 500, { error: (err as Error).message });
      else res.destroy();
    });
  });
  if (o.log) server.on('request', (req, r: ServerResponse) => r.on('finish', () => o.log!(`${req.method} ${req.url} ${r.statusCode}`)));
  const port = o.port ?? 8090;
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void => {
      if (err.code === 'EADDRINUSE') reject(new ServeError(`port ${port} on ${host} is already in use; pick another with --port (0: any free port)`));
      else reject(err);
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

interface Ctx {
  queue: LabelQueue;
  page: Map<string, { body: Buffer; type: string }>;
  csp: string;
  loopbackOnly: boolean;
}

function json(res: ServerResponse, status: number, doc: unknown): void {
  const body = Buffer.from(JSON.stringify(doc));
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(body.length) });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse, c: Ctx): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  const host = req.headers.host;
  if (c.loopbackOnly && !isLoopbackHost(hostNameOf(host))) return json(res, 403, { error: 'this server answers only to localhost' });

  if (req.method === 'POST') {
    // Same-origin only: a browser always sends Origin on a cross-site POST.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return json(res, 403, { error: 'cross-origin request refused' });
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return json(res, 415, { error: 'expected a JSON body' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch (err) {
      return json(res, 400, { error: `bad request body (${(err as Error).message})` });
    }
    try {
      if (path === '/api/answer') {
        if (typeof body.index !== 'number' || typeof body.label !== 'string') return json(res, 400, { error: "expected {index: number, label: string}" });
        return json(res, 200, { answers: c.queue.answer(body.index, body.label) });
      }
      if (path === '/api/undo') return json(res, 200, c.queue.undo());
    } catch (err) {
      return json(res, err instanceof RangeError ? 400 : 500, { error: (err as Error).message });
    }
    return json(res, 404, { error: 'not found' });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...COMMON_HEADERS, Allow: 'GET, HEAD, POST' });
    return void res.end();
  }
  if (path === '/api/state') return json(res, 200, c.queue.state());
  if (path.startsWith('/face/')) {
    const i = Number(path.slice(6));
    const face = Number.isInteger(i) ? c.queue.faces[i] : undefined;
    const type = face ? contentTypeOf(face.path) ?? imageType(face.path) : undefined;
    if (!face || !type) return json(res, 404, { error: 'no such face' });
    let bytes: Buffer;
    try {
      bytes = readFileSync(face.path);
    } catch {
      return json(res, 404, { error: 'face file is gone' });
    }
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache', 'Content-Length': String(bytes.length) });
    return void res.end(req.method === 'HEAD' ? undefined : bytes);
  }
  const file = c.page.get(path);
  if (!file) return json(res, 404, { error: 'not found' });
  const headers: Record<string, string> = { ...COMMON_HEADERS, 'Content-Type': file.type, 'Cache-Control': 'no-cache', 'Content-Length': String(file.body.length) };
  if (file.type.startsWith('text/html')) headers['Content-Security-Policy'] = c.csp;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

/** Image types the serve table lacks (faces may be JPEG, WebP…). */
function imageType(path: string): string | undefined {
  return ({ '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.bmp': 'image/bmp', '.tif': 'image/tiff', '.tiff': 'image/tiff' } as Record<string, string>)[extname(path).toLowerCase()];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_BODY) {
        reject(new Error(`body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
