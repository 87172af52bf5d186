/**
 * A Python pickle reader (protocols 2–5) for what torch.save writes: dicts,
 * OrderedDicts, lists, tuples, numbers, strings, and tensors rebuilt from
 * storages through a persistent-load callback. Unknown classes become plain
 * `PickledObject`s rather than errors, so extra entries in a checkpoint (an
 * argparse Namespace, say) never stop its weights from loading.
 *
 * LibTorch's own C++ unpickler was tried first and rejects ordinary
 * Python-written checkpoints (no SETITEM opcode, state_dict's `_metadata`),
 * hence this reader.
 */

export class PickledObject {
  constructor(readonly module: string, readonly name: string, public args: unknown[] = [], public state: unknown = undefined) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A reference to a global (class or function) seen by the unpickler. */
export class PickleGlobal {
  constructor(readonly module: string, readonly name: string) {}
}

export interface UnpickleHooks {
  /** BINPERSID: torch's storages. */
  persistentLoad(pid: unknown): unknown;
  /** REDUCE of a global: return undefined to fall back to a PickledObject. */
  reduce?(fn: PickleGlobal, args: unknown[]): unknown;
}

const MARK = Symbol('mark');

export function unpickle(buf: Buffer, hooks: UnpickleHooks, file: string): { value: unknown; end: number } {
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let p = 0;
  const fail = (msg: string): never => {
    throw new Error(`${file}: pickle at byte ${p}: ${msg}`);
  };
  const popMark = (): unknown[] => {
    let i = stack.length - 1;
    while (i >= 0 && stack[i] !== MARK) i--;
    if (i < 0) fail('MARK not found');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const need = (n: number) => {
    if (p + n > buf.length) fail('truncated pickle stream');
  };
  const setItems = (target: unknown, kv: unknown[]) => {
    if (target instanceof Map) for (let i = 0; i < kv.length; i += 2) target.set(kv[i], kv[i + 1]);
    else if (target instanceof PickledObject) {
      // e.g. a dict subclass: keep items as its state
      const m = target.state instanceof Map ? target.state : new Map();
      for (let i = 0; i < kv.length; i += 2) m.set(kv[i], kv[i + 1]);
      target.state = m;
    } else fail('SETITEM(S) on a non-dict');
  };

  for (;;) {
    need(1);
    const op = buf[p++];
    switch (op) {
      case 0x80: need(1); p += 1; break; // PROTO
      case 0x95: need(8); p += 8; break; // FRAME
      case 0x2e: return { value: stack.pop(), end: p }; // STOP
      case 0x28: stack.push(MARK); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x8f: stack.push(new Set()); break; // EMPTY_SET
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: need(1); stack.push(buf[p]); p += 1; break; // BININT1
      case 0x4d: need(2); stack.push(buf.readUInt16LE(p)); p += 2; break; // BININT2
      case 0x4a: need(4); stack.push(buf.readInt32LE(p)); p += 4; break; // BININT
      case 0x8a: { // LONG1
        need(1);
        const n = buf[p++];
        need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[p + i]);
        if (n > 0 && buf[p + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        p += n;
        stack.push(Number(v));
        break;
      }
      case 0x47: need(8); stack.push(buf.readDoubleBE(p)); p += 8; break; // BINFLOAT
      case 0x58: { need(4); const n = buf.readUInt32LE(p); p += 4; need(n); stack.push(buf.toString('utf8', p, p + n)); p += n; break; } // BINUNICODE
      case 0x8c: { need(1); const n = buf[p++]; need(n); stack.push(buf.toString('utf8', p, p + n)); p += n; break; } // SHORT_BINUNICODE
      case 0x8d: { need(8); const n = Number(buf.readBigUInt64LE(p)); p += 8; need(n); stack.push(buf.toString('utf8', p, p + n)); p += n; break; } // BINUNICODE8
      case 0x54: { need(4); const n = buf.readUInt32LE(p); p += 4; need(n); stack.push(buf.toString('latin1', p, p + n)); p += n; break; } // BINSTRING
      case 0x55: { need(1); const n = buf[p++]; need(n); stack.push(buf.toString('latin1', p, p + n)); p += n; break; } // SHORT_BINSTRING
      case 0x42: { need(4); const n = buf.readUInt32LE(p); p += 4; need(n); stack.push(Buffer.from(buf.subarray(p, p + n))); p += n; break; } // BINBYTES
      case 0x43: { need(1); const n = buf[p++]; need(n); stack.push(Buffer.from(buf.subarray(p, p + n))); p += n; break; } // SHORT_BINBYTES
      case 0x71: need(1); memo.set(buf[p], stack[stack.length - 1]); p += 1; break; // BINPUT
      case 0x72: need(4); memo.set(buf.readUInt32LE(p), stack[stack.length - 1]); p += 4; break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, stack[stack.length - 1]); break; // MEMOIZE
      case 0x68: need(1); stack.push(memo.get(buf[p])); p += 1; break; // BINGET
      case 0x6a: need(4); stack.push(memo.get(buf.readUInt32LE(p))); p += 4; break; // LONG_BINGET
      case 0x63: { // GLOBAL "module\nname\n"
        const nl1 = buf.indexOf(0x0a, p);
        const nl2 = buf.indexOf(0x0a, nl1 + 1);
        if (nl1 < 0 || nl2 < 0) fail('bad GLOBAL');
        stack.push(new PickleGlobal(buf.toString('utf8', p, nl1), buf.toString('utf8', nl1 + 1, nl2)));
        p = nl2 + 1;
        break;
      }
      case 0x93: { const name = stack.pop() as string; const mod = stack.pop() as string; stack.push(new PickleGlobal(mod, name)); break; } // STACK_GLOBAL
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([stack.pop()]); break; // TUPLE1
      case 0x86: { const b = stack.pop(); const a = stack.pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = stack.pop(); const b = stack.pop(); const a = stack.pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x64: { const kv = popMark(); const m = new Map(); for (let i = 0; i < kv.length; i += 2) m.set(kv[i], kv[i + 1]); stack.push(m); break; } // DICT
      case 0x61: { const v = stack.pop(); (stack[stack.length - 1] as unknown[]).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); const list = stack[stack.length - 1]; if (Array.isArray(list)) list.push(...items); else if (list instanceof PickledObject) list.args.push(...items); else fail('APPENDS on a non-list'); break; } // APPENDS
      case 0x73: { const v = stack.pop(); const k = stack.pop(); setItems(stack[stack.length - 1], [k, v]); break; } // SETITEM
      case 0x75: { const kv = popMark(); setItems(stack[stack.length - 1], kv); break; } // SETITEMS
      case 0x90: { const items = popMark(); const s = stack[stack.length - 1]; if (s instanceof Set) items.forEach((i) => s.add(i)); break; } // ADDITEMS
      case 0x91: stack.push(new Set(popMark())); break; // FROZENSET
      case 0x30: stack.pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(stack[stack.length - 1]); break; // DUP
      case 0x51: { const pid = stack.pop(); stack.push(hooks.persistentLoad(pid)); break; } // BINPERSID
      case 0x52: { // REDUCE
        const args = stack.pop() as unknown[];
        const fn = stack.pop();
        if (!(fn instanceof PickleGlobal)) fail('REDUCE of a non-global');
        const g = fn as PickleGlobal;
        const custom = hooks.reduce?.(g, args);
        if (custom !== undefined) stack.push(custom);
        else if (g.module === 'collections' && g.name === 'OrderedDict') stack.push(new Map());
        else if (g.module === 'builtins' && (g.name === 'set' || g.name === 'frozenset')) stack.push(new Set((args[0] as unknown[]) ?? []));
        else stack.push(new PickledObject(g.module, g.name, args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = stack.pop() as unknown[];
        const cls = stack.pop() as PickleGlobal;
        if (cls.module === 'collections' && cls.name === 'OrderedDict') stack.push(new Map());
        else stack.push(new PickledObject(cls.module, cls.name, args));
        break;
      }
      case 0x62: { // BUILD
        const state = stack.pop();
        const obj = stack[stack.length - 1];
        if (obj instanceof PickledObject) obj.state = state;
        // OrderedDict state (state_dict's `_metadata`) and tensor hooks are dropped: not model data.
        break;
      }
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16)}`);
    }
  }
}
