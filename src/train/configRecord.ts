/**
 * RUNDIR/config.json: the run's TrainConfig, with its paths made absolute (a
 * relative path meant the cwd of the run, which a later reader does not know),
 * plus recorded metadata. The file is accepted by `semifer train --config`
 * (src/cli/commands/trainConfigFile.ts maps it back to flags), which ignores
 * the metadata keys listed here.
 */
import { resolve } from 'node:path';
import type { TrainConfig } from './config.js';

/** Keys config.json records about the run that are not settings; `--config` ignores them. */
export const RECORDED_METADATA_KEYS = ['command', 'startTime'] as const;

export function recordedConfig(cfg: TrainConfig, command: string | undefined): Record<string, unknown> {
  return {
    ...cfg,
    root: resolve(cfg.root),
    out: resolve(cfg.out),
    cacheDir: resolve(cfg.cacheDir),
    pretrained: cfg.pretrained ? resolve(cfg.pretrained) : cfg.pretrained,
    unlabelled: cfg.unlabelled ? { ...cfg.unlabelled, root: resolve(cfg.unlabelled.root) } : cfg.unlabelled,
    command: command ?? null,
    startTime: new Date().toISOString(),
  };
}
