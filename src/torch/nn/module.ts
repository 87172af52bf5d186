/**
 * The Module base, after PyTorch's nn.Module: parameters, buffers and children
 * registered by name, so dotted names match torchvision's (`layer1.0.conv1.weight`)
 * and published state dicts load unchanged.
 */
import { Tensor } from '../tensor.js';
import { keep } from '../scope.js';
import { noGrad } from '../autograd.js';
import { isFloating, type DType } from '../dtype.js';

export type StateDict = Map<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
  /** Keys present on both sides whose shapes differ. */
  mismatched: { key: string; expected: number[]; got: number[] }[];
}

export class StateDictError extends Error {
  constructor(readonly result: LoadStateDictResult, moduleName: string) {
    const parts: string[] = [];
    if (result.missingKeys.length) parts.push(`missing keys (${result.missingKeys.length}): ${result.missingKeys.join(', ')}`);
    if (result.unexpectedKeys.length) parts.push(`unexpected keys (${result.unexpectedKeys.length}): ${result.unexpectedKeys.join(', ')}`);
    if (result.mismatched.length) {
      parts.push(`shape mismatches (${result.mismatched.length}): ` + result.mismatched.map((m) => `${m.key} expected [${m.expected.join(',')}] got [${m.got.join(',')}]`).join('; '));
    }
    super(`loadStateDict(${moduleName}): ${parts.join('\n  ')}`);
    this.name = 'StateDictError';
  }
}

export abstract class Module {
  training = true;
  readonly #params = new Map<string, Tensor | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  /** Persistent buffers added after state dicts without them were written (registerBuffer's `since`). */
  readonly #addedLater = new Set<string>();
  readonly #children = new Map<string, Module>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  abstract forward(...args: any[]): any;

  /** Registers a trainable tensor under `name`; it outlives every scope and requires grad. */
  protected registerParameter(name: string, t: Tensor | null): Tensor {
    this.#checkName(name);
    if (t) {
      keep(t);
      if (!t.requiresGrad) t.requiresGrad_(true);
    }
    this.#params.set(name, t);
    return t as Tensor;
  }

  /**
   * Registers a non-trainable state tensor (running statistics); non-persistent
   * ones stay out of stateDict(). 'added later': a persistent buffer that state
   * dicts written before it existed lack; loading one of those keeps the
   * buffer's initial value, which must therefore be what the older module computed
   * (as PyTorch modules do with a _version and a load hook).
   */
  protected registerBuffer(name: string, t: Tensor | null, persistent: boolean | 'added later' = true): Tensor {
    this.#checkName(name);
    if (t) keep(t);
    this.#buffers.set(name, t);
    if (!persistent) this.#nonPersistent.add(name);
    if (persistent === 'added later') this.#addedLater.add(name);
    return t as Tensor;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    this.#checkName(name);
    this.#children.set(name, m);
    return m;
  }

  #checkName(name: string): void {
    if (!name || name.includes('.')) throw new Error(`invalid name '${name}': names must be non-empty and contain no '.'`);
    if (this.#params.has(name) || this.#buffers.has(name) || this.#children.has(name)) {
      throw new Error(`'${name}' is already registered in ${this.constructor.name}`);
    }
  }

  /** Replaces the tensor of an already registered buffer (e.g. a recomputed constant). */
  protected setBuffer(name: string, t: Tensor): void {
    if (!this.#buffers.has(name)) throw new Error(`no buffer '${name}' in ${this.constructor.name}`);
    this.#buffers.get(name)?.dispose();
    this.#buffers.set(name, keep(t));
  }

  *namedChildren(): Generator<[string, Module]> {
    yield* this.#children.entries();
  }
  children(): Module[] {
    return [...this.#children.values()];
  }
  *namedModules(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [name, child] of this.#children) yield* child.namedModules(prefix ? `${prefix}.${name}` : name);
  }
  modules(): Module[] {
    return [...this.namedModules()].map(([, m]) => m);
  }
  *namedParameters(prefix = '', recurse = true): Generator<[string, Tensor]> {
    for (const [name, p] of this.#params) if (p) yield [prefix ? `${prefix}.${name}` : name, p];
    if (recurse) for (const [name, child] of this.#children) yield* child.namedParameters(prefix ? `${prefix}.${name}` : name);
  }
  parameters(recurse = true): Tensor[] {
    return [...this.namedParameters('', recurse)].map(([, p]) => p);
  }
  *namedBuffers(prefix = '', recurse = true): Generator<[string, Tensor]> {
    for (const [name, b] of this.#buffers) if (b) yield [prefix ? `${prefix}.${name}` : name, b];
    if (recurse) for (const [name, child] of this.#children) yield* child.namedBuffers(prefix ? `${prefix}.${name}` : name);
  }
  buffers(recurse = true): Tensor[] {
    return [...this.namedBuffers('', recurse)].map(([, b]) => b);
  }
  /** Number of trainable scalars. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel, 0);
  }

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order (a
   * module's own parameters, its buffers, then each child's). The tensors are
   * the live ones: read or copy them, do not dispose them.
   */
  stateDict(prefix = '', out: StateDict = new Map()): StateDict {
    for (const [name, p] of this.#params) if (p) out.set(prefix + name, p);
    for (const [name, b] of this.#buffers) if (b && !this.#nonPersistent.has(name)) out.set(prefix + name, b);
    for (const [name, child] of this.#children) child.stateDict(`${prefix}${name}.`, out);
    return out;
  }

  /** The stateDict() keys of buffers registered as 'added later': a state dict may lack them. */
  addedLaterKeys(prefix = '', out = new Set<string>()): Set<string> {
    for (const name of this.#addedLater) if (this.#buffers.get(name)) out.add(prefix + name);
    for (const [name, child] of this.#children) child.addedLaterKeys(`${prefix}${name}.`, out);
    return out;
  }

  /**
   * Copies values into this module's tensors (dtype and device converted).
   * strict (default): any missing, unexpected or mismatched key throws a
   * StateDictError listing all of them and nothing is changed. Non-strict:
   * the matching keys load and the lists come back. A buffer registered as
   * 'added later' that the source lacks is not missing: it keeps its value.
   */
  loadStateDict(source: StateDict | Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const src = source instanceof Map ? source : new Map(Object.entries(source));
    const own = this.stateDict();
    const result: LoadStateDictResult = { missingKeys: [], unexpectedKeys: [], mismatched: [] };
    const addedLater = this.addedLaterKeys();
    for (const key of own.keys()) if (!src.has(key) && !addedLater.has(key)) result.missingKeys.push(key);
    for (const key of src.keys()) if (!own.has(key)) result.unexpectedKeys.push(key);
    const toCopy: [Tensor, Tensor][] = [];
    for (const [key, dst] of own) {
      const s = src.get(key);
      if (!s) continue;
      const a = dst.shape;
      const b = s.shape;
      if (a.length !== b.length || a.some((d, i) => d !== b[i])) result.mismatched.push({ key, expected: a, got: b });
      else toCopy.push([dst, s]);
    }
    const bad = result.missingKeys.length + result.unexpectedKeys.length + result.mismatched.length > 0;
    if (strict && bad) throw new StateDictError(result, this.constructor.name);
    noGrad(() => {
      for (const [dst, s] of toCopy) dst.copy_(s);
    });
    return result;
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }

  /**
   * Moves every parameter and buffer to a device, or casts the floating ones to
   * a dtype. The tensors are created anew on the device and the JS objects take
   * them over (Tensor.adopt_), so optimisers and references stay valid; this
   * works on every device, the lazy one included, where set_data does not.
   */
  to(target: string | DType): this {
    const isDtype = ['float16', 'float32', 'float64', 'bfloat16'].includes(target);
    this.#replaceEach((t) => (isDtype && !isFloating(t.dtype) ? null : t.to(target)));
    return this;
  }

  /** Stores 4-D parameters and buffers NHWC (channels-last), faster for convolutions on GPUs. */
  channelsLast(): this {
    this.#replaceEach((t) => (t.ndim === 4 ? t.channelsLast() : null));
    return this;
  }

  #replaceEach(make: (t: Tensor) => Tensor | null): void {
    noGrad(() => {
      for (const t of [...this.parameters(), ...this.buffers()]) {
        const made = make(t);
        if (!made) continue;
        const grad = t.requiresGrad;
        t.adopt_(made);
        if (grad && !t.requiresGrad) t.requiresGrad_(true);
      }
    });
  }

  /** Clears every parameter's gradient (sets it to none, as PyTorch's default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Calls fn on every module (children first), e.g. for custom initialisation. */
  apply(fn: (m: Module) => void): this {
    for (const child of this.#children.values()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Frees every parameter and buffer (the module is unusable afterwards). */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) t.dispose();
  }
}
