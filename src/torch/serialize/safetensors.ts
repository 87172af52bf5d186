/**
 * safetensors: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {…}}, then
 * the raw little-endian bytes. Readable by Python's `safetensors`. Files are
 * written to a temporary name and renamed, so a crash never leaves half a file.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../files/writeFileAtomic.js';
import { Tensor } from '../tensor.js';
import { native, type Handle } from '../native.js';
import { type DType, dtypeCode, BYTES_PER_ELEMENT } from '../dtype.js';

const TO_ST: Record<DType, string> = {
  float64: 'F64', float32: 'F32', float16: 'F16', bfloat16: 'BF16', int64: 'I64', int32: 'I32', int16: 'I16', int8: 'I8', uint8: 'U8', bool: 'BOOL',
};
const FROM_ST: Record<string, DType> = Object.fromEntries(Object.entries(TO_ST).map(([k, v]) => [v, k as DType]));

export type TensorMap = Map<string, Tensor> | Record<string, Tensor>;

/** Serialises tensors (any device; copied to CPU) to safetensors bytes. */
export function serializeSafetensors(tensors: TensorMap, metadata: Record<string, string> = {}): Buffer {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new TypeError(`safetensors metadata '${k}' must be a string`);
    header.__metadata__ = metadata;
  }
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new Error("safetensors: '__metadata__' cannot be a tensor name");
    const bytes = Buffer.from(native().toBuffer(t.handle));
    header[name] = { dtype: TO_ST[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([head, Buffer.from(json, 'utf8'), ...chunks]);
}

export function saveSafetensors(tensors: TensorMap, path: string, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}

export interface LoadedSafetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Parses safetensors bytes; every structural problem names the file and the entry. */
export function parseSafetensors(buf: Buffer, file = '<buffer>'): LoadedSafetensors {
  if (buf.length < 8) throw new Error(`${file}: not a safetensors file (${buf.length} bytes, need an 8-byte header length)`);
  const n = Number(buf.readBigUInt64LE(0));
  if (n > buf.length - 8 || n > 100 * 1024 * 1024) throw new Error(`${file}: safetensors header length ${n} exceeds the file (${buf.length} bytes)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  } catch (e) {
    throw new Error(`${file}: safetensors header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const tensors = new Map<string, Tensor>();
  const metadata = (header.__metadata__ as Record<string, string>) ?? {};
  try {
    for (const [name, entry] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
      const dtype = FROM_ST[e.dtype];
      if (!dtype) throw new Error(`${file}: tensor '${name}' has unsupported dtype '${e.dtype}'`);
      if (!Array.isArray(e.shape) || !Array.isArray(e.data_offsets) || e.data_offsets.length !== 2) {
        throw new Error(`${file}: tensor '${name}' needs shape and data_offsets`);
      }
      const [b, end] = e.data_offsets;
      const numel = e.shape.reduce((a, d) => a * d, 1);
      if (end - b !== numel * BYTES_PER_ELEMENT[dtype] || b < 0 || dataStart + end > buf.length) {
        throw new Error(`${file}: tensor '${name}' (${e.dtype}[${e.shape.join(',')}]) has data_offsets [${b}, ${end}] that do not fit its size or the file`);
      }
      // Copy into an aligned buffer: the addon copies bytes into the new tensor.
      const bytes = new Uint8Array(end - b);
      bytes.set(buf.subarray(dataStart + b, dataStart + end));
      tensors.set(name, new Tensor(native().fromBuffer(bytes, e.shape, dtypeCode(dtype))));
    }
  } catch (err) {
    for (const t of tensors.values()) t.dispose();
    throw err;
  }
  return { tensors, metadata };
}

export function loadSafetensors(path: string): LoadedSafetensors {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseSafetensors(buf, path);
}

/** loadSafetensors whose failure becomes the caller's error class, its message naming the file. */
export function loadSafetensorsOr(path: string, toError: (message: string) => Error): LoadedSafetensors {
  try {
    return loadSafetensors(path);
  } catch (e) {
    const message = (e as Error).message;
    throw toError(message.includes(path) ? message : `${path}: ${message}`);
  }
}
