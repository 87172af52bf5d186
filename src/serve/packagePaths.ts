/**
 * Where the files the page needs live on disk: the installed packages
 * (TensorFlow.js, its WASM backend, face-api) and the page's own folder.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The root folder of an installed package (none of ours declares `exports`, so package.json resolves). */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/**
 * The page's folder. The page is plain HTML/JS/CSS that tsc does not copy, so
 * from the compiled dist/src/serve/ it is found back in src/serve/page at the
 * package root; a build that copies it beside the compiled file wins.
 */
export function pageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'page'), join(here, '..', '..', '..', 'src', 'serve', 'page')];
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!found) throw new Error(`the serve page is missing (looked in ${candidates.join(', ')}); reinstall semifer`);
  return found;
}
