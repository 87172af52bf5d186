/**
 * The backbone names `--model` takes: semifer's own, then the catalog's
 * face-pretrained graphs. A light module (no LibTorch), so the CLI's option
 * list can import it without loading the engine.
 */
import { PRETRAINED_BACKBONES } from './pretrained/catalog.js';

export const BUILTIN_ARCHS = ['resnet18', 'resnet50', 'small', 'wrn28-2'] as const;
export type BuiltinArch = (typeof BUILTIN_ARCHS)[number];
export type GraphArch = (typeof PRETRAINED_BACKBONES)[number]['name'];
export type Arch = BuiltinArch | GraphArch;
export const ARCHS: readonly Arch[] = [...BUILTIN_ARCHS, ...PRETRAINED_BACKBONES.map((p) => p.name)];
