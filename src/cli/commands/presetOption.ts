/** `--preset NAME`: a paper's protocol as a layer of `semifer train` option values (src/train/presets.ts). */
import { UsageError } from '../errors.js';
import { option } from '../options/spec.js';
import { didYouMean } from '../options/suggest.js';
import { TRAIN_PRESETS, findPreset } from '../../train/presets.js';

export const PRESET_OPTION = option({
  name: 'preset', type: 'string', placeholder: 'NAME',
  description: "A paper's published protocol (semifer presets lists them); a config file and flags override its values",
  layer: (name: string) => {
    const preset = findPreset(name);
    if (!preset) {
      throw new UsageError(`--preset: unknown preset '${name}' (semifer presets lists them)${didYouMean(name, TRAIN_PRESETS.map((p) => p.name), (c) => `'${c}'`)}`);
    }
    return { source: `preset ${preset.name}`, entries: preset.options };
  },
});
