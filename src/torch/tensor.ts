/**
 * The Tensor: a JS object over one native LibTorch tensor handle, with
 * PyTorch's method names in camelCase. Every method returns a new Tensor owned
 * by the innermost tidy() scope; methods ending in `_` work in place and return
 * `this`, as in PyTorch.
 */
import { native, threadGenerator, type Handle } from './native.js';
import { track } from './scope.js';
import { type DType, type TypedArray, dtypeCode, dtypeFromCode, viewAs } from './dtype.js';

export type Scalar = number | boolean;
export type TensorLike = Tensor | number;
/** A result with values and their indices (max/min along a dim, topk, sort). */
export interface ValuesIndices { values: Tensor; indices: Tensor }

const N = () => native();

/** Wraps a native handle (or null, for an absent gradient). */
export function wrapHandle(h: Handle): Tensor;
export function wrapHandle(h: Handle | null): Tensor | null;
export function wrapHandle(h: Handle | null): Tensor | null {
  return h === null ? null : new Tensor(h);
}

function w(h: Handle): Tensor {
  return new Tensor(h);
}

function pair(hs: [Handle, Handle]): ValuesIndices {
  return { values: new Tensor(hs[0]), indices: new Tensor(hs[1]) };
}

function dims(d: number | number[]): number[] {
  return typeof d === 'number' ? [d] : d;
}

export class Tensor {
  /** Marks tensors for scope collection without an import cycle. */
  readonly __isTensor = true;
  #h: Handle | null;
  #kept = false;

  /** @internal Use the factories (`tensor`, `zeros`, …); this wraps an existing native handle. */
  constructor(handle: Handle) {
    this.#h = handle;
    track(this);
  }

  /** @internal The native handle; throws a clear error if the tensor was disposed. */
  get handle(): Handle {
    if (this.#h === null) {
      throw new Error('Tensor is disposed: it was freed by dispose() or at the end of the tidy() scope that created it; keep() it or return it from the scope to use it later');
    }
    return this.#h;
  }

  get isDisposed(): boolean {
    return this.#h === null;
  }

  get isKept(): boolean {
    return this.#kept;
  }

  /** @internal see keep() */
  markKept(): void {
    this.#kept = true;
  }

  /**
   * @internal Makes this object stand for `source`'s native tensor, freeing its
   * own; `source` is left disposed. Module.to() uses it to move parameters
   * while JS references (module fields, optimisers) stay valid, on devices whose
   * tensors cannot take another's storage (LibTorch's set_data refuses a lazy
   * tensor for a CPU one).
   */
  adopt_(source: Tensor): this {
    const h = source.handle;
    if (h === this.#h) return this;
    source.#h = null;
    if (this.#h !== null) N().dispose(this.#h);
    this.#h = h;
    return this;
  }

  /** Frees the native memory now. Safe to call twice. */
  dispose(): void {
    if (this.#h !== null) {
      N().dispose(this.#h);
      this.#h = null;
    }
  }

  // ---- metadata ------------------------------------------------------------
  get shape(): number[] {
    return N().shape(this.handle);
  }
  get dtype(): DType {
    return dtypeFromCode(N().info(this.handle).dtype);
  }
  get device(): string {
    return N().info(this.handle).device;
  }
  get ndim(): number {
    return this.shape.length;
  }
  dim(): number {
    return this.shape.length;
  }
  size(d?: number): number | number[] {
    const s = this.shape;
    if (d === undefined) return s;
    return s[d < 0 ? s.length + d : d];
  }
  get numel(): number {
    return N().numel(this.handle);
  }
  get requiresGrad(): boolean {
    return N().requiresGrad(this.handle);
  }
  get isLeaf(): boolean {
    return N().isLeaf(this.handle);
  }
  /** The accumulated gradient, or null. A new handle each call (owned by the current scope). */
  get grad(): Tensor | null {
    return wrapHandle(N().grad(this.handle));
  }
  set grad(g: Tensor | null) {
    N().setGrad(this.handle, g ? g.handle : null);
  }

  // ---- data out ---------------------------------------------------------------
  /** The elements as a typed array of the tensor's dtype (int64 → BigInt64Array, bool → Uint8Array, halves → Float32Array). */
  data(): TypedArray {
    const d = this.dtype;
    if (d === 'float16' || d === 'bfloat16') {
      const h = N().toDtype(this.handle, dtypeCode('float32'));
      try {
        return new Float32Array(N().toBuffer(h));
      } finally {
        N().dispose(h);
      }
    }
    return viewAs(N().toBuffer(this.handle), d);
  }
  /** The elements, flattened, as JS numbers. */
  toArray(): number[] {
    const a = this.data();
    if (a instanceof BigInt64Array) return Array.from(a, (v) => Number(v));
    return Array.from(a as ArrayLike<number>);
  }
  /** The single value of a one-element tensor. */
  item(): number {
    const v = N().item(this.handle);
    return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  toString(): string {
    if (this.#h === null) return 'Tensor(disposed)';
    const shape = this.shape;
    const n = shape.reduce((a, b) => a * b, 1);
    const preview = n <= 16 ? ` ${JSON.stringify(this.toArray().map((v) => (Number.isInteger(v) ? v : Number(v.toPrecision(5)))))}` : '';
    return `Tensor(${this.dtype}[${shape.join(',')}]${this.device === 'cpu' ? '' : '@' + this.device}${preview})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- conversion ------------------------------------------------------------------
  /** `to('float64')`, `to('cuda:0')`, or `to({ dtype, device, nonBlocking })`. */
  to(target: DType | string | { dtype?: DType; device?: string; nonBlocking?: boolean }): Tensor {
    if (typeof target === 'string') {
      return target in DTYPE_NAMES ? w(N().toDtype(this.handle, dtypeCode(target as DType))) : w(N().toDevice(this.handle, target, false));
    }
    let h = this.handle;
    let out: Tensor | undefined;
    if (target.device !== undefined) {
      out = w(N().toDevice(h, target.device, target.nonBlocking ?? false));
      h = out.handle;
    }
    if (target.dtype !== undefined) {
      const next = w(N().toDtype(h, dtypeCode(target.dtype)));
      out?.dispose();
      out = next;
    }
    return out ?? this.clone();
  }
  cpu(): Tensor { return this.to('cpu'); }
  cuda(index = 0): Tensor { return this.to(`cuda:${index}`); }
  float(): Tensor { return this.to('float32'); }
  double(): Tensor { return this.to('float64'); }
  half(): Tensor { return this.to('float16'); }
  long(): Tensor { return this.to('int64'); }
  int(): Tensor { return this.to('int32'); }
  bool(): Tensor { return this.to('bool'); }
  byte(): Tensor { return this.to('uint8'); }
  contiguous(): Tensor { return w(N().contiguous(this.handle)); }
  /** NHWC memory layout (faster convolutions on GPUs). */
  channelsLast(): Tensor { return w(N().channelsLast(this.handle)); }
  isContiguous(): boolean { return N().isContiguous(this.handle); }
  clone(): Tensor { return w(N().clone(this.handle)); }
  detach(): Tensor { return w(N().detach(this.handle)); }

  // ---- autograd ----------------------------------------------------------------------
  requiresGrad_(flag = true): this {
    N().setRequiresGrad(this.handle, flag);
    return this;
  }
  backward(gradient?: Tensor, opts: { retainGraph?: boolean } = {}): void {
    N().backward(this.handle, gradient ? gradient.handle : null, opts.retainGraph ?? false);
  }

  // ---- arithmetic (broadcasting) ---------------------------------------------------------
  add(o: TensorLike, alpha?: number): Tensor {
    return typeof o === 'number' ? w(N().addScalar(this.handle, alpha === undefined ? o : o * alpha)) : w(N().add(this.handle, o.handle, alpha ?? null));
  }
  sub(o: TensorLike, alpha?: number): Tensor {
    return typeof o === 'number' ? w(N().subScalar(this.handle, alpha === undefined ? o : o * alpha)) : w(N().sub(this.handle, o.handle, alpha ?? null));
  }
  /** `s - this` */
  rsub(s: number): Tensor { return w(N().rsubScalar(this.handle, s)); }
  mul(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().mulScalar(this.handle, o)) : w(N().mul(this.handle, o.handle)); }
  div(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().divScalar(this.handle, o)) : w(N().div(this.handle, o.handle)); }
  /** `s / this` */
  rdiv(s: number): Tensor { return w(N().rdivScalar(this.handle, s)); }
  remainder(s: number): Tensor { return w(N().remainderScalar(this.handle, s)); }
  floorDivide(o: Tensor): Tensor { return w(N().floorDivide(this.handle, o.handle)); }
  neg(): Tensor { return w(N().neg(this.handle)); }
  abs(): Tensor { return w(N().abs(this.handle)); }
  sign(): Tensor { return w(N().sign(this.handle)); }
  exp(): Tensor { return w(N().exp(this.handle)); }
  log(): Tensor { return w(N().log(this.handle)); }
  log1p(): Tensor { return w(N().log1p(this.handle)); }
  sqrt(): Tensor { return w(N().sqrt(this.handle)); }
  rsqrt(): Tensor { return w(N().rsqrt(this.handle)); }
  reciprocal(): Tensor { return w(N().reciprocal(this.handle)); }
  square(): Tensor { return w(N().square(this.handle)); }
  pow(e: TensorLike): Tensor { return typeof e === 'number' ? w(N().pow(this.handle, e)) : w(N().powTensor(this.handle, e.handle)); }
  sigmoid(): Tensor { return w(N().sigmoid(this.handle)); }
  tanh(): Tensor { return w(N().tanh(this.handle)); }
  relu(): Tensor { return w(N().relu(this.handle)); }
  floor(): Tensor { return w(N().floor(this.handle)); }
  ceil(): Tensor { return w(N().ceil(this.handle)); }
  round(): Tensor { return w(N().round(this.handle)); }
  trunc(): Tensor { return w(N().trunc(this.handle)); }
  /** Clamp to [min, max]; either bound may be null, or a tensor (broadcast). */
  clamp(min: TensorLike | null, max: TensorLike | null = null): Tensor {
    if ((min !== null && typeof min !== 'number') || (max !== null && typeof max !== 'number')) {
      const lo = min === null ? null : typeof min === 'number' ? null : min.handle;
      const hi = max === null ? null : typeof max === 'number' ? null : max.handle;
      if ((typeof min === 'number') || (typeof max === 'number')) {
        throw new TypeError('clamp: give both bounds as numbers or both as tensors');
      }
      return w(N().clampTensor(this.handle, lo, hi));
    }
    return w(N().clamp(this.handle, min, max));
  }
  clampMin(min: number): Tensor { return w(N().clamp(this.handle, min, null)); }
  clampMax(max: number): Tensor { return w(N().clamp(this.handle, null, max)); }
  minimum(o: Tensor): Tensor { return w(N().minimum(this.handle, o.handle)); }
  maximum(o: Tensor): Tensor { return w(N().maximum(this.handle, o.handle)); }
  lerp(end: Tensor, weight: number): Tensor { return w(N().lerp(this.handle, end.handle, weight)); }
  matmul(o: Tensor): Tensor { return w(N().matmul(this.handle, o.handle)); }
  /** Transpose of a 2-D tensor. */
  t(): Tensor { return this.transpose(0, 1); }

  // ---- in place ---------------------------------------------------------------------
  add_(o: TensorLike, alpha?: number): this {
    if (typeof o === 'number') N().addScalar_(this.handle, alpha === undefined ? o : o * alpha);
    else N().add_(this.handle, o.handle, alpha ?? null);
    return this;
  }
  mul_(o: TensorLike): this {
    if (typeof o === 'number') N().mulScalar_(this.handle, o);
    else N().mul_(this.handle, o.handle);
    return this;
  }
  copy_(src: Tensor): this { N().copy_(this.handle, src.handle); return this; }
  zero_(): this { N().zero_(this.handle); return this; }
  fill_(v: Scalar): this { N().fill_(this.handle, v); return this; }
  uniform_(low = 0, high = 1): this { N().uniform_(this.handle, low, high, threadGenerator()); return this; }
  normal_(mean = 0, std = 1): this { N().normal_(this.handle, mean, std, threadGenerator()); return this; }
  clamp_(min: number | null, max: number | null = null): this { N().clamp_(this.handle, min, max); return this; }
  lerp_(end: Tensor, weight: number): this { N().lerp_(this.handle, end.handle, weight); return this; }
  maskedFill_(mask: Tensor, v: Scalar): this { N().maskedFill_(this.handle, mask.handle, v); return this; }
  /** `this[indices] = values` with tensor indices per leading dim (null = all). */
  indexPut_(indices: (Tensor | null)[], values: Tensor, accumulate = false): this {
    N().indexPut_(this.handle, indices.map((t) => (t ? t.handle : null)), values.handle, accumulate);
    return this;
  }

  // ---- reductions ----------------------------------------------------------------------
  sum(dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? w(N().sumAll(this.handle)) : w(N().sum(this.handle, dims(dim), keepdim));
  }
  mean(dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? w(N().meanAll(this.handle)) : w(N().mean(this.handle, dims(dim), keepdim));
  }
  /** Largest element, or with `dim` the values and indices along it. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? w(N().maxAll(this.handle)) : pair(N().maxDim(this.handle, dim, keepdim));
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? w(N().minAll(this.handle)) : pair(N().minDim(this.handle, dim, keepdim));
  }
  argmax(dim?: number, keepdim = false): Tensor { return w(N().argmax(this.handle, dim ?? null, keepdim)); }
  argmin(dim?: number, keepdim = false): Tensor { return w(N().argmin(this.handle, dim ?? null, keepdim)); }
  topk(k: number, opts: { dim?: number; largest?: boolean; sorted?: boolean } = {}): ValuesIndices {
    return pair(N().topk(this.handle, k, opts.dim ?? -1, opts.largest ?? true, opts.sorted ?? true));
  }
  sort(dim = -1, descending = false): ValuesIndices { return pair(N().sort(this.handle, dim, descending)); }
  argsort(dim = -1, descending = false): Tensor { return w(N().argsort(this.handle, dim, descending)); }
  std(dim?: number | number[], opts: { unbiased?: boolean; keepdim?: boolean } = {}): Tensor {
    const u = opts.unbiased ?? true;
    return dim === undefined ? w(N().stdAll(this.handle, u)) : w(N().std(this.handle, dims(dim), u, opts.keepdim ?? false));
  }
  var(dim?: number | number[], opts: { unbiased?: boolean; keepdim?: boolean } = {}): Tensor {
    const u = opts.unbiased ?? true;
    return dim === undefined ? w(N().varAll(this.handle, u)) : w(N().var(this.handle, dims(dim), u, opts.keepdim ?? false));
  }
  logsumexp(dim: number | number[], keepdim = false): Tensor { return w(N().logsumexp(this.handle, dims(dim), keepdim)); }
  norm(p = 2, dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? w(N().normAll(this.handle, p)) : w(N().norm(this.handle, p, dims(dim), keepdim));
  }
  cumsum(dim: number): Tensor { return w(N().cumsum(this.handle, dim)); }
  prod(dim: number, keepdim = false): Tensor { return w(N().prod(this.handle, dim, keepdim)); }
  any(): Tensor { return w(N().any(this.handle)); }
  all(): Tensor { return w(N().all(this.handle)); }
  softmax(dim: number): Tensor { return w(N().softmax(this.handle, dim)); }
  logSoftmax(dim: number): Tensor { return w(N().logSoftmax(this.handle, dim)); }

  // ---- comparisons and masks ---------------------------------------------------------------
  eq(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().eqScalar(this.handle, o)) : w(N().eq(this.handle, o.handle)); }
  ne(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().neScalar(this.handle, o)) : w(N().ne(this.handle, o.handle)); }
  lt(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().ltScalar(this.handle, o)) : w(N().lt(this.handle, o.handle)); }
  le(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().leScalar(this.handle, o)) : w(N().le(this.handle, o.handle)); }
  gt(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().gtScalar(this.handle, o)) : w(N().gt(this.handle, o.handle)); }
  ge(o: TensorLike): Tensor { return typeof o === 'number' ? w(N().geScalar(this.handle, o)) : w(N().ge(this.handle, o.handle)); }
  logicalAnd(o: Tensor): Tensor { return w(N().logicalAnd(this.handle, o.handle)); }
  logicalOr(o: Tensor): Tensor { return w(N().logicalOr(this.handle, o.handle)); }
  logicalNot(): Tensor { return w(N().logicalNot(this.handle)); }
  isnan(): Tensor { return w(N().isnan(this.handle)); }
  isfinite(): Tensor { return w(N().isfinite(this.handle)); }
  /** True when no element is NaN or ±Inf (one native call, no tensor left behind). */
  allFinite(): boolean { return N().allFinite(this.handle); }
  maskedFill(mask: Tensor, v: Scalar): Tensor { return w(N().maskedFill(this.handle, mask.handle, v)); }
  maskedSelect(mask: Tensor): Tensor { return w(N().maskedSelect(this.handle, mask.handle)); }
  nonzero(): Tensor { return w(N().nonzero(this.handle)); }

  // ---- indexing and shape -------------------------------------------------------------------
  gather(dim: number, index: Tensor): Tensor { return w(N().gather(this.handle, dim, index.handle)); }
  scatter(dim: number, index: Tensor, src: Tensor): Tensor { return w(N().scatter(this.handle, dim, index.handle, src.handle)); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return w(N().scatterAdd(this.handle, dim, index.handle, src.handle)); }
  indexSelect(dim: number, index: Tensor): Tensor { return w(N().indexSelect(this.handle, dim, index.handle)); }
  /** Advanced indexing `this[i0, i1, …]` with tensor indices per leading dim (null = all). */
  index(indices: (Tensor | null)[]): Tensor { return w(N().index(this.handle, indices.map((t) => (t ? t.handle : null)))); }
  narrow(dim: number, start: number, length: number): Tensor { return w(N().narrow(this.handle, dim, start, length)); }
  select(dim: number, i: number): Tensor { return w(N().select(this.handle, dim, i)); }
  /** `this[..., start:end:step, ...]` along `dim`; null bounds mean the ends. */
  slice(dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
    return w(N().slice(this.handle, dim, start, end, step));
  }
  reshape(...shape: number[] | [number[]]): Tensor { return w(N().reshape(this.handle, flatShape(shape))); }
  view(...shape: number[] | [number[]]): Tensor { return w(N().view(this.handle, flatShape(shape))); }
  permute(...order: number[] | [number[]]): Tensor { return w(N().permute(this.handle, flatShape(order))); }
  transpose(d0: number, d1: number): Tensor { return w(N().transpose(this.handle, d0, d1)); }
  flatten(startDim = 0, endDim = -1): Tensor { return w(N().flatten(this.handle, startDim, endDim)); }
  squeeze(dim?: number): Tensor { return dim === undefined ? w(N().squeezeAll(this.handle)) : w(N().squeeze(this.handle, dim)); }
  unsqueeze(dim: number): Tensor { return w(N().unsqueeze(this.handle, dim)); }
  expand(...shape: number[] | [number[]]): Tensor { return w(N().expand(this.handle, flatShape(shape))); }
  repeat(...reps: number[] | [number[]]): Tensor { return w(N().repeat(this.handle, flatShape(reps))); }
  flip(d: number | number[]): Tensor { return w(N().flip(this.handle, dims(d))); }
  roll(shifts: number | number[], d: number | number[]): Tensor { return w(N().roll(this.handle, dims(shifts), dims(d))); }
  tril(diagonal = 0): Tensor { return w(N().tril(this.handle, diagonal)); }
  split(size: number, dim = 0): Tensor[] { return (N().split(this.handle, size, dim) as Handle[]).map(w); }
  chunk(n: number, dim = 0): Tensor[] { return (N().chunk(this.handle, n, dim) as Handle[]).map(w); }
}

const DTYPE_NAMES: Record<string, true> = {
  uint8: true, int8: true, int16: true, int32: true, int64: true, float16: true, float32: true, float64: true, bool: true, bfloat16: true,
};

function flatShape(s: number[] | [number[]]): number[] {
  return Array.isArray(s[0]) ? (s[0] as number[]) : (s as number[]);
}
