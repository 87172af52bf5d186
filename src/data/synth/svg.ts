/**
 * Assembles one face as an SVG document. The drawing happens in a fixed
 * 100×100 frame; `size` only sets the output pixel size, so librsvg renders
 * straight at the target resolution (no resize step, crisp at 48 px too).
 * Lighting, blur and noise are not part of the SVG: camera.ts applies them to
 * the pixels, which is much cheaper than librsvg gradients and filters.
 */
import { hex, scale } from './color.js';
import { drawBeard, drawGlasses, drawMoustache } from './drawAccessories.js';
import { drawBrows } from './drawBrows.js';
import { drawEyes } from './drawEyes.js';
import { drawHairBack, drawHairFront } from './drawHair.js';
import { drawEars, drawFace, drawNeckAndShirt, drawSkinMarks } from './drawHead.js';
import { drawMouth } from './drawMouth.js';
import { drawNose } from './drawNose.js';
import { drawOcclusion } from './drawOcclusion.js';
import { computeLayout } from './layout.js';
import type { FaceParams } from './params.js';
import { num } from './svgPath.js';

export function renderFaceSvg(params: FaceParams, size: number): string {
  if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`size must be a positive integer, got ${size}`);
  const { identity: id, au, scene } = params;
  const lay = computeLayout(id, au);

  const defs = '<defs>'
    + `<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hex(scene.background)}"/><stop offset="1" stop-color="${hex(scene.background2)}"/></linearGradient>`
    + `<radialGradient id="faceShade" cx="50" cy="${num(id.eyeY + 8)}" r="${num(lay.faceHalfWidth * 1.25)}" gradientUnits="userSpaceOnUse">`
    + `<stop offset="0.55" stop-color="${hex(scale(id.skin, 0.7))}" stop-opacity="0"/><stop offset="1" stop-color="${hex(scale(id.skin, 0.7))}" stop-opacity="0.55"/></radialGradient>`
    + '</defs>';

  let bg = '<rect width="100" height="100" fill="url(#bg)"/>';
  for (const c of scene.clutter) {
    bg += c.square
      ? `<rect x="${num(c.x - c.r)}" y="${num(c.y - c.r)}" width="${num(2 * c.r)}" height="${num(2 * c.r)}" fill="${hex(c.color)}" opacity="0.7"/>`
      : `<circle cx="${num(c.x)}" cy="${num(c.y)}" r="${num(c.r)}" fill="${hex(c.color)}" opacity="0.7"/>`;
  }

  // Pose: rotate and scale about the face centre, then shift.
  const pose = `translate(${num(50 + scene.dx)} ${num(50 + scene.dy)}) rotate(${num(scene.rotation)}) scale(${num(scene.scale)}) translate(-50 -50)`;
  const head = drawHairBack(id, lay) + drawNeckAndShirt(id, lay, scene.shirt) + drawEars(id, lay) + drawFace(id, lay)
    + drawEyes(id, lay.eyes) + drawSkinMarks(id, au, lay) + drawBrows(id, lay.brows) + drawNose(id, au, lay) + drawBeard(id, lay)
    + drawMouth(id, au, lay.mouth) + drawMoustache(id, lay) + drawHairFront(id, lay) + drawGlasses(id, lay) + drawOcclusion(scene.occlusion, id, lay);

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">`
    + defs + bg + `<g transform="${pose}">${head}</g>`
    + '</svg>';
}

