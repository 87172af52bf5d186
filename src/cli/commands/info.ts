/**
 * `semifer info`: versions and the compute environment, for bug reports and
 * to check an install. The LibTorch addon is loaded here (lazily), so a broken
 * native build shows up as a clear line and exit code 1, not a crash.
 */
import { availableParallelism } from 'node:os';
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { semiferVersion } from '../version.js';

interface TorchInfo {
  ok: boolean;
  version?: string;
  threads?: number;
  cudaAvailable?: boolean;
  cudaDevices?: number;
  mkldnn?: boolean;
  error?: string;
}

export const infoCommand = defineCommand({
  name: 'info',
  summary: 'Show versions, threads and CUDA availability',
  usage: 'semifer info [--json]',
  examples: ['semifer info', 'semifer info --json'],
  options: [],
  async run(ctx) {
    const torch = await torchInfo();
    const sharp = await sharpInfo();
    const doc = {
      semifer: semiferVersion(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: availableParallelism(),
      torch,
      sharp,
    };
    if (ctx.json) ctx.printJson(doc);
    else {
      const s = ctx.style;
      const rows: [string, string][] = [
        ['semifer', doc.semifer],
        ['node', `${doc.node} (${doc.platform})`],
        ['cpu cores', String(doc.cpus)],
        ['LibTorch', torch.ok ? `${torch.version}${torch.mkldnn ? ' (oneDNN)' : ''}` : s.red(`not available: ${torch.error}`)],
      ];
      if (torch.ok) {
        rows.push(['threads', String(torch.threads)]);
        rows.push(['CUDA', torch.cudaAvailable ? s.green(`available, ${torch.cudaDevices} device(s)`) : 'not available (CPU only)']);
      }
      rows.push(['sharp', sharp.ok ? `${sharp.version} (libvips ${sharp.vips})` : s.red(`not available: ${sharp.error}`)]);
      ctx.print(rows.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n'));
    }
    return torch.ok ? EXIT.OK : EXIT.FAILURE;
  },
});

async function torchInfo(): Promise<TorchInfo> {
  try {
    const t = await import('../../torch/index.js');
    const r = t.runtimeInfo();
    return { ok: true, version: r.torchVersion, threads: r.numThreads, cudaAvailable: r.cudaAvailable, cudaDevices: r.cudaDeviceCount, mkldnn: r.mkldnn };
  } catch (err) {
    return { ok: false, error: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  }
}

async function sharpInfo(): Promise<{ ok: boolean; version?: string; vips?: string; error?: string }> {
  try {
    const sharp = (await import('sharp')).default;
    const v = sharp.versions as { vips: string; sharp?: string };
    return { ok: true, version: v.sharp ?? 'unknown', vips: v.vips };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
