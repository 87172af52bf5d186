/**
 * `semifer data faces PHOTOS... --out DIR`: the faces of ordinary photos as an
 * unlabelled face folder for `semifer label` (src/label/extractFaces.ts).
 */
import { statSync } from 'node:fs';
import { defineCommand } from '../../command.js';
import { DEFAULT_DETECTOR, DETECTOR_HELP, DETECTOR_KINDS } from '../../../deploy/detectorKinds.js';
import { CliError, UsageError } from '../../errors.js';
import { EXIT } from '../../exitCodes.js';
import { DEFAULT_DUPLICATE_DISTANCE, HASH_BITS } from '../../../label/faceHash.js';

export const facesCommand = defineCommand({
  name: 'faces',
  summary: 'Detect, align and crop every face in photos into an unlabelled face folder',
  usage: `semifer data faces PHOTO_OR_FOLDER... --out DIR [--size PX] [--detector ${DETECTOR_KINDS.join('|')}] [--min-confidence P] [--duplicate-distance BITS]`,
  description:
    'Uses the detector, landmarks and alignment of semifer predict. Writes DIR/faces/<hash>.png (aligned crops) and DIR/manifest.jsonl: ' +
    'one JSON line per photo with its faces (source photo, box, 68 landmarks, detector score, perceptual hash), the faces skipped as ' +
    'duplicates of a kept one, or why it gave none. A photo with the same bytes as an earlier one is skipped whole. Run it again with ' +
    'more photos, or after a kill: photos already in the manifest are not read again. Folders are searched recursively for images.',
  examples: [
    'semifer data faces photos/ --out faces',
    'semifer data faces holiday/*.jpg party/*.jpg --out faces --size 112 --detector tiny',
  ],
  options: [
    { name: 'photos', type: 'path', array: true, positional: true, required: true, placeholder: 'PHOTO', description: 'Photos (JPEG, PNG, WebP, TIFF, GIF) or folders of them' },
    { name: 'out', short: 'o', type: 'path', required: true, placeholder: 'DIR', description: 'Face folder to write (created if missing; resumed if it has a manifest)' },
    { name: 'size', type: 'int', min: 16, max: 512, default: 112, placeholder: 'PX', description: 'Side of the aligned crops' },
    { name: 'detector', type: 'enum', values: DETECTOR_KINDS, default: DEFAULT_DETECTOR, placeholder: 'NAME', description: DETECTOR_HELP },
    { name: 'min-confidence', type: 'number', min: 0, max: 1, default: 0.5, placeholder: 'P', description: 'Drop detections scoring below this' },
    { name: 'duplicate-distance', type: 'int', min: 0, max: HASH_BITS, default: DEFAULT_DUPLICATE_DISTANCE, placeholder: 'BITS', description: `Skip a face whose ${HASH_BITS}-bit perceptual hash is within BITS of a kept face (0: exact duplicates only)` },
  ],
  async run(ctx) {
    const o = ctx.options;
    const { listImages } = await import('../../../data/readers/files.js');
    const photos: string[] = [];
    for (const p of o.photos) {
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        // A missing file is reported per photo, like a damaged one.
      }
      if (isDir) {
        const found = listImages(p, true);
        if (found.length === 0) ctx.warn(`${p}: no images in this folder`);
        photos.push(...found);
      } else photos.push(p);
    }
    if (photos.length === 0) throw new UsageError('no photos given (the folders hold no images)');
    const { createDetector } = await import('../../../deploy/detector.js');
    const { extractFaces } = await import('../../../label/extractFaces.js');
    const detector = await createDetector({ kind: o.detector, minConfidence: o.minConfidence });
    const bar = ctx.progress({ total: photos.length, label: 'faces', unit: 'photo' });
    let kept = 0;
    let summary;
    try {
      summary = await extractFaces(photos, {
        out: o.out, detector, size: o.size, duplicateDistance: o.duplicateDistance,
        onPhoto: (line, done) => {
          kept += line.faces.length;
          if (line.status !== 'ok' && line.status !== 'same-photo') bar.log(`${line.status === 'no-face' ? `${line.photo}: no face found` : line.error}`);
          bar.update(done, { fields: { faces: kept } });
        },
      });
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    bar.done();
    if (ctx.json) {
      ctx.printJson({ ok: true, out: o.out, ...summary });
      return EXIT.OK;
    }
    ctx.print([
      `${summary.faces} face${summary.faces === 1 ? '' : 's'} in ${o.out}/faces from ${summary.photos} photo${summary.photos === 1 ? '' : 's'}` +
        (summary.resumed ? ` (${summary.resumed} done before, not read again)` : '') +
        `; ${summary.duplicates} duplicate face${summary.duplicates === 1 ? '' : 's'} and ${summary.samePhotos} repeated photo${summary.samePhotos === 1 ? '' : 's'} skipped`,
      `${summary.noFace.length} photo${summary.noFace.length === 1 ? '' : 's'} without a face${summary.noFace.length ? `: ${summary.noFace.join(', ')}` : ''}`,
      ...(summary.failed.length ? [`${summary.failed.length} photo${summary.failed.length === 1 ? '' : 's'} could not be read`] : []),
      ...(summary.msPerPhoto ? [`${(summary.msPerPhoto / 1000).toFixed(2)} s per photo read in this run`] : []),
      `manifest: ${o.out}/manifest.jsonl; next: semifer label suggest --unlabelled ${o.out} --n 50`,
    ].join('\n'));
    return EXIT.OK;
  },
});
