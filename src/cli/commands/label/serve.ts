/** `semifer label serve`: the labelling page (src/label/labelServer.ts, src/label/page). */
import { defineCommand } from '../../command.js';
import { CliError } from '../../errors.js';
import { EXIT } from '../../exitCodes.js';
import { LABELS_FILE_OPTION, UNLABELLED_OPTION } from './options.js';

export const labelServeCommand = defineCommand({
  name: 'serve',
  summary: 'A local web page to label the suggested faces with the keyboard',
  usage: 'semifer label serve --unlabelled DIR [--labels-file FILE] [--classes NAMES] [--port 8090] [--host 127.0.0.1]',
  description:
    'Shows the faces of DIR in the order of suggested.json (semifer label suggest; else the folder\'s order), one at a time or in a grid, ' +
    'with the model\'s guess. Keys: 1…9, 0 (then letters) for the classes, s skip, n not a face, u unsure, z or Backspace undo, g grid, ' +
    '← → move. Every answer is written to the labels file (atomically) before the page moves on, so killing the page or the server loses ' +
    'nothing. Train on it: semifer train --dataset labels --root DIR/labels.csv. Needs no internet; listens on loopback unless --host says otherwise.',
  examples: [
    'semifer label serve --unlabelled faces',
    'semifer label serve --unlabelled faces --classes no,yes --port 0 --json',
  ],
  options: [
    UNLABELLED_OPTION,
    LABELS_FILE_OPTION,
    { name: 'classes', type: 'string', placeholder: 'NAMES', description: 'Class names, comma-separated, for a new labels file (default: the suggestions\' classes, else the seven expressions)' },
    { name: 'port', type: 'int', min: 0, max: 65535, default: 8090, description: 'TCP port (0: any free port)' },
    { name: 'host', type: 'string', default: '127.0.0.1', description: 'Address to listen on; anything but loopback lets others label' },
  ],
  handlesInterrupt: true,
  async run(ctx) {
    const o = ctx.options;
    const { openFaceFolder } = await import('../../../label/faceFolder.js');
    const { LabelQueue } = await import('../../../label/labelQueue.js');
    const { startLabelServer } = await import('../../../label/labelServer.js');
    const { isLoopbackHost } = await import('../../../serve/securityHeaders.js');
    let queue;
    try {
      const folder = openFaceFolder(o.unlabelled, o.labelsFile);
      queue = new LabelQueue(folder, { classes: o.classes?.split(',').map((c) => c.trim()) });
    } catch (err) {
      throw new CliError((err as Error).message, EXIT.USAGE);
    }
    if (queue.faces.length === 0) throw new CliError(`${o.unlabelled}: no faces to label`, EXIT.USAGE);
    if (!isLoopbackHost(o.host)) ctx.warn(`listening on ${o.host}: anyone who can reach this machine can see the faces and answer for you`);
    const running = await startLabelServer(queue, { host: o.host, port: o.port, log: ctx.verbose ? (l) => ctx.log(l) : undefined });
    const answered = queue.state().answers.length;
    if (ctx.json) ctx.printJson({ url: running.url, labelsFile: queue.folder.labelsFile, classes: queue.classes, faces: queue.faces.length, answered });
    else ctx.print(`labelling ${queue.faces.length} faces at ${running.url}  (${answered} answered so far; answers go to ${queue.folder.labelsFile}; Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await running.close();
    return EXIT.OK;
  },
});
