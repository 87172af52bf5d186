/**
 * The imported face networks compute what the packages' own models compute:
 * each catalog model, read into a GraphBackbone, against the same model.json
 * run by TensorFlow.js (WASM backend) on the same synthetic faces. Needs the
 * model in the cache (`semifer models add NAME`); skipped, with the reason
 * shown, when it is not there, so the suite never needs the network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { PRETRAINED_BACKBONES } from '../../src/models/pretrained/catalog.js';
import { installState, modelsCacheDir } from '../../src/models/pretrained/cache.js';
import { readTfjsGraphModel } from '../../src/models/tfjs/readModel.js';
import { GraphBackbone } from '../../src/models/tfjs/graphBackbone.js';
import { Rng, generateFaceParams, renderFaceRaw } from '../../src/data/synth/index.js';
import { folderHandler, loadTf } from '../../src/export/runTfjs.js';

/** N synthetic faces (different identities and expressions), NHWC floats in [0, 1]. */
async function faces(n: number, size: number): Promise<Float32Array> {
  const out = new Float32Array(n * size * size * 3);
  for (let i = 0; i < n; i++) {
    const img = await renderFaceRaw(generateFaceParams(new Rng(100 + i), i % 7), size);
    for (let j = 0; j < img.data.length; j++) out[i * size * size * 3 + j] = img.data[j]! / 255;
  }
  return out;
}

for (const entry of PRETRAINED_BACKBONES) {
  const st = installState(entry);
  const skip = st.state === 'installed' ? false : `${entry.spec} not in ${modelsCacheDir()} (semifer models add ${entry.name})`;
  test(`${entry.spec}: the imported graph's '${entry.outputNode}' matches TensorFlow.js on 4 faces (max |Δ| < 1e-4)`, { skip }, async () => {
    const path = `${(st as { dir: string }).dir}/${entry.graph}`;
    const n = 4;
    const s = entry.inputSize;
    const pixels = await faces(n, s);
    const tf = await loadTf('wasm');
    const reference = await tf.loadGraphModel(folderHandler(dirname(path), basename(path)));
    const expected = tf.tidy(() => (reference.execute(tf.tensor4d(pixels, [n, s, s, 3]), entry.outputNode) as import('@tensorflow/tfjs').Tensor).dataSync().slice());
    reference.dispose();

    const net = new GraphBackbone(readTfjsGraphModel(path), { output: entry.outputNode, input: 'raw' });
    net.eval();
    const got = torch.tidy(() => torch.noGrad(() => {
      const x = torch.tensor(pixels, { shape: [n, s, s, 3] }).permute(0, 3, 1, 2).contiguous();
      const y = net.forward(x);
      return (y.dim() === 4 ? y.permute(0, 2, 3, 1).contiguous() : y).data() as Float32Array;
    }));
    assert.equal(got.length, expected.length);
    let maxDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < got.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
      maxAbs = Math.max(maxAbs, Math.abs(expected[i]!));
    }
    console.log(`${entry.spec} ${entry.outputNode}: ${got.length} values, max |TF.js| ${maxAbs.toExponential(3)}, max |Δ| ${maxDiff.toExponential(3)}`);
    assert.ok(maxAbs > 1e-3, 'the reference output is all zeros: the comparison would prove nothing');
    assert.ok(maxDiff < 1e-4, `max |Δ| ${maxDiff} ≥ 1e-4`);
  });
}
