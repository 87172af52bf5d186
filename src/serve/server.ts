/**
 * `semifer serve`'s HTTP server: plain node:http, GET/HEAD only, every URL from
 * the whitelist built by routes.ts. It serves files and never runs a model
 * itself; the browser does the detection and the classification.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, fstatSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { readExportedTfjsModel, type ExportedTfjsModel } from './modelFolder.js';
import { buildRoutes, URLS, type Route } from './routes.js';
import { COMMON_HEADERS, contentSecurityPolicy, hostNameOf, isLoopbackHost } from './securityHeaders.js';
import { errorOfKind } from '../errorKind.js';

export interface ServeOptions {
  /** The exported TF.js model folder (or its model.json). */
  model: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** One line per request (for --verbose). */
  log?: (line: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  host: string;
  port: number;
  model: ExportedTfjsModel;
  close(): Promise<void>;
}

export async function startServeServer(o: ServeOptions): Promise<RunningServer> {
  const model = readExportedTfjsModel(o.model);
  const host = o.host ?? '127.0.0.1';
  const routes = buildRoutes({
    model,
    config: {
      metadata: model.metadata,
      modelUrl: `${URLS.model}model.json`,
      faceModelsUrl: URLS.faceModels,
      wasmUrl: URLS.wasm,
    },
  });
  const loopbackOnly = isLoopbackHost(host);
  const server = createServer((req, res) => handle(req, res, routes, loopbackOnly, o.log));
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void => reject(listenError(err, host, o.port ?? 8080));
    server.once('error', fail);
    server.listen(o.port ?? 8080, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server, host, port, model,
    url: `http://${shownHost}:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A failure the user fixes with another --port or --host (one line, no stack). */
export class ServeError extends errorOfKind('failure') {}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new ServeError(`port ${port} on ${host} is already in use; pick another with --port (0: any free port)`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new ServeError(`cannot listen on ${host}: not an address of this machine`);
  if (err.code === 'EACCES') return new ServeError(`port ${port} needs privileges; use --port 1024 or above`);
  return err;
}

/** A declared body (Content-Length > 0) or a chunked one. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
}

function handle(req: IncomingMessage, res: ServerResponse, routes: Map<string, Route>, loopbackOnly: boolean, log?: (line: string) => void): void {
  const path = (req.url ?? '').split('?')[0];
  const send = (status: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
  };
  res.on('finish', () => log?.(`${req.method} ${req.url} ${res.statusCode}`));

  if (loopbackOnly && !isLoopbackHost(hostNameOf(req.headers.host))) return send(403, 'forbidden: this server answers only to localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed', { Allow: 'GET, HEAD' });
  if (hasBody(req)) {
    // Node would read (and drop) a body left unread to keep the connection: refuse it and close instead.
    res.once('finish', () => req.socket.destroy());
    return send(413, 'request body not accepted: this server answers only GET and HEAD without a body', { Connection: 'close' });
  }
  const route = routes.get(path);
  if (!route) return send(404, 'not found');

  const headers: Record<string, string> = {
    ...COMMON_HEADERS,
    'Content-Type': route.type,
    'Cache-Control': route.immutable ? 'public, max-age=86400' : 'no-cache',
  };
  if (route.body) return void res.writeHead(200, { ...headers, 'Content-Length': String(route.body.length) }).end(req.method === 'HEAD' ? undefined : route.body);

  const file = route.file!;
  if (route.type.startsWith('text/html')) {
    // Pages are small: read them whole to hash their inline import map into the policy.
    let html: string;
    try {
      html = readFileSync(file, 'utf8');
    } catch {
      return send(404, 'not found');
    }
    const body = Buffer.from(html);
    res.writeHead(200, { ...headers, 'Content-Security-Policy': contentSecurityPolicy(html), 'Content-Length': String(body.length) });
    return void res.end(req.method === 'HEAD' ? undefined : body);
  }
  const stream = createReadStream(file);
  stream.once('open', (fd) => {
    res.writeHead(200, { ...headers, 'Content-Length': String(fstatSync(fd).size) });
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
    } else stream.pipe(res);
  });
  stream.once('error', () => (res.headersSent ? res.destroy() : send(404, 'not found')));
}
