/**
 * PyTorch checkpoints: `.pth`, `.pth.tar`, `.pt` — both torch.save formats:
 *  - the zip archive (PyTorch ≥ 1.6): `<name>/data.pkl` plus one entry per storage;
 *  - the legacy stream (older releases, e.g. many published MS-Celeb-1M
 *    ResNet-18 weights): magic, protocol and sys-info pickles, the object
 *    pickle, the storage-key list, then each storage's raw bytes.
 * Tensors are rebuilt from their storages with their sizes, strides and offsets.
 */
import { readFileSync } from 'node:fs';
import { Tensor } from '../tensor.js';
import { native, type Handle } from '../native.js';
import { type DType, dtypeCode, BYTES_PER_ELEMENT } from '../dtype.js';
import { isZip, readZipDirectory, readZipEntry } from './zip.js';
import { unpickle, PickleGlobal, PickledObject } from './pickle.js';

/** What a checkpoint holds: tensors, numbers, strings, lists, dicts as Maps, other objects as PickledObject. */
export type PthValue = Tensor | number | string | boolean | null | Buffer | PthValue[] | Map<PthValue, PthValue> | PickledObject;

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16',
  LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8', ByteStorage: 'uint8', BoolStorage: 'bool',
};

/** A storage named in the pickle; its bytes come from the archive (zip) or the stream's tail (legacy). */
class StorageRef {
  bytes?: Buffer;
  tensor?: Tensor;
  constructor(readonly key: string, readonly dtype: DType, readonly numel: number) {}
}

/** A tensor to build once storages are loaded: a strided view of a storage. */
class TensorSpec {
  constructor(readonly storage: StorageRef, readonly offset: number, readonly size: number[], readonly stride: number[], readonly viewOffset = 0) {}
}

function storageDtype(t: unknown, file: string): DType {
  const name = t instanceof PickleGlobal ? t.name : String(t);
  const d = STORAGE_DTYPES[name];
  if (!d) throw new Error(`${file}: unsupported storage type ${name}`);
  return d;
}

function reduceTorch(fn: PickleGlobal, args: unknown[]): unknown {
  const q = `${fn.module}.${fn.name}`;
  if (q === 'torch._utils._rebuild_tensor_v2' || q === 'torch._utils._rebuild_tensor') {
    const [storage, offset, size, stride] = args as [StorageRef | { ref: StorageRef; viewOffset: number }, number, number[], number[]];
    if (storage instanceof StorageRef) return new TensorSpec(storage, offset, size, stride);
    return new TensorSpec(storage.ref, offset, size, stride, storage.viewOffset);
  }
  if (q === 'torch._utils._rebuild_parameter' || q === 'torch._utils._rebuild_parameter_with_state') return args[0];
  if (q === 'torch.device') return String(args[0]);
  if (q === 'torch.Size') return args[0];
  return undefined;
}

function buildTensor(spec: TensorSpec, file: string): Tensor {
  const s = spec.storage;
  if (!s.tensor) {
    if (!s.bytes) throw new Error(`${file}: storage ${s.key} has no data`);
    const need = s.numel * BYTES_PER_ELEMENT[s.dtype];
    if (s.bytes.length < need) throw new Error(`${file}: storage ${s.key} has ${s.bytes.length} bytes, expected ${need} (truncated file?)`);
    const copy = new Uint8Array(need);
    copy.set(s.bytes.subarray(0, need));
    s.tensor = new Tensor(native().fromBuffer(copy, [s.numel], dtypeCode(s.dtype)));
  }
  const view = new Tensor(native().asStrided(s.tensor.handle, spec.size, spec.stride, spec.offset + spec.viewOffset));
  const out = view.contiguous().clone();
  view.dispose();
  return out;
}

/** Replaces TensorSpecs with Tensors throughout a value. */
function resolve(v: unknown, file: string, seen = new Map<unknown, unknown>()): PthValue {
  if (v instanceof TensorSpec) {
    if (!seen.has(v)) seen.set(v, buildTensor(v, file));
    return seen.get(v) as Tensor;
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, file, seen));
  if (v instanceof Map) {
    const m = new Map<PthValue, PthValue>();
    for (const [k, x] of v) m.set(resolve(k, file, seen), resolve(x, file, seen));
    return m;
  }
  if (v instanceof PickledObject) {
    v.args = v.args.map((x) => resolve(x, file, seen));
    v.state = resolve(v.state, file, seen);
    return v;
  }
  if (v instanceof Set) return [...v].map((x) => resolve(x, file, seen));
  if (v === undefined) return null;
  return v as PthValue;
}

function loadZip(buf: Buffer, file: string): PthValue {
  const dir = readZipDirectory(buf, file);
  const pkl = [...dir.keys()].find((n) => n.endsWith('data.pkl') && n.split('/').length <= 2);
  if (!pkl) throw new Error(`${file}: zip archive has no data.pkl (not written by torch.save?)`);
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const order = dir.get(`${prefix}byteorder`);
  if (order && readZipEntry(buf, order, file).toString() !== 'little') throw new Error(`${file}: big-endian checkpoints are not supported`);
  const storages = new Map<string, StorageRef>();
  const { value } = unpickle(readZipEntry(buf, dir.get(pkl)!, file), {
    persistentLoad(pid) {
      const [kind, type, key, , numel] = pid as [string, unknown, string, string, number];
      if (kind !== 'storage') throw new Error(`${file}: unknown persistent id ${kind}`);
      let s = storages.get(key);
      if (!s) {
        const dtype = storageDtype(type, file);
        const entry = dir.get(`${prefix}data/${key}`);
        if (!entry) throw new Error(`${file}: storage ${key} is missing from the archive`);
        s = new StorageRef(key, dtype, numel);
        s.bytes = readZipEntry(buf, entry, file);
        storages.set(key, s);
      }
      return s;
    },
    reduce: reduceTorch,
  }, file);
  try {
    return resolve(value, file);
  } finally {
    for (const s of storages.values()) s.tensor?.dispose();
  }
}

function loadLegacy(buf: Buffer, file: string): PthValue {
  const noHooks = { persistentLoad: () => { throw new Error(`${file}: unexpected persistent id in header`); } };
  let pos = 0;
  const next = (hooks = noHooks as Parameters<typeof unpickle>[1]) => {
    const r = unpickle(buf.subarray(pos), hooks, file);
    pos += r.end;
    return r.value;
  };
  const magic = next();
  if (magic !== 0x1950a86a20f9469cfc6c && typeof magic !== 'number') throw new Error(`${file}: not a PyTorch checkpoint (bad magic number)`);
  next(); // protocol version
  next(); // sys info (byte order, type sizes)
  const storages = new Map<string, StorageRef>();
  const value = next({
    persistentLoad(pid) {
      const [kind, type, key, , numel, view] = pid as [string, unknown, string, string, number, [string, number, number] | null];
      if (kind !== 'storage') throw new Error(`${file}: unknown persistent id ${kind}`);
      let s = storages.get(key);
      if (!s) {
        s = new StorageRef(key, storageDtype(type, file), numel);
        storages.set(key, s);
      }
      if (view) return { ref: s, viewOffset: view[1] };
      return s;
    },
    reduce: reduceTorch,
  });
  const keys = next() as string[];
  for (const key of keys) {
    if (pos + 8 > buf.length) throw new Error(`${file}: truncated before storage ${key}`);
    const numel = Number(buf.readBigInt64LE(pos));
    pos += 8;
    const s = storages.get(key);
    const size = numel * (s ? BYTES_PER_ELEMENT[s.dtype] : 1);
    if (pos + size > buf.length) throw new Error(`${file}: storage ${key} runs past the end of the file (truncated download?)`);
    if (s) s.bytes = buf.subarray(pos, pos + size);
    pos += size;
  }
  try {
    return resolve(value, file);
  } finally {
    for (const s of storages.values()) s.tensor?.dispose();
  }
}

/** Loads any torch.save'd object, zip or legacy format. */
export function loadPth(path: string): PthValue {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (isZip(buf)) return loadZip(buf, path);
  if (buf.length > 2 && buf[0] === 0x80) return loadLegacy(buf, path);
  if (buf.length > 262 && buf.toString('latin1', 257, 262) === 'ustar') {
    throw new Error(`${path}: this is the tar-based format of PyTorch ≤ 0.3, which semifer does not read; re-save it with a current PyTorch (torch.save(torch.load(path), path))`);
  }
  throw new Error(`${path}: not a PyTorch checkpoint (expected a zip archive or a pickle stream written by torch.save)`);
}

const NESTED_KEYS = ['state_dict', 'model_state_dict', 'model', 'net', 'params'];

/**
 * The model state dict inside a checkpoint: follows `{"state_dict": …}`-style
 * nesting, drops non-tensor entries, and strips DataParallel's `module.` prefix.
 */
export function extractStateDict(value: PthValue, source = 'checkpoint'): Map<string, Tensor> {
  let cur = value;
  for (let depth = 0; depth < 4; depth++) {
    if (!(cur instanceof Map)) break;
    const tensorsHere = [...cur.values()].filter((v) => v instanceof Tensor).length;
    const nestedKey = NESTED_KEYS.find((k) => cur instanceof Map && cur.get(k) instanceof Map);
    if (tensorsHere === 0 && nestedKey) cur = (cur as Map<PthValue, PthValue>).get(nestedKey)!;
    else break;
  }
  if (!(cur instanceof Map)) throw new Error(`${source}: no state dict found (expected a dict of tensors, or one under 'state_dict')`);
  const out = new Map<string, Tensor>();
  const keys = [...cur.keys()].filter((k): k is string => typeof k === 'string');
  const allPrefixed = keys.length > 0 && keys.every((k) => k.startsWith('module.'));
  for (const [k, v] of cur) {
    if (typeof k !== 'string' || !(v instanceof Tensor)) continue;
    out.set(allPrefixed ? k.slice('module.'.length) : k, v);
  }
  if (out.size === 0) throw new Error(`${source}: the state dict holds no tensors`);
  return out;
}

/** The model weights of a `.pth`/`.pth.tar`/`.pt` or `.safetensors` file, as a state dict. */
export async function loadWeightsFile(path: string): Promise<Map<string, Tensor>> {
  if (path.endsWith('.safetensors')) {
    const { loadSafetensors } = await import('./safetensors.js');
    return loadSafetensors(path).tensors;
  }
  return extractStateDict(loadPth(path), path);
}

export function loadStateDictFile(path: string): Map<string, Tensor> {
  return extractStateDict(loadPth(path), path);
}
