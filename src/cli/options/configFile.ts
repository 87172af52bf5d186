/**
 * Reads a config file (YAML, or JSON, by extension) into key/value entries with
 * the line of each key and value, so validation can say `exp.yaml:12: …`.
 * JSON is checked with JSON.parse (strict syntax) and then located through the
 * YAML parser, which reads JSON as the subset of YAML it is.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { Node } from 'yaml';
import { UsageError } from '../errors.js';

/**
 * The yaml package is loaded on the first config file, not at startup: it
 * costs more than the rest of the CLI together (~0.15 s here), and --help or a
 * run without --config never needs it. Its CommonJS build loads synchronously,
 * which keeps resolveOptions synchronous.
 */
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

export interface ConfigEntry {
  /** The key as written. */
  key: string;
  /** Plain JS value (scalars, arrays, objects). */
  value: unknown;
  /** 1-based line of the key. */
  line?: number;
  /** 1-based line of the value (differs for block lists). */
  valueLine?: number;
  /** For list values: the line of each item. */
  itemLines?: (number | undefined)[];
  /** The line of a value nested inside this one, by keys and list indices (`['adacm', 'lr']`). */
  lineAt?: (path: readonly (string | number)[]) => number | undefined;
}

export interface ConfigFile {
  file: string;
  entries: ConfigEntry[];
}

export const CONFIG_EXTENSIONS = ['.yaml', '.yml', '.json'];

export function readConfigFile(file: string): ConfigFile {
  const ext = extname(file).toLowerCase();
  if (!CONFIG_EXTENSIONS.includes(ext)) {
    throw new UsageError(`--config: ${file}: expected a .yaml, .yml or .json file, got '${ext || 'no extension'}'`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(`--config: cannot read ${file}${code === 'ENOENT' ? ': no such file' : `: ${(err as Error).message}`}`);
  }
  if (ext === '.json') checkJsonSyntax(file, text);
  return { file, entries: yamlEntries(file, text) };
}

function checkJsonSyntax(file: string, text: string): void {
  try {
    JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const where = pos ? `${file}:${lineOfOffset(text, Number(pos[1]))}` : file;
    throw new UsageError(`${where}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function yamlEntries(file: string, text: string): ConfigEntry[] {
  const { LineCounter, parseDocument, isMap, isScalar, isSeq } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new UsageError(doc.errors.map((e) => `${file}:${lineCounter.linePos(e.pos[0]).line}: invalid YAML: ${e.message.split('\n')[0]}`));
  }
  const root = doc.contents;
  // An empty file is an empty config, not an error.
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isMap(root)) {
    const line = root.range ? `:${lineCounter.linePos(root.range[0]).line}` : '';
    throw new UsageError(`${file}${line}: expected a mapping of option names to values at the top level`);
  }
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  // Walks mappings by key and lists by index; the line of the deepest node found.
  const lineAt = (start: unknown, path: readonly (string | number)[]): number | undefined => {
    let node: unknown = start;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
        if (!pair) break;
        node = pair.value ?? pair.key;
        if (pair.value === null) return lineOf(pair.key);
      } else if (isSeq(node) && typeof step === 'number' && step < node.items.length) node = node.items[step];
      else break;
    }
    return lineOf(node);
  };
  return root.items.map((pair) => {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const valueNode = pair.value as Node | null;
    const value = valueNode === null ? null : valueNode.toJSON();
    const items = (valueNode as { items?: unknown[] } | null)?.items;
    return {
      key,
      value,
      line: lineOf(keyNode),
      valueLine: lineOf(valueNode) ?? lineOf(keyNode),
      itemLines: Array.isArray(value) && Array.isArray(items) ? items.map(lineOf) : undefined,
      lineAt: (path: readonly (string | number)[]) => lineAt(valueNode, path),
    };
  });
}
