/**
 * Reads a TensorFlow.js graph model from disk: `model.json` (a TF GraphDef as
 * JSON) and the weight shards its manifest lists, dequantised to float32 the
 * way tfjs-converter writes them:
 *   uint8 / uint16: value = q × scale + min  (affine quantisation, per tensor)
 *   float16:        IEEE half precision      (`original_dtype` float32)
 * Shards of one manifest group are one byte stream, cut into tensors in the
 * order the group lists them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TfjsAttr { [key: string]: unknown }
export interface TfjsNode { name: string; op: string; input?: string[]; attr?: Record<string, TfjsAttr> }
export interface TfjsWeight { shape: number[]; dtype: 'float32' | 'int32'; data: Float32Array | Int32Array }
export interface TfjsGraphModel {
  /** The model.json it came from (for messages). */
  source: string;
  nodes: TfjsNode[];
  weights: Map<string, TfjsWeight>;
}

interface Quantization { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number; original_dtype?: string }
interface WeightSpec { name: string; shape: number[]; dtype: string; quantization?: Quantization }
interface ManifestGroup { paths: string[]; weights: WeightSpec[] }

/** Bytes per stored element of a dtype as written in the shards. */
const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2, bool: 1 };

/** IEEE 754 half → float (subnormals, ±∞ and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function fail(source: string, what: string): never {
  throw new Error(`${source}: ${what}`);
}

/** Decodes one tensor's bytes (little-endian, as TF.js writes them). */
function decode(spec: WeightSpec, bytes: Buffer, source: string): TfjsWeight {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = spec.quantization;
  if (!q) {
    if (spec.dtype === 'float32') {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true);
      return { shape: spec.shape, dtype: 'float32', data };
    }
    if (spec.dtype === 'int32') {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt32(4 * i, true);
      return { shape: spec.shape, dtype: 'int32', data };
    }
    fail(source, `weight '${spec.name}' has dtype ${spec.dtype}; expected float32 or int32`);
  }
  const original = q.original_dtype ?? spec.dtype;
  if (original !== 'float32' && original !== 'int32') fail(source, `weight '${spec.name}': quantised ${original} is not supported (expected float32 or int32)`);
  const values = new Float64Array(n);
  if (q.dtype === 'float16') {
    for (let i = 0; i < n; i++) values[i] = halfToFloat(view.getUint16(2 * i, true));
  } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    if (typeof q.scale !== 'number' || typeof q.min !== 'number') fail(source, `weight '${spec.name}': ${q.dtype} quantisation without numeric 'scale' and 'min'`);
    for (let i = 0; i < n; i++) values[i] = (q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true)) * q.scale + q.min;
  } else {
    fail(source, `weight '${spec.name}': unknown quantisation dtype '${(q as Quantization).dtype}' (expected uint8, uint16 or float16)`);
  }
  if (original === 'int32') return { shape: spec.shape, dtype: 'int32', data: Int32Array.from(values, Math.round) };
  return { shape: spec.shape, dtype: 'float32', data: Float32Array.from(values) };
}

/** Reads `jsonPath` and the shards beside it. */
export function readTfjsGraphModel(jsonPath: string): TfjsGraphModel {
  let json: { format?: string; modelTopology?: { node?: TfjsNode[] }; weightsManifest?: ManifestGroup[] };
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    fail(jsonPath, `not a readable JSON file (${(e as Error).message})`);
  }
  const nodes = json.modelTopology?.node;
  if (!Array.isArray(nodes)) fail(jsonPath, "no 'modelTopology.node' list: not a TF.js graph model (layers models are not supported)");
  if (json.format !== undefined && json.format !== 'graph-model') fail(jsonPath, `format '${json.format}'; expected 'graph-model'`);
  const weights = readWeightGroups(json.weightsManifest ?? [], dirname(jsonPath), jsonPath);
  return { source: jsonPath, nodes, weights };
}

/**
 * The weights of a manifest's groups, by name: shards read from `dir`, each
 * group's shards one byte stream. `source` names the file in messages.
 */
export function readWeightGroups(groups: ManifestGroup[], dir: string, source: string): Map<string, TfjsWeight> {
  const weights = new Map<string, TfjsWeight>();
  for (const group of groups) {
    const bytes = Buffer.concat(group.paths.map((p) => {
      const file = join(dir, p);
      try {
        return readFileSync(file);
      } catch {
        return fail(source, `weight shard '${p}' is missing (looked for ${file})`);
      }
    }));
    let offset = 0;
    for (const spec of group.weights) {
      const stored = spec.quantization?.dtype ?? spec.dtype;
      const size = STORED_BYTES[stored];
      if (size === undefined) fail(source, `weight '${spec.name}' is stored as ${stored}; expected one of ${Object.keys(STORED_BYTES).join(', ')}`);
      const length = spec.shape.reduce((a, b) => a * b, 1) * size;
      if (offset + length > bytes.length) fail(source, `weight shards end at byte ${bytes.length}, but '${spec.name}' needs bytes ${offset}–${offset + length}`);
      weights.set(spec.name, decode(spec, bytes.subarray(offset, offset + length), source));
      offset += length;
    }
    if (offset !== bytes.length) fail(source, `weight shards hold ${bytes.length} bytes, the manifest describes ${offset}`);
  }
  return weights;
}

/**
 * A bare weights manifest (`*-weights_manifest.json`, as face-api ships its
 * nets: the manifest list without a graph) and the shards beside it.
 */
export function readTfjsWeightsManifest(manifestPath: string): Map<string, TfjsWeight> {
  let groups: unknown;
  try {
    groups = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    fail(manifestPath, `not a readable JSON file (${(e as Error).message})`);
  }
  if (!Array.isArray(groups) || !groups.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))) {
    fail(manifestPath, "expected a TF.js weights manifest: a list of groups, each with 'paths' and 'weights'");
  }
  return readWeightGroups(groups as ManifestGroup[], dirname(manifestPath), manifestPath);
}
