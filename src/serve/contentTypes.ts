/**
 * The Content-Type of each kind of file the serve page needs. Browsers refuse
 * `WebAssembly.instantiateStreaming` without `application/wasm` and refuse ES
 * modules served as anything but JavaScript, so these must be exact.
 */
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The type for a file name, or undefined for an extension the server never serves. */
export function contentTypeOf(file: string): string | undefined {
  return TYPES[extname(file).toLowerCase()];
}
