// A hand-written TF.js graph model with semifer metadata, for the server tests:
// input [N,S,S,3] → mean over the pixels → MatMul + BiasAdd = `logits` →
// Softmax = `probabilities`. It needs neither LibTorch nor the exporter.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SemiferExportMetadata } from '../../src/export/metadata.js';

export const SEVEN = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger'];

export function tinyMetadata(size = 48, classes = SEVEN): SemiferExportMetadata {
  return {
    format: 'semifer-export', version: 1, classes,
    input: { name: 'input', layout: 'NHWC', size, channels: 3, colorOrder: 'RGB', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    outputs: { logits: 'logits', probabilities: 'probabilities' },
    model: { arch: 'tiny-fixture', head: 'linear', method: 'none', dta: false },
  };
}

const f32 = { type: 'DT_FLOAT' };
const dims = (...d: number[]) => ({ dim: d.map((n) => ({ size: String(n) })) });

/** Writes DIR/model.json and DIR/group1-shard1of1.bin; returns DIR. */
export function writeTinyTfjsModel(dir: string, meta = tinyMetadata()): string {
  mkdirSync(dir, { recursive: true });
  const c = meta.classes.length;
  const axes = new Int32Array([1, 2]);
  const w = new Float32Array(3 * c).map((_, i) => Math.sin(i + 1));
  const b = new Float32Array(c).map((_, i) => 0.1 * i);
  const constNode = (name: string, dtype: string, shape: number[]) => ({
    name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: dims(...shape) } } },
  });
  const topology = {
    node: [
      { name: 'input', op: 'Placeholder', attr: { dtype: f32, shape: { shape: dims(-1, meta.input.size, meta.input.size, 3) } } },
      constNode('axes', 'DT_INT32', [2]),
      { name: 'pooled', op: 'Mean', input: ['input', 'axes'], attr: { T: f32, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } },
      constNode('w', 'DT_FLOAT', [3, c]),
      { name: 'mm', op: 'MatMul', input: ['pooled', 'w'], attr: { T: f32, transpose_a: { b: false }, transpose_b: { b: false } } },
      constNode('b', 'DT_FLOAT', [c]),
      { name: 'logits', op: 'BiasAdd', input: ['mm', 'b'], attr: { T: f32 } },
      { name: 'probabilities', op: 'Softmax', input: ['logits'], attr: { T: f32 } },
    ],
    library: {},
    versions: {},
  };
  const model = {
    format: 'graph-model',
    generatedBy: 'semifer test fixture',
    convertedBy: 'semifer test fixture',
    modelTopology: topology,
    weightsManifest: [{
      paths: ['group1-shard1of1.bin'],
      weights: [
        { name: 'axes', shape: [2], dtype: 'int32' },
        { name: 'w', shape: [3, c], dtype: 'float32' },
        { name: 'b', shape: [c], dtype: 'float32' },
      ],
    }],
    userDefinedMetadata: { semifer: meta },
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.concat([Buffer.from(axes.buffer), Buffer.from(w.buffer), Buffer.from(b.buffer)]));
  return dir;
}
