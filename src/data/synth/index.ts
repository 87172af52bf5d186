/**
 * Synthetic faces for the demo and the tests: procedural faces whose seven
 * expressions come from action-unit-like parameters, with identity, pose,
 * lighting, blur, noise and occlusion as nuisance, written in the real
 * datasets' layouts so the real readers read them.
 *
 *   const p = generateFaceParams(new Rng(seed), 1);             // a happy face (canonical index 1)
 *   const png = await renderFace(p, 100);                       // drawn (PNG; { format: 'jpeg' } too)
 *   await synthesizeDataset({ out, n: 2100, format: 'rafdb' }); // a whole dataset
 *   const truth = datasetTruth({ n: 2100, format: 'rafdb' });   // its per-sample truth, no rendering
 *
 * Same seed → same bytes (for the same sharp/librsvg build).
 */
export { Rng, hashSeed } from './random.js';
export { ACTION_UNIT_NAMES, actionUnitVector, type ActionUnits, type ActionUnitName } from './actionUnits.js';
export { EXPRESSION_COUNT, drawExpression, sampleIntensity, type ExpressionDraw } from './expressions.js';
export { sampleIdentity, type Identity } from './identity.js';
export { sampleScene, type Scene, type Occlusion } from './scene.js';
export { generateFaceParams, type FaceParams, type FaceOptions } from './params.js';
export { renderFaceSvg } from './svg.js';
export { renderFace, renderFaceRaw, type RawImage, type RenderOptions } from './render.js';
export { renderContactSheet, writeContactSheet, type ContactSheetOptions } from './contactSheet.js';
export { synthesizeDataset, SYNTH_VERSION, type SynthesizeOptions, type SynthesizeResult } from './synthesize.js';
export { planDataset, classCounts, type PlannedSample, type PlanOptions, type ClassBalance, type Split } from './plan.js';
export { datasetTruth, type SampleTruth } from './truth.js';
export { RAFDB_CODE, FER2013_CODE, RAFDB_TRAIN_COUNTS, type SynthFormat } from './formats.js';
