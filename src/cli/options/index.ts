/** Option declaration, parsing, config files and validation (no dependencies beyond `yaml`). */
export * from './spec.js';
export { resolveOptions, resolveOptionsDetailed, type ResolveSettings, type ResolvedOptions } from './resolve.js';
export { parseArgv, type ParsedArgv } from './argv.js';
export { coerceValue, describeExpected } from './coerce.js';
export { readConfigFile, type ConfigEntry, type ConfigFile } from './configFile.js';
export { suggest, didYouMean, editDistance, normalizeName } from './suggest.js';
