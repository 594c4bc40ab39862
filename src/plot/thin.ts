/**
 * Deterministic thinning of scatter points so that plots of a million variants stay small: every
 * point at or above a threshold is kept; below it, the plane is cut into a grid and one point per
 * occupied cell is kept (the one whose index hashes lowest, so the kept points look like a random
 * subsample but the same input always gives the same picture).
 */

/** A 32-bit integer hash of an index (Wang/Jenkins mix): the deterministic "random" order. */
export function hashIndex(i: number): number {
  let h = (i ^ 61) ^ (i >>> 16);
  h = (h + (h << 3)) | 0;
  h ^= h >>> 4;
  h = Math.imul(h, 0x27d4eb2d);
  h ^= h >>> 15;
  return h >>> 0;
}

export interface ThinOptions {
  /** Points with y ≥ this are all kept. */
  keepAbove: number;
  /** Grid cells along x and y (below the threshold). */
  bins: readonly [number, number];
  /** x range of the grid. */
  xDomain: readonly [number, number];
  /** Cap on the points kept above the threshold (the threshold rises to meet it). @defaultValue Infinity */
  maxAbove?: number | undefined;
}

export interface ThinResult {
  /** Indices of the kept points, ascending. */
  indices: Uint32Array;
  /** The threshold actually used (raised when more than `maxAbove` points were above it). */
  threshold: number;
  /** Points kept because they are at or above the threshold. */
  above: number;
}

/**
 * Thins points (x[i], y[i]); indices where `valid[i]` is 0 (or x/y NaN) are dropped.
 * @returns kept indices in ascending order
 */
export function thinPoints(x: ArrayLike<number>, y: ArrayLike<number>, options: ThinOptions): ThinResult {
  const n = x.length;
  let threshold = options.keepAbove;
  const maxAbove = options.maxAbove ?? Infinity;
  let aboveCount = 0;
  for (let i = 0; i < n; i++) if (y[i]! >= threshold) aboveCount++;
  if (aboveCount > maxAbove) {
    const ys = new Float64Array(aboveCount);
    let k = 0;
    for (let i = 0; i < n; i++) if (y[i]! >= threshold) ys[k++] = y[i]!;
    ys.sort();
    threshold = ys[aboveCount - Math.floor(maxAbove)]!;
    // keep strictly more only when ties straddle the cut
    if (!(threshold > options.keepAbove)) threshold = options.keepAbove;
  }
  const [bx, by] = options.bins;
  const [x0, x1] = options.xDomain;
  const xs = bx / (x1 - x0 || 1);
  const ys = threshold > 0 && Number.isFinite(threshold) ? by / threshold : 0;
  const cellBest = new Map<number, number>(); // cell → index with the lowest hash
  const keep: number[] = [];
  let above = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (Number.isNaN(xi) || Number.isNaN(yi)) continue;
    if (yi >= threshold) { keep.push(i); above++; continue; }
    const cx = Math.min(bx - 1, Math.max(0, Math.floor((xi - x0) * xs)));
    const cy = Math.min(by - 1, Math.max(0, Math.floor(yi * ys)));
    const cell = cx * by + cy;
    const prev = cellBest.get(cell);
    if (prev === undefined || hashIndex(i) < hashIndex(prev)) cellBest.set(cell, i);
  }
  for (const i of cellBest.values()) keep.push(i);
  const indices = Uint32Array.from(keep).sort();
  return { indices, threshold, above };
}
