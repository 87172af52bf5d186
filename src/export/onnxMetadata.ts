/**
 * Reads an ONNX file's metadata_props (ModelProto field 14) — onnxruntime-node
 * runs a model but does not expose them — and the semifer metadata among them.
 * Only the top level of the file is walked; the graph is skipped as bytes.
 */
import { readFields, utf8 } from './protobufReader.js';
import { checkExportMetadata, EXPORT_METADATA_KEY, type SemiferExportMetadata } from './metadata.js';

export function readOnnxMetadataProps(model: Uint8Array): Record<string, string> {
  const props: Record<string, string> = {};
  for (const f of readFields(model)) {
    if (f.field !== 14 || !f.bytes) continue;
    let key = '';
    let value = '';
    for (const e of readFields(f.bytes)) {
      if (e.field === 1) key = utf8(e.bytes);
      else if (e.field === 2) value = utf8(e.bytes);
    }
    props[key] = value;
  }
  return props;
}

/** The checked semifer metadata of an exported ONNX model; `where` names the file in errors. */
export function readOnnxSemiferMetadata(model: Uint8Array, where: string): SemiferExportMetadata {
  let raw: string | undefined;
  try {
    raw = readOnnxMetadataProps(model)[EXPORT_METADATA_KEY];
  } catch (err) {
    throw new Error(`${where}: not an ONNX model (${(err as Error).message})`);
  }
  let value: unknown;
  try {
    value = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    throw new Error(`${where}: the '${EXPORT_METADATA_KEY}' metadata is not valid JSON`);
  }
  return checkExportMetadata(value, where);
}
