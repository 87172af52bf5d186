/**
 * Backbones built from the catalog's TF.js graphs, and `--pretrained` values
 * that name one (`human-models:mobilefacenet`) rather than a weights file.
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { readTfjsGraphModel, type TfjsGraphModel } from '../tfjs/readModel.js';
import { GraphBackbone } from '../tfjs/graphBackbone.js';
import { PRETRAINED_BACKBONES, looksLikeSpec, pretrainedByName, pretrainedBySpec, type PretrainedBackbone } from './catalog.js';
import { PretrainedModelError, installedGraph } from './cache.js';

/** Graphs read once per process (a teacher and a student share one). */
const graphs = new Map<string, TfjsGraphModel>();

function graphOf(entry: PretrainedBackbone): TfjsGraphModel {
  const path = installedGraph(entry);
  let g = graphs.get(path);
  if (!g) graphs.set(path, (g = readTfjsGraphModel(path)));
  return g;
}

/** The backbone `--model NAME` trains: the graph's topology, from random weights unless `pretrained`. */
export function catalogBackbone(name: string, o: { pretrained?: boolean } = {}): GraphBackbone {
  const entry = pretrainedByName(name);
  if (!entry) throw new PretrainedModelError(`unknown backbone '${name}'; expected one of ${PRETRAINED_BACKBONES.map((p) => p.name).join(', ')}`);
  return new GraphBackbone(graphOf(entry), { output: entry.featureNode, input: entry.input, randomInit: !o.pretrained });
}

/**
 * The state dict `--pretrained VALUE` names: a catalog spec's graph weights
 * (for `--model` = that backbone), else a weights file (.pth, .safetensors).
 */
export async function loadPretrainedWeights(value: string, arch: string): Promise<Map<string, Tensor>> {
  if (!looksLikeSpec(value)) return torch.loadWeightsFile(value);
  const entry = pretrainedBySpec(value);
  if (!entry) throw new PretrainedModelError(`--pretrained ${value}: no such model; known: ${PRETRAINED_BACKBONES.map((p) => p.spec).join(', ')} (or give a weights file)`);
  if (entry.name !== arch) throw new PretrainedModelError(`--pretrained ${value} is a ${entry.name} backbone; train it with --model ${entry.name} (got --model ${arch})`);
  const module = catalogBackbone(entry.name, { pretrained: true });
  return module.stateDict();
}
