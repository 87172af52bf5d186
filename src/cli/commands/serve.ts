/**
 * `semifer serve --model EXPORTED`: a local web page that runs an exported
 * TF.js model in the browser, on the webcam and on dropped photos.
 */
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Serve a web page that runs an exported model on the webcam and on photos',
  usage: 'semifer serve --model EXPORTED [--port 8080] [--host 127.0.0.1]',
  description: 'EXPORTED is a TF.js folder from `semifer export --format tfjs`. The browser finds faces (face-api), aligns them and ' +
    'classifies them with the model; nothing leaves the machine and the page needs no internet. Listens on loopback unless --host says otherwise. ' +
    'Ctrl-C stops it.',
  examples: [
    'semifer serve --model exports/adacm-tfjs',
    'semifer serve --model exports/adacm-tfjs --port 0 --json',
    'semifer serve --model exports/adacm-tfjs --host 0.0.0.0 --port 9000',
  ],
  options: [
    { name: 'model', type: 'path', required: true, placeholder: 'EXPORTED', description: 'TF.js export folder (semifer export --format tfjs)' },
    { name: 'port', type: 'int', min: 0, max: 65535, default: 8080, description: 'TCP port (0: any free port)' },
    { name: 'host', type: 'string', default: '127.0.0.1', description: 'Address to listen on; anything but loopback exposes the page to the network' },
  ],
  handlesInterrupt: true,
  async run(ctx) {
    const { startServeServer } = await import('../../serve/server.js');
    const { isLoopbackHost } = await import('../../serve/securityHeaders.js');
    const { model, port, host } = ctx.options;
    if (!isLoopbackHost(host)) {
      ctx.warn(`listening on ${host}: anyone who can reach this machine can open the page and download the model; ` +
        'browsers allow the webcam only on localhost or https, so remote visitors get photos only');
    }
    const running = await startServeServer({ model, port, host, log: ctx.verbose ? (l) => ctx.log(l) : undefined });
    const classes = running.model.metadata.classes;
    if (ctx.json) ctx.printJson({ url: running.url, model: running.model.dir, classes, size: running.model.metadata.input.size });
    else ctx.print(`serving ${running.url}  (model ${running.model.dir}: ${classes.length} classes, ${running.model.metadata.input.size} px; Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await running.close();
    return EXIT.OK;
  },
});
