/** Distributed training's defaults, in a light module the CLI's option list can import without LibTorch. */

/** torchrun's (and c10d's) default collective timeout is 30 minutes; a dead peer is noticed at once, a hung one after this. */
export const DEFAULT_DIST_TIMEOUT_S = 1800;
