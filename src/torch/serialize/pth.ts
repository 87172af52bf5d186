/**
 * PyTorch checkpoints (`.pth`, `.pth.tar`, `.pt`) through LibTorch's own
 * unpickler. torch.save has written the zip format since PyTorch 1.6; the
 * older "legacy" tar/pickle stream is not readable by LibTorch and is reported
 * as such, with the one-line fix.
 */
import { readFileSync } from 'node:fs';
import { Tensor } from '../tensor.js';
import { native, type Handle } from '../native.js';

/** What a checkpoint holds: tensors, numbers, strings, lists, and dicts as Maps. */
export type PthValue = Tensor | number | string | boolean | null | PthValue[] | Map<PthValue, PthValue> | { unsupported: string };

function convert(v: unknown): PthValue {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(convert);
  if (typeof v === 'object') {
    const o = v as { $dict?: [unknown, unknown][]; $unsupported?: string };
    if (o.$dict) return new Map(o.$dict.map(([k, val]) => [convert(k), convert(val)]));
    if (o.$unsupported) return { unsupported: o.$unsupported };
  }
  return new Tensor(v as Handle);
}

/** Loads any torch.save'd object (zip format). */
export function loadPth(path: string): PthValue {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
    const legacy = buf.length >= 2 && buf[0] === 0x80; // a bare pickle stream starts with PROTO
    throw new Error(
      `${path}: not a PyTorch zip checkpoint` +
        (legacy
          ? ' (this is the legacy pre-1.6 torch.save format, which LibTorch cannot read; re-save it in Python with `torch.save(torch.load(path), path)`, or convert it to safetensors)'
          : ' (expected a file written by torch.save)'),
    );
  }
  try {
    return convert(native().pickleLoad(buf));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
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

/** Loads the model weights of a `.pth`/`.pth.tar`/`.pt` file (or `.safetensors`) as a state dict. */
export function loadStateDictFile(path: string): Map<string, Tensor> {
  return extractStateDict(loadPth(path), path);
}
