/** Options every reader accepts. */
export interface BaseReaderOptions {
  /**
   * Check that every referenced image exists on disk (default true). A missing
   * image is a Problem and the entry is skipped. Turn off for label-only work
   * (split files, counts) on a machine without the images.
   */
  checkImages?: boolean;
}

/** A 7- or 8-class task (8 adds contempt). */
export type ClassCount = 7 | 8;
