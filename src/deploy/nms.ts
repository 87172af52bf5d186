/**
 * Greedy non-maximum suppression, as SSD detectors use it: candidates above
 * the score threshold, best first; one is kept unless it overlaps a kept box
 * by IoU > `iouThreshold`. Equal scores keep their input order (a stable
 * sort), so the result is deterministic.
 */
export interface ScoredBox {
  /** Corners in any one unit: [y0, x0, y1, x1] (either order of each pair). */
  box: readonly [number, number, number, number];
  score: number;
}

export function iou(a: ScoredBox['box'], b: ScoredBox['box']): number {
  const [ay0, ay1] = a[0] < a[2] ? [a[0], a[2]] : [a[2], a[0]];
  const [ax0, ax1] = a[1] < a[3] ? [a[1], a[3]] : [a[3], a[1]];
  const [by0, by1] = b[0] < b[2] ? [b[0], b[2]] : [b[2], b[0]];
  const [bx0, bx1] = b[1] < b[3] ? [b[1], b[3]] : [b[3], b[1]];
  const areaA = (ay1 - ay0) * (ax1 - ax0), areaB = (by1 - by0) * (bx1 - bx0);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter = Math.max(Math.min(ay1, by1) - Math.max(ay0, by0), 0) * Math.max(Math.min(ax1, bx1) - Math.max(ax0, bx0), 0);
  return inter / (areaA + areaB - inter);
}

/** Indices into `boxes` of the kept ones, best first. */
export function nonMaxSuppression(boxes: readonly ScoredBox[], o: { scoreThreshold: number; iouThreshold: number; maxResults: number }): number[] {
  const order = boxes.map((_, i) => i).filter((i) => boxes[i]!.score > o.scoreThreshold).sort((i, j) => boxes[j]!.score - boxes[i]!.score);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= o.maxResults) break;
    if (kept.every((k) => iou(boxes[i]!.box, boxes[k]!.box) <= o.iouThreshold)) kept.push(i);
  }
  return kept;
}
