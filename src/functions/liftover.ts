/**
 * Coordinate lift-over with Picard's `LiftOver` semantics (what Glow uses): an interval lifts when
 * exactly one chain covers at least `minMatchRatio` of its bases; the result spans from the first
 * to the last covered block, mapped through the chain (flipped for a `-` query strand).
 */
import { readChainFile, type Chain, type ChainIndex } from "../io/chain.js";

/** A lifted interval: 0-based half-open, and whether the chain maps to the opposite strand. */
export interface LiftedInterval {
  contigName: string;
  start: number;
  end: number;
  negativeStrand: boolean;
}

function intersect(chain: Chain, start: number, end: number): { length: number; first: number; last: number; startOffset: number; offsetFromEnd: number } | null {
  let length = 0, first = -1, last = -1, startOffset = -1, offsetFromEnd = -1;
  const blocks = chain.blocks;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const bEnd = b.fromStart + b.size;
    if (b.fromStart >= end) break;
    if (bEnd <= start) continue;
    if (first === -1) { first = i; startOffset = b.fromStart > start ? 0 : start - b.fromStart; }
    last = i;
    offsetFromEnd = bEnd > end ? bEnd - end : 0;
    length += Math.min(end, bEnd) - Math.max(start, b.fromStart);
  }
  return first === -1 ? null : { length, first, last, startOffset, offsetFromEnd };
}

/**
 * Lifts `[start, end)` of `contig` (0-based half-open) through the chains.
 * @returns the lifted interval, or null when no chain or more than one chain covers
 *   `minMatchRatio` of the bases (or the interval is empty)
 */
export function liftOverInterval(chains: ChainIndex, contig: string, start: number, end: number, minMatchRatio = 0.95): LiftedInterval | null {
  if (!(end > start)) return null;
  const list = chains.byContig.get(contig);
  if (!list) return null;
  const minMatch = minMatchRatio * (end - start);
  let hit: { chain: Chain; x: NonNullable<ReturnType<typeof intersect>> } | null = null;
  for (const chain of list) {
    if (!(chain.fromStart < end && chain.fromEnd > start)) continue;
    const x = intersect(chain, start, end);
    if (x && x.length >= minMatch) {
      if (hit) return null; // more than one chain: not lifted, as Picard's basic liftOver
      hit = { chain, x };
    }
  }
  if (!hit) return null;
  const { chain, x } = hit;
  let toStart = chain.blocks[x.first]!.toStart + x.startOffset;
  let toEnd = chain.blocks[x.last]!.toStart + chain.blocks[x.last]!.size - x.offsetFromEnd;
  if (toEnd <= toStart || toStart < 0) return null;
  if (chain.toOppositeStrand) { const s = chain.toContigSize - toEnd; toEnd = chain.toContigSize - toStart; toStart = s; }
  return { contigName: chain.toContig, start: toStart, end: toEnd, negativeStrand: chain.toOppositeStrand };
}

/**
 * Glow's `lift_over_coordinates(contigName, start, end, chainFile, minMatchRatio=0.95)` for plain
 * values: `{contigName, start, end}` in the destination assembly, or null when it does not lift.
 * @throws GlowtsError `FILE_NOT_FOUND` / `CHAIN_PARSE` for the chain file
 */
export function liftOverCoordinates(contigName: string, start: number, end: number, chainFile: string, minMatchRatio = 0.95): { contigName: string; start: number; end: number } | null {
  const r = liftOverInterval(readChainFile(chainFile), contigName, start, end, minMatchRatio);
  return r ? { contigName: r.contigName, start: r.start, end: r.end } : null;
}
