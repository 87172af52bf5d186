/** One face's full description: identity + expression + scene. The renderer draws only this. */
import type { ActionUnits } from './actionUnits.js';
import { type ExpressionDraw, drawExpression, sampleIntensity } from './expressions.js';
import { type Identity, sampleIdentity } from './identity.js';
import type { Rng } from './random.js';
import { type Scene, sampleScene } from './scene.js';

export interface FaceParams {
  /** Canonical class index (0 neutral … 6 anger). */
  expression: number;
  /** Expression intensity in (0, 1]; 0 for neutral. */
  intensity: number;
  au: ActionUnits;
  /** Prototype variant index (e.g. closed vs open smile). */
  variant: number;
  /** A neighbouring expression mixed in at a lower intensity, if any. */
  blend: ExpressionDraw['blend'];
  identity: Identity;
  scene: Scene;
}

export interface FaceOptions {
  /** Use this identity instead of drawing one (contact sheets, subject-wise data). */
  identity?: Identity;
  /** Fixed intensity in (0, 1] instead of the default draw. */
  intensity?: number;
  /** Scales all nuisance (identity variety, pose, lighting, blur, noise, occlusion): 0 = clean, 1 = default. */
  nuisance?: number;
}

/**
 * Draws a face of the given expression. The identity, expression and scene use
 * separate child streams, so fixing one of them (e.g. passing `identity`)
 * does not change the others for the same rng state.
 */
export function generateFaceParams(rng: Rng, expression: number, opts: FaceOptions = {}): FaceParams {
  const nuisance = opts.nuisance ?? 1;
  const idRng = rng.fork('identity');
  const exRng = rng.fork('expression');
  const scRng = rng.fork('scene');
  const identity = opts.identity ?? sampleIdentity(idRng, nuisance);
  const intensity = expression === 0 ? 0 : (opts.intensity ?? sampleIntensity(exRng));
  if (!(intensity >= 0 && intensity <= 1)) throw new RangeError(`intensity must be in (0, 1], got ${intensity}`);
  const { au, variant, blend } = drawExpression(exRng, expression, intensity);
  return { expression, intensity, au, variant, blend, identity, scene: sampleScene(scRng, identity, nuisance) };
}
