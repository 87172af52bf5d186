/**
 * Compiles a C++ reference program of bench/cpp against the same LibTorch the
 * addon uses (scripts/libtorch-config.mjs), caching the binary in bench/.build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function packageRoot(): string {
  // compiled to dist/bench/*.js → two levels up
  const here = new URL('.', import.meta.url).pathname;
  return resolve(here, '..', '..');
}

function config(flag: string): string {
  return execFileSync(process.execPath, [join(packageRoot(), 'scripts', 'libtorch-config.mjs'), flag], { encoding: 'utf8' }).trim();
}

export function buildCpp(name: string): string {
  const root = packageRoot();
  const src = join(root, 'bench', 'cpp', `${name}.cpp`);
  const outDir = join(root, 'bench', '.build');
  const bin = join(outDir, name);
  if (existsSync(bin) && statSync(bin).mtimeMs > statSync(src).mtimeMs) return bin;
  mkdirSync(outDir, { recursive: true });
  const args = [
    '-O2', '-std=c++17', src, '-o', bin,
    ...config('--include').split(' ').filter(Boolean).map((d) => `-I${d}`),
    ...config('--defines').split(' ').filter(Boolean).map((d) => `-D${d}`),
    `-L${config('--libdirs')}`,
    '-Wl,--no-as-needed', ...config('--libs').split(' '), '-Wl,--as-needed',
    config('--rpath'),
  ];
  process.stderr.write(`bench: compiling ${name}.cpp against LibTorch (once; ~1 min)…\n`);
  execFileSync('g++', args, { stdio: 'inherit' });
  return bin;
}
