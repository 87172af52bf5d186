/**
 * A minimal protobuf reader: walks one message's top-level fields. Enough to
 * find an ONNX model's metadata_props (onnxruntime-node does not expose them)
 * and to inspect exported files in tests, without a protobuf library.
 */

export interface ProtoField {
  field: number;
  wire: number;
  /** Varint value (wire 0), as bigint. */
  int?: bigint;
  /** Length-delimited payload (wire 2), a view into the buffer. */
  bytes?: Uint8Array;
  /** fixed32 (wire 5) as float. */
  float?: number;
}

export class ProtoReadError extends Error {}

/** Every top-level field of the message in `buf`, in order. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new ProtoReadError(`protobuf: truncated varint at byte ${pos}`);
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
      if (shift > 63n) throw new ProtoReadError(`protobuf: varint too long at byte ${pos}`);
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, int: varint() });
    else if (wire === 2) {
      const n = Number(varint());
      if (pos + n > buf.length) throw new ProtoReadError(`protobuf: field ${field} of ${n} bytes runs past the end`);
      out.push({ field, wire, bytes: buf.subarray(pos, pos + n) });
      pos += n;
    } else if (wire === 5) {
      if (pos + 4 > buf.length) throw new ProtoReadError('protobuf: truncated fixed32');
      out.push({ field, wire, float: view.getFloat32(pos, true) });
      pos += 4;
    } else if (wire === 1) {
      pos += 8; // fixed64: not used by ONNX's fields we read; skipped
    } else throw new ProtoReadError(`protobuf: unsupported wire type ${wire} (field ${field}) at byte ${pos}`);
  }
  return out;
}

export const utf8 = (b: Uint8Array | undefined): string => new TextDecoder().decode(b ?? new Uint8Array());
