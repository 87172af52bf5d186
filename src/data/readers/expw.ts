/**
 * ExpW (Expression in-the-Wild), as downloaded:
 *   label/label.lst   lines 'image_name face_id top left right bottom confidence expression'
 *   image/origin/<image_name>
 * One image can hold several faces, so the sample id is '<image_name>#<face_id>'
 * and the source carries the face box. Expression codes follow FER2013's order.
 * No official split: everything is 'train' (use stratifiedHoldout for a test set).
 */
import { join, sep } from 'node:path';
import { SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { FER2013_TO_CANONICAL } from './fer2013.js';
import { parseLabelCode, parseNumber } from './fields.js';
import { requireFile, requireRoot } from './files.js';
import type { BaseReaderOptions } from './options.js';
import { readTextLineBatches, splitWhitespace } from './textLines.js';

export interface ExpwOptions extends BaseReaderOptions {
  /** Label list (default <root>/label/label.lst). */
  labelFile?: string;
  /** Image folder (default <root>/image/origin). */
  imagesDir?: string;
}

const COLUMNS = 'image_name face_id top left right bottom confidence expression';

export async function readExpw(root: string, opts: ExpwOptions = {}): Promise<Dataset> {
  requireRoot(root, 'ExpW', 'label/label.lst and image/origin/');
  const labelFile = opts.labelFile ?? join(root, 'label', 'label.lst');
  requireFile(labelFile, `ExpW's label list with lines '${COLUMNS}'`);
  const imagesDir = opts.imagesDir ?? join(root, 'image', 'origin');
  const imagesPrefix = imagesDir + sep; // path.join per line is slow on ExpW's 90k lines
  const checkImages = opts.checkImages ?? true;
  const b = new DatasetBuilder('expw', root, [...SEVEN_CLASSES]);
  b.source(labelFile);

  for await (const lines of readTextLineBatches(labelFile)) {
    for (const { text, line } of lines) {
      const cols = splitWhitespace(text);
      if (cols.length === 0) continue;
      if (cols.length !== 8) throw new DataError(labelFile, line, `expected 8 space-separated columns '${COLUMNS}', found ${cols.length}`);
      const [name, faceId, topS, leftS, rightS, bottomS, , exprS] = cols as [string, string, string, string, string, string, string, string];
      const top = parseNumber(labelFile, line, topS, 'top');
      const left = parseNumber(labelFile, line, leftS, 'left');
      const right = parseNumber(labelFile, line, rightS, 'right');
      const bottom = parseNumber(labelFile, line, bottomS, 'bottom');
      const label = FER2013_TO_CANONICAL[parseLabelCode(labelFile, line, exprS, 'expression', 0, 6)]!;
      if (right <= left || bottom <= top) {
        b.skip(labelFile, line, `empty face box (left ${left}, right ${right}, top ${top}, bottom ${bottom}); entry skipped`);
        continue;
      }
      const box = { x: left, y: top, width: right - left, height: bottom - top };
      const sample = { id: `${name}#${faceId}`, source: { kind: 'file' as const, path: imagesPrefix + name, box }, label };
      b.addFile('train', sample, { file: labelFile, line }, checkImages);
    }
  }
  return b.finish({ expected: `lines '${COLUMNS}' in the label list` });
}
