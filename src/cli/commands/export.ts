/**
 * `semifer export`: a trained run's model as ONNX (onnxruntime, any language)
 * or as a TensorFlow.js graph model (browser, Node), carrying its classes and
 * preprocessing (src/export/metadata.ts). Every export is run right after it is
 * written, beside semifer's own model on a few of the run's test images, and
 * kept only if the probabilities agree to within 1e-4.
 */
import { existsSync, statSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { CliError } from '../errors.js';
import { semiferVersion } from '../version.js';
import { COMPAT_TARGETS } from '../../export/humanCompat.js';

const FORMAT_NAMES = { onnx: 'ONNX', tfjs: 'TensorFlow.js' } as const;

function formatBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'Export a trained model to ONNX or TensorFlow.js (checked against semifer)',
  usage: 'semifer export --run RUNDIR --format onnx|tfjs --out PATH [--compat human] [--json]',
  description: 'ONNX: one .onnx file, input "input" float32 N×3×S×S (NCHW), opset 17, runs in onnxruntime. ' +
    'TF.js: a folder with model.json and group1-shard1of1.bin for tf.loadGraphModel, input N×S×S×3 (NHWC). ' +
    'Both output "logits" and "probabilities" N×C and carry the class names and the input normalisation ' +
    '(ONNX metadata_props "semifer"; model.json userDefinedMetadata.semifer). ' +
    '--compat human (TF.js only) gives the model the interface of @vladmandic/human\'s emotion model instead: input N×S×S×3 as Human feeds it, ' +
    'one output with Human\'s seven classes in Human\'s order; every class of the model must be one of them. See docs/deployment.md.',
  examples: [
    'semifer export --run runs/adacm --format onnx --out adacm.onnx',
    'semifer export --run runs/adacm --format tfjs --out web/models/adacm',
    'semifer export runs/adacm --format onnx --out exports/ --json',
    'semifer export runs/adacm --format tfjs --compat human --out web/models/emotion-adacm',
  ],
  options: [
    { name: 'run', type: 'path', required: true, positional: true, placeholder: 'RUNDIR', description: 'A trained run folder (uses its model.safetensors)' },
    { name: 'format', type: 'enum', values: ['onnx', 'tfjs'], required: true, placeholder: 'FORMAT', description: 'onnx (one .onnx file) or tfjs (a graph-model folder)' },
    { name: 'out', type: 'path', required: true, placeholder: 'PATH', description: 'ONNX: the .onnx file (or a folder, for FOLDER/model.onnx); TF.js: the folder to write' },
    { name: 'compat', type: 'enum', values: [...COMPAT_TARGETS], placeholder: 'LIBRARY', description: 'TF.js: a drop-in emotion model for @vladmandic/human (face.emotion.modelPath)' },
  ],
  async run(ctx) {
    const { run, format, out, compat } = ctx.options;
    if (!existsSync(run) || !statSync(run).isDirectory()) throw new CliError(`${run}: no such run folder`);
    const { exportRun } = await import('../../export/index.js');
    ctx.log(`exporting ${run} to ${FORMAT_NAMES[format]}…`);
    const r = await exportRun(run, { format, out, compat, producerVersion: semiferVersion() });
    const c = r.check;
    if (ctx.json) {
      ctx.printJson({ ok: true, run, format, path: r.path, files: r.files, bytes: r.bytes, metadata: r.metadata, graph: r.graph, check: c });
    } else {
      const m = r.metadata;
      ctx.print(`${FORMAT_NAMES[format]}${m.compat ? ` for ${m.compat}` : ''}: ${r.path} (${formatBytes(r.bytes)}; ${m.model.arch}, ${m.model.head} head${m.model.dta ? ', DTA' : ''}, ${m.classes.length} classes, ${m.input.size} px ${m.input.layout})`);
      const logits = c.maxAbsDiffLogits === null ? '' : `, max |Δ logit| ${c.maxAbsDiffLogits.toExponential(1)}`;
      ctx.print(`check: ${c.source}: max |Δ probability| ${c.maxAbsDiffProbabilities.toExponential(1)}${logits} (tolerance ${c.tolerance})`);
    }
    return EXIT.OK;
  },
});
