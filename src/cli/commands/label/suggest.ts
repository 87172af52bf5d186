/** `semifer label suggest`: which faces to label next (src/label/suggest.ts). */
import { defineCommand } from '../../command.js';
import { CliError, UsageError } from '../../errors.js';
import { EXIT } from '../../exitCodes.js';
import { LABELS_FILE_OPTION, UNLABELLED_OPTION } from './options.js';
import { COLD_START_CRITERION, CRITERIA, DEFAULT_CRITERION, EMBEDDINGS, MODEL_CRITERIA } from '../../../label/ranking.js';

export const suggestCommand = defineCommand({
  name: 'suggest',
  summary: 'Rank unlabelled faces by how much labelling them should help',
  usage: 'semifer label suggest --unlabelled DIR [--run RUNDIR] [--n K] [--criterion NAME] [--features backbone|pixels] [--labels-file FILE]',
  description:
    'With --run: the model\'s probabilities and backbone features, and the method\'s own thresholds from the run\'s last checkpoint ' +
    '(Ada-CM\'s margins, DTA\'s dynamic thresholds, FixMatch\'s threshold). Criteria: typical (default: the most typical face of each k-means cluster of the backbone features without a label), ' +
    'combined (k-center greedy on the features, each distance weighted by uncertainty against the threshold and by the balance of the labelled classes), ' +
    'uncertainty, diversity, balance, random. ' +
    'Without --run: diversity, typical or random on the faces\' pixels (16×16 grey); diversity unless asked. Faces already in the labels file are never suggested. ' +
    'Writes suggested.json beside the labels file (read by semifer label serve) and prints the list.',
  examples: [
    'semifer label suggest --unlabelled faces --n 50',
    'semifer label suggest --run runs/adacm --unlabelled faces --n 50',
    'semifer label suggest --run runs/adacm --unlabelled faces --n 50 --criterion uncertainty --json',
  ],
  options: [
    UNLABELLED_OPTION,
    { name: 'run', type: 'path', placeholder: 'RUNDIR', description: 'A trained run: its model.safetensors and last checkpoint' },
    { name: 'n', type: 'int', min: 1, default: 50, placeholder: 'K', description: 'Faces to suggest' },
    { name: 'criterion', type: 'enum', values: CRITERIA, default: DEFAULT_CRITERION, placeholder: 'NAME', description: CRITERIA.join(', ') },
    { name: 'features', type: 'enum', values: EMBEDDINGS, placeholder: 'WHICH', description: 'What distances are measured on: the run\'s backbone features or the faces\' pixels (default: the criterion\'s; pixels without --run)' },
    LABELS_FILE_OPTION,
    { name: 'classes', type: 'string', placeholder: 'NAMES', description: 'Class names, comma-separated, for a new labels file without --run (default: the seven expressions)' },
    { name: 'seed', type: 'int', min: 0, default: 0, placeholder: 'S', description: 'Seed of --criterion random and of typical\'s k-means' },
  ],
  async run(ctx) {
    const o = ctx.options;
    const needsModel = MODEL_CRITERIA.includes(o.criterion);
    if (o.run === undefined && needsModel && ctx.sources.criterion === 'cli') {
      const without = CRITERIA.filter((c) => !MODEL_CRITERIA.includes(c)).join(', ');
      throw new UsageError(`--criterion ${o.criterion} needs a model: give --run RUNDIR (without one: ${without})`);
    }
    if (o.run === undefined && o.features === 'backbone') throw new UsageError('--features backbone needs a model: give --run RUNDIR (without one: pixels)');
    // Without a run, the default (or a criterion that needs a model) gives way to the cold-start one.
    const criterion = o.run === undefined && (needsModel || ctx.sources.criterion === 'default') ? COLD_START_CRITERION : o.criterion;
    const { openFaceFolder } = await import('../../../label/faceFolder.js');
    const { suggest, writeSuggestions } = await import('../../../label/suggest.js');
    let doc;
    try {
      const folder = openFaceFolder(o.unlabelled, o.labelsFile);
      if (folder.faces.length === 0) throw new CliError(`${o.unlabelled}: no face images in this folder (make them with semifer data faces PHOTOS --out ${o.unlabelled})`, EXIT.USAGE);
      const bar = ctx.progress({ total: folder.faces.length, label: 'decode faces', unit: 'img' });
      doc = await suggest({ folder, run: o.run, n: o.n, criterion, embedding: o.features, seed: o.seed, classes: o.classes?.split(',').map((c) => c.trim()), onProgress: (_w, d) => bar.update(d) });
      bar.done();
      writeSuggestions(folder.suggestionsFile, doc);
      if (ctx.json) ctx.printJson({ file: folder.suggestionsFile, ...doc });
      else {
        const lines = doc.faces.map((f, i) => `${String(i + 1).padStart(4)}  ${f.image}${f.guess ? `  guess ${f.guess} ${Math.max(...f.probabilities!).toFixed(3)}  U ${f.uncertainty!.toFixed(3)}` : ''}`);
        ctx.print([
          `${doc.faces.length} of ${doc.unanswered} unanswered faces, by ${criterion} on ${doc.embedding}${o.run ? '' : ' (cold start: no model)'}` +
            (doc.thresholdSource ? `; thresholds: ${doc.thresholdSource}` : ''),
          ...lines,
          `written to ${folder.suggestionsFile}; label them: semifer label serve --unlabelled ${o.unlabelled}`,
        ].join('\n'));
      }
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError((err as Error).message, EXIT.USAGE);
    }
    return EXIT.OK;
  },
});
