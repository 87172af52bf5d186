#!/usr/bin/env node
// Finds LibTorch the way docs/design.md orders it and prints what a compiler needs.
//   1. $LIBTORCH           a directory with include/ and lib/
//   2. Python's `torch`    if `python3 -c "import torch"` works (CUDA builds too)
//   3. the system          Debian/Ubuntu `libtorch-dev` (/usr/include/torch)
// Usage: node scripts/libtorch-config.mjs [--json | --include | --libdirs | --libs | --defines | --rpath]
// binding.gyp and bench/ call this, so the addon and the C++ reference
// benchmark are always built against the same LibTorch.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function python(code) {
  for (const py of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    try {
      return execFileSync(py, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch { /* try the next interpreter */ }
  }
  return undefined;
}

/** Whether the C++ library was built with the new (C++11) std::string ABI. */
function detectCxx11Abi(libdir) {
  if (process.env.LIBTORCH_CXX11_ABI !== undefined) return process.env.LIBTORCH_CXX11_ABI === '1';
  try {
    const syms = execFileSync('nm', ['-D', '--defined-only', join(libdir, 'libc10.so')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return syms.includes('__cxx11');
  } catch {
    return true; // every current distribution and pip's torch >= 2.7 use the new ABI
  }
}

// -I/usr/include would reorder the compiler's own system directories and break
// #include_next in libstdc++, so the default directory is never passed.
function includeDirsFor(inc) {
  const dirs = [inc, join(inc, 'torch', 'csrc', 'api', 'include')];
  return dirs.filter((d) => d !== '/usr/include');
}

function fromDir(root, source) {
  const inc = join(root, 'include');
  const lib = join(root, 'lib');
  if (!existsSync(join(inc, 'ATen', 'ATen.h')) || !existsSync(join(lib, 'libc10.so'))) return undefined;
  return { source, includeDirs: includeDirsFor(inc), libDir: lib, cxx11Abi: detectCxx11Abi(lib) };
}

export function findLibTorch() {
  if (process.env.LIBTORCH) {
    const found = fromDir(process.env.LIBTORCH, 'LIBTORCH');
    if (!found) throw new Error(`LIBTORCH=${process.env.LIBTORCH} has no include/ATen/ATen.h and lib/libc10.so`);
    return withCuda(found);
  }
  const py = python('import torch, os, json; print(json.dumps({"dir": os.path.dirname(torch.__file__), "abi": bool(torch.compiled_with_cxx11_abi()), "cuda": torch.version.cuda}))');
  if (py) {
    try {
      const info = JSON.parse(py.split('\n').pop());
      const found = fromDir(info.dir, 'python torch');
      if (found) return withCuda({ ...found, cxx11Abi: info.abi });
    } catch { /* not a usable torch */ }
  }
  const triplet = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  for (const libDir of [`/usr/lib/${triplet}`, '/usr/lib64', '/usr/lib', '/usr/local/lib']) {
    for (const incRoot of ['/usr/include', '/usr/local/include']) {
      if (existsSync(join(incRoot, 'torch', 'csrc', 'api', 'include')) && existsSync(join(libDir, 'libc10.so'))) {
        return withCuda({ source: 'system', includeDirs: includeDirsFor(incRoot), libDir, cxx11Abi: detectCxx11Abi(libDir) });
      }
    }
  }
  return undefined;
}

function withCuda(found) {
  const cuda = existsSync(join(found.libDir, 'libtorch_cuda.so')) && existsSync(join(found.libDir, 'libc10_cuda.so'));
  const libs = ['-ltorch', '-ltorch_cpu', '-lc10', ...(cuda ? ['-ltorch_cuda', '-lc10_cuda'] : [])];
  const version = readVersion(found.includeDirs[found.includeDirs.length - 1].replace(/\/torch\/csrc\/api\/include$/, ''));
  return { ...found, cuda, libs, version };
}

function readVersion(inc) {
  const p = join(inc, 'torch', 'csrc', 'api', 'include', 'torch', 'version.h');
  if (!existsSync(p)) return 'unknown';
  const text = readFileSync(p, 'utf8');
  const m = text.match(/TORCH_VERSION\s+"([^"]+)"/);
  if (m) return m[1];
  const maj = text.match(/TORCH_VERSION_MAJOR\s+(\d+)/), min = text.match(/TORCH_VERSION_MINOR\s+(\d+)/);
  return maj && min ? `${maj[1]}.${min[1]}` : 'unknown';
}

export const INSTALL_HELP = `semifer needs LibTorch (the C++ library of PyTorch). Install one of:
  - Debian/Ubuntu:  sudo apt-get install --no-install-recommends libtorch-dev libgloo-dev libopenblas0-pthread
  - pip:            python3 -m pip install torch   (CPU or CUDA builds both work)
  - or unpack a LibTorch zip from pytorch.org and set LIBTORCH=/path/to/libtorch
then run \`npm rebuild semifer\` (or \`npm install\` again).`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = findLibTorch();
  if (!found) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  const arg = process.argv[2] ?? '--json';
  const out = {
    '--json': () => JSON.stringify(found, null, 2),
    '--include': () => found.includeDirs.join(' '),
    '--libdirs': () => found.libDir,
    '--libs': () => found.libs.join(' '),
    '--defines': () => `_GLIBCXX_USE_CXX11_ABI=${found.cxx11Abi ? 1 : 0}${found.cuda ? ' SEMIFER_WITH_CUDA=1' : ''}`,
    '--rpath': () => `-Wl,-rpath,${found.libDir}`,
  }[arg];
  if (!out) { console.error(`unknown option ${arg}`); process.exit(2); }
  console.log(out());
}
