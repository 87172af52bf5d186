/** Atomic file writes: write a temporary sibling, then rename over the target, so readers never see half a file. */
import { rename, rm, writeFile } from 'node:fs/promises';

export function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPath(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
