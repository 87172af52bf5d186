/**
 * `semifer predict IMAGE...`: the expression of every face in ordinary photos.
 * Faces are found with face-api's detector and 68 landmarks (on LibTorch by
 * default, src/deploy/detector.ts), aligned like the training crops, and classified by a run's model
 * (LibTorch) or an exported ONNX / TF.js model. See docs/predict.md.
 *
 * Output: one line per face on stdout; with --json one JSON object per face
 * (JSON lines, not a single document: results stream as photos finish). A file
 * that cannot be used (missing, not an image, damaged, no face) gets its own
 * message — a warning on stderr, or under --json an object with an `error`
 * field — and the other files still run. The exit code is 1 only when no file
 * could be processed.
 */
import { mkdirSync } from 'node:fs';
import { defineCommand, type CommandContext } from '../command.js';
import { DEFAULT_DETECTOR, DETECTOR_HELP, DETECTOR_KINDS } from '../../deploy/detectorKinds.js';
import { CliError, exitCodeOf } from '../errors.js';
import { EXIT } from '../exitCodes.js';

export const predictCommand = defineCommand({
  name: 'predict',
  summary: 'Find the faces in photos and classify their expressions',
  usage: 'semifer predict IMAGE... (--run RUNDIR | --model EXPORTED) [--json] [--annotate OUTDIR]',
  description:
    'Detects every face (face-api SSD MobileNet v1 or Tiny Face Detector, with 68 landmarks), aligns it the way the training crops are ' +
    '(eyes level, face filling the square), and classifies it. Prints one line per face: file, face index (left to right), box x,y,w,h ' +
    'in the photo\'s pixels, label, its probability and all probabilities. --json prints one JSON object per face (JSON lines); ' +
    'files that cannot be used get an object with an "error" field. Photos over 4096 px are shrunk on decoding and detection runs ' +
    'at 1280 px; boxes are always in the original photo\'s pixels.',
  examples: [
    'semifer predict photo.jpg --run runs/adacm',
    'semifer predict photos/*.jpg --model exports/adacm.onnx --annotate annotated/',
    'semifer predict group.jpg --model exports/adacm-tfjs --detector tiny --min-confidence 0.4 --json',
  ],
  options: [
    { name: 'images', type: 'path', array: true, positional: true, required: true, placeholder: 'IMAGE', description: 'Photos (JPEG, PNG, WebP, TIFF, GIF)' },
    { name: 'run', type: 'path', exclusive: 'model', required: true, placeholder: 'RUNDIR', description: 'A run folder: uses its model.safetensors (LibTorch)' },
    { name: 'model', type: 'path', exclusive: 'model', required: true, placeholder: 'EXPORTED', description: 'An exported model: a .onnx file or a TF.js folder (semifer export)' },
    { name: 'detector', type: 'enum', values: DETECTOR_KINDS, default: DEFAULT_DETECTOR, placeholder: 'NAME', description: DETECTOR_HELP },
    { name: 'min-confidence', type: 'number', min: 0, max: 1, default: 0.5, placeholder: 'P', description: 'Drop detections scoring below this' },
    { name: 'annotate', type: 'path', placeholder: 'OUTDIR', description: 'Also write each photo with boxes and labels drawn to OUTDIR/<name>.jpg (.png for PNGs)' },
  ],
  async run(ctx) {
    const o = ctx.options;
    const { openClassifier } = await import('../../deploy/classifier.js');
    const { createDetector } = await import('../../deploy/detector.js');
    const { predictImages } = await import('../../deploy/predictImages.js');
    const { annotatePhoto, annotatedPath } = await import('../../deploy/annotate.js');
    if (o.annotate) {
      try {
        mkdirSync(o.annotate, { recursive: true });
      } catch (err) {
        throw new CliError(`--annotate ${o.annotate}: cannot create the folder (${(err as Error).message})`);
      }
    }
    let classifier;
    try {
      classifier = await openClassifier({ run: o.run, model: o.model });
    } catch (err) {
      // A damaged model keeps its own exit code (ModelFileError: 2); anything else is a failure to open it.
      throw new CliError((err as Error).message, exitCodeOf(err));
    }
    try {
      const detector = await createDetector({ kind: o.detector, minConfidence: o.minConfidence });
      const out = new Output(ctx, classifier.classes);
      const taken = new Set<string>();
      for await (const r of predictImages(o.images, { detector, classifier })) {
        if (!r.ok) {
          out.problem(r.file, r.kind, r.error);
          continue;
        }
        out.processed++;
        if (r.downscaled) ctx.log(`${r.file}: ${r.width}×${r.height} photo shrunk to ${r.downscaled.width}×${r.downscaled.height} for alignment (boxes are in the original's pixels)`);
        if (r.faces.length === 0) out.problem(r.file, 'no-face', `${r.file}: no face found (detector ${o.detector}, min confidence ${o.minConfidence})`);
        for (const f of r.faces) out.face(r.file, f);
        if (o.annotate) {
          const dest = annotatedPath(r.file, o.annotate, taken);
          try {
            await annotatePhoto(r.file, r.faces, dest, classifier.classes);
          } catch (err) {
            ctx.warn(`${dest}: cannot write the annotated photo (${(err as Error).message})`);
          }
        }
      }
      const failed = o.images.length - out.processed;
      ctx.log(`${out.processed} of ${o.images.length} photo${o.images.length === 1 ? '' : 's'} processed, ${out.faces} face${out.faces === 1 ? '' : 's'}`
        + `${failed ? `; ${failed} could not be read` : ''}${o.annotate ? `; annotated photos in ${o.annotate}` : ''}`);
      if (out.processed === 0) {
        if (!ctx.json) ctx.stderr.write(`${ctx.errStyle.red('error:')} no photo could be processed\n`);
        return EXIT.FAILURE;
      }
      return EXIT.OK;
    } finally {
      await classifier.dispose();
    }
  },
});

type Face = import('../../deploy/predictImages.js').FaceResult;

/** Lines on stdout (text or JSON lines) and per-file problems. */
class Output {
  processed = 0;
  faces = 0;
  constructor(private readonly ctx: CommandContext, private readonly classes: readonly string[]) {}

  face(file: string, f: Face): void {
    this.faces++;
    const r = (v: number) => Math.round(v);
    const box = [r(f.box.x), r(f.box.y), r(f.box.width), r(f.box.height)];
    if (this.ctx.json) {
      const round = (v: number, d: number) => Number(v.toFixed(d));
      const probs = Object.fromEntries(this.classes.map((c, i) => [c, round(f.probabilities[i]!, 4)]));
      this.line(JSON.stringify({
        file, face: f.index, box: { x: box[0], y: box[1], width: box[2], height: box[3] },
        label: f.label, probability: round(f.probability, 4), probabilities: probs, score: round(f.score, 3),
        eyes: { left: f.eyeLeft.map((v) => round(v, 1)), right: f.eyeRight.map((v) => round(v, 1)) }, mouth: f.mouth.map((v) => round(v, 1)),
      }));
      return;
    }
    const probs = this.classes.map((c, i) => `${c} ${f.probabilities[i]!.toFixed(3)}`).join(', ');
    this.line(`${file}  face ${f.index}  box ${box.join(',')}  ${this.ctx.style.bold(f.label)} ${f.probability.toFixed(3)}  (${probs})`);
  }

  /** A file that gave no faces: unreadable, not an image, damaged, or no face in it. */
  problem(file: string, kind: string, message: string): void {
    if (this.ctx.json) this.line(JSON.stringify({ file, error: message, kind }));
    else this.ctx.warn(message);
  }

  private line(text: string): void {
    this.ctx.stdout.write(`${text}\n`);
  }
}
