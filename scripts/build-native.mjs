#!/usr/bin/env node
// `npm install` step: make sure LibTorch is present, then compile the addon.
// On Debian/Ubuntu as root, a missing LibTorch is installed with apt
// (libtorch-dev, plus OpenBLAS so matmul/linear are not on reference BLAS).
// Anywhere else it stops with a message saying exactly what to install.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findLibTorch, INSTALL_HELP } from './libtorch-config.mjs';

// libgloo-dev: the headers c10d's Gloo process group needs (distributed training).
const APT_PACKAGES = ['libtorch-dev', 'libgloo-dev', 'libopenblas0-pthread'];

function run(cmd, args, opts = {}) {
  console.log(`semifer: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

function canApt() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return process.platform === 'linux' && isRoot && existsSync('/usr/bin/apt-get') && process.env.SEMIFER_NO_APT !== '1';
}

let torch = findLibTorch();
if (!torch) {
  if (canApt()) {
    console.log('semifer: LibTorch not found; installing Debian/Ubuntu packages ' + APT_PACKAGES.join(' '));
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok = run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...APT_PACKAGES], { env })
      || (run('apt-get', ['update', '-q'], { env }) && run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...APT_PACKAGES], { env }));
    if (!ok) {
      console.error('semifer: apt-get could not install LibTorch.\n' + INSTALL_HELP);
      process.exit(1);
    }
    torch = findLibTorch();
  }
  if (!torch) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
}
console.log(`semifer: building the native addon against LibTorch ${torch.version} (${torch.source}${torch.cuda ? ', CUDA' : ''})`);

const require = createRequire(import.meta.url);
const nodeGyp = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
// Build against the running Node's own headers when they are installed beside it,
// so no header download is needed (machines without internet access).
const gypArgs = [nodeGyp, 'rebuild', '--jobs', 'max'];
const localNodeDir = join(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(localNodeDir, 'include', 'node', 'node_api.h'))) {
  gypArgs.push(`--nodedir=${localNodeDir}`);
}
if (!run(process.execPath, gypArgs)) {
  console.error('semifer: compiling the native addon failed (see the compiler output above).');
  process.exit(1);
}
