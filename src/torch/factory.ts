/** Creating tensors: from JS data, and PyTorch's factories (zeros, rand, arange, …). */
import { native, threadGenerator, type Handle } from './native.js';
import { Tensor } from './tensor.js';
import { type DType, type TypedArray, dtypeCode, dtypeOfArray } from './dtype.js';

export interface CreateOptions {
  dtype?: DType;
  device?: string;
  requiresGrad?: boolean;
}

const N = () => native();

function finish(h: Handle, opts: CreateOptions | undefined): Tensor {
  const t = new Tensor(h);
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

function shapeOfNested(data: unknown, where = 'data'): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  void where;
  return shape;
}

function flattenNested(data: unknown, shape: number[], depth: number, out: number[], path: string): void {
  if (depth === shape.length) {
    if (typeof data === 'boolean') out.push(data ? 1 : 0);
    else if (typeof data === 'number') out.push(data);
    else throw new TypeError(`tensor(): element ${path} is ${typeof data}, expected a number or boolean`);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new TypeError(`tensor(): ragged nested array at ${path}: expected length ${shape[depth]}`);
  }
  for (let i = 0; i < data.length; i++) flattenNested(data[i], shape, depth + 1, out, `${path}[${i}]`);
}

function firstLeaf(data: unknown): unknown {
  let cur = data;
  while (Array.isArray(cur) && cur.length) cur = cur[0];
  return cur;
}

/**
 * A tensor from a typed array (with `shape`, default 1-D) or nested JS arrays.
 * Like PyTorch: integers → int64, other numbers → float32, booleans → bool, unless `dtype` says.
 */
export function tensor(data: TypedArray | number | boolean | unknown[], opts: CreateOptions & { shape?: number[] } = {}): Tensor {
  let h: Handle;
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const own = dtypeOfArray(arr);
    const shape = opts.shape ?? [arr.length];
    h = N().fromBuffer(arr, shape, dtypeCode(own));
    if (opts.dtype && opts.dtype !== own) {
      const c = N().toDtype(h, dtypeCode(opts.dtype));
      N().dispose(h);
      h = c;
    }
  } else {
    const nested = typeof data === 'number' || typeof data === 'boolean' ? data : data;
    const shape = Array.isArray(nested) ? shapeOfNested(nested) : [];
    const flat: number[] = [];
    flattenNested(nested, shape, 0, flat, 'data');
    const leaf = Array.isArray(nested) ? firstLeaf(nested) : nested;
    const inferred: DType = typeof leaf === 'boolean' ? 'bool' : flat.every(Number.isInteger) && flat.length > 0 ? 'int64' : 'float32';
    const dtype = opts.dtype ?? inferred;
    // Go through float64 so integers up to 2^53 stay exact, then cast natively.
    const tmp = N().fromBuffer(Float64Array.from(flat), opts.shape ?? shape, dtypeCode('float64'));
    h = N().toDtype(tmp, dtypeCode(dtype));
    N().dispose(tmp);
  }
  if (opts.device && opts.device !== 'cpu') {
    const moved = N().toDevice(h, opts.device, false);
    N().dispose(h);
    h = moved;
  }
  return finish(h, opts);
}

const dt = (o?: CreateOptions) => dtypeCode(o?.dtype ?? 'float32');
const dev = (o?: CreateOptions) => o?.device ?? null;

export const empty = (shape: number[], o?: CreateOptions) => finish(N().empty(shape, dt(o), dev(o)), o);
export const zeros = (shape: number[], o?: CreateOptions) => finish(N().zeros(shape, dt(o), dev(o)), o);
export const ones = (shape: number[], o?: CreateOptions) => finish(N().ones(shape, dt(o), dev(o)), o);
export const full = (shape: number[], value: number | boolean, o?: CreateOptions) => finish(N().full(shape, value, dt(o), dev(o)), o);
/** Uniform on [0, 1) from the seeded default generator (see manualSeed). */
export const rand = (shape: number[], o?: CreateOptions) => finish(N().rand(shape, dt(o), dev(o), threadGenerator()), o);
/** Standard normal from the seeded default generator. */
export const randn = (shape: number[], o?: CreateOptions) => finish(N().randn(shape, dt(o), dev(o), threadGenerator()), o);
/** Integers in [low, high). */
export const randint = (low: number, high: number, shape: number[], o?: CreateOptions) =>
  finish(N().randint(low, high, shape, dtypeCode(o?.dtype ?? 'int64'), dev(o), threadGenerator()), o);
/** A random permutation of 0..n-1. */
export const randperm = (n: number, o?: CreateOptions) => finish(N().randperm(n, dtypeCode(o?.dtype ?? 'int64'), dev(o), threadGenerator()), o);
export const eye = (n: number, o?: CreateOptions) => finish(N().eye(n, dt(o), dev(o)), o);
export const scalarTensor = (v: number, o?: CreateOptions) => finish(N().scalarTensor(v, dt(o), dev(o)), o);
export const linspace = (start: number, end: number, steps: number, o?: CreateOptions) => finish(N().linspace(start, end, steps, dt(o), dev(o)), o);

/** `arange(end)` or `arange(start, end, step)`; int64 when all arguments are integers, as in PyTorch. */
export function arange(startOrEnd: number, end?: number, step = 1, o?: CreateOptions): Tensor {
  const [s, e] = end === undefined ? [0, startOrEnd] : [startOrEnd, end];
  const ints = Number.isInteger(s) && Number.isInteger(e) && Number.isInteger(step);
  return finish(N().arange(s, e, step, dtypeCode(o?.dtype ?? (ints ? 'int64' : 'float32')), dev(o)), o);
}

export const zerosLike = (t: Tensor) => new Tensor(N().zerosLike(t.handle));
export const onesLike = (t: Tensor) => new Tensor(N().onesLike(t.handle));
export const fullLike = (t: Tensor, v: number) => new Tensor(N().fullLike(t.handle, v));
export const randLike = (t: Tensor) => new Tensor(N().randLike(t.handle, threadGenerator()));
export const randnLike = (t: Tensor) => new Tensor(N().randnLike(t.handle, threadGenerator()));
export const emptyLike = (t: Tensor) => new Tensor(N().emptyLike(t.handle));

/** Joins tensors along an existing dim. */
export const cat = (ts: Tensor[], dim = 0) => new Tensor(N().cat(ts.map((t) => t.handle), dim));
/** Joins tensors along a new dim. */
export const stack = (ts: Tensor[], dim = 0) => new Tensor(N().stack(ts.map((t) => t.handle), dim));
/** Elementwise `cond ? a : b` (b may be a number). */
export function where(cond: Tensor, a: Tensor, b: Tensor | number): Tensor {
  if (typeof b === 'number') {
    const bt = new Tensor(N().fullLike(a.handle, b));
    try {
      return new Tensor(N().where(cond.handle, a.handle, bt.handle));
    } finally {
      bt.dispose();
    }
  }
  return new Tensor(N().where(cond.handle, a.handle, b.handle));
}
