/**
 * Turns a VCF partition (a byte range of a plain file, a block range of a BGZF file, a list of
 * tabix chunks, or a whole gzip file) into decompressed text plus the rule that says which lines
 * belong to it. Thin adapter over files; the decoding itself is in `decoder.ts`.
 *
 * Line ownership for byte/block ranges (as Hadoop's line reader): a partition owns the lines that
 * *start* in `(start, end]` of the (decompressed) stream, or `[0, end]` for the first partition.
 * So every partition but the first skips its first (possibly partial) line, and the last line it
 * owns is completed by reading past its end. Neighbouring partitions agree without knowing where
 * lines start. For tabix chunks (which start at record starts), a chunk owns the lines starting in
 * `[beg, end)`.
 */
import { gunzipSync } from "node:zlib";
import { GlowtsError } from "../../core/errors.js";
import { RandomAccessFile, readWhole } from "../files.js";
import { BgzfReader, formatVirtualOffset, virtualOffset } from "../bgzf.js";

/** Decompressed text and the lines of it that a partition owns. */
export interface TextSegment {
  text: Uint8Array;
  /** Position of the first owned line. */
  from: number;
  /** Owned lines start before this position. */
  limit: number;
  /** 1-based line number of the line at position 0 when the text starts at the file start, else -1. */
  firstLineNumber: number;
  /** Describes a position of `text` (for errors when line numbers are unknown). */
  locate: (pos: number) => string;
}

const NL = 10;
const CONTINUATION_READ = 1 << 16;

/** Index of the first newline at or after `from`, or -1. */
function newlineFrom(t: Uint8Array, from: number): number {
  return from >= t.length ? -1 : t.indexOf(NL, Math.max(0, from));
}

/** Bytes `[start, end)` of a plain-text file plus the completion of its last line. */
export function plainSegment(file: string, start: number, end: number): TextSegment {
  const raf = new RandomAccessFile(file);
  try {
    const main = raf.read(start, Math.max(0, end - start));
    const parts: Uint8Array[] = [main];
    let at = start + main.length;
    // Read on until a newline at or after position main.length (it ends the last owned line).
    while (at < raf.size) {
      const more = raf.read(at, CONTINUATION_READ);
      if (more.length === 0) break;
      const nl = more.indexOf(NL);
      if (nl >= 0) { parts.push(more.subarray(0, nl + 1)); break; }
      parts.push(more);
      at += more.length;
    }
    const text = parts.length === 1 ? main : concat(parts);
    const limit = main.length + 1;
    let from = 0;
    if (start > 0) {
      const nl = newlineFrom(text, 0);
      from = nl < 0 ? text.length : nl + 1;
    }
    return { text, from, limit, firstLineNumber: start === 0 ? 1 : -1, locate: (pos) => `line at byte offset ${start + pos}` };
  } finally {
    raf.close();
  }
}

/** A whole gzip (non-blocked) file, decompressed. */
export async function gzipSegment(file: string): Promise<TextSegment> {
  const raw = await readWhole(file);
  let text: Uint8Array;
  try {
    text = gunzipSync(raw);
  } catch (e) {
    throw new GlowtsError("GZIP_FORMAT", `cannot decompress gzip file (${e instanceof Error ? e.message : String(e)})`, { file });
  }
  return { text, from: 0, limit: text.length + 1, firstLineNumber: 1, locate: (pos) => `byte ${pos} of the decompressed data` };
}

interface BlockTable {
  coffsets: number[];
  ustarts: number[];
}

function locateIn(table: BlockTable): (pos: number) => string {
  return (pos) => {
    const { coffsets, ustarts } = table;
    let lo = 0;
    let hi = ustarts.length - 1;
    if (hi < 0) return `byte ${pos}`;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ustarts[mid]! <= pos) lo = mid; else hi = mid - 1;
    }
    return `line at virtual offset ${formatVirtualOffset(virtualOffset(coffsets[lo]!, pos - ustarts[lo]!))}`;
  };
}

/**
 * The blocks starting in `[cStart, cEnd)` of a BGZF file (block boundaries), plus the blocks after
 * it up to the newline that ends the last owned line.
 */
export function bgzfRangeSegment(file: string, cStart: number, cEnd: number): TextSegment {
  const reader = new BgzfReader(file);
  try {
    const main = reader.inflateRange(cStart, cEnd);
    const parts: Uint8Array[] = [main.data];
    const table: BlockTable = { coffsets: main.coffsets.slice(), ustarts: main.ustarts.slice() };
    let total = main.data.length;
    if (cEnd < reader.size) {
      for (const blk of reader.blocksFrom(cEnd)) {
        table.coffsets.push(blk.coffset);
        table.ustarts.push(total);
        parts.push(blk.data);
        total += blk.data.length;
        if (blk.data.indexOf(NL) >= 0) break;
      }
    }
    const text = parts.length === 1 ? main.data : concat(parts, total);
    const limit = main.data.length + 1;
    let from = 0;
    if (cStart > 0) {
      const nl = newlineFrom(text, 0);
      from = nl < 0 ? text.length : nl + 1;
    }
    const locate = locateIn(table);
    return { text, from, limit, firstLineNumber: cStart === 0 ? 1 : -1, locate };
  } finally {
    reader.close();
  }
}

/**
 * The text of one tabix chunk `[beg, end)` (virtual offsets): the blocks from `beg`'s block through
 * `end`'s block, plus what completes the last owned line.
 * @throws GlowtsError `TABIX_FORMAT` when the chunk does not match the file's blocks
 */
export function bgzfChunkSegment(file: string, beg: number, end: number): TextSegment {
  const c0 = Math.floor(beg / 65536);
  const u0 = beg - c0 * 65536;
  const c1 = Math.floor(end / 65536);
  const u1 = end - c1 * 65536;
  const reader = new BgzfReader(file);
  try {
    const parts: Uint8Array[] = [];
    const table: BlockTable = { coffsets: [], ustarts: [] };
    let total = 0;
    let limit = -1;
    let next = c0;
    const badChunk = (why: string): GlowtsError =>
      new GlowtsError("TABIX_FORMAT", `tabix chunk ${formatVirtualOffset(beg)}-${formatVirtualOffset(end)} does not match the file (${why}); is the .tbi stale?`, { file });
    for (const blk of reader.blocksFrom(c0)) {
      if (blk.coffset > c1) throw badChunk("no block starts at the chunk end");
      table.coffsets.push(blk.coffset);
      table.ustarts.push(total);
      parts.push(blk.data);
      next = blk.next;
      if (blk.coffset === c1) {
        if (u1 > blk.data.length) throw badChunk("chunk end beyond its block");
        limit = total + u1;
        total += blk.data.length;
        break;
      }
      total += blk.data.length;
    }
    if (limit < 0) {
      if (c1 >= reader.size || next >= reader.size) limit = total;
      else throw badChunk("chunk end not reached");
    }
    if (parts.length === 0 || u0 > parts[0]!.length) throw badChunk("chunk start beyond its block");
    // Complete the last owned line.
    let text = concat(parts, total);
    if (limit > u0 && newlineFrom(text, limit - 1) < 0 && next < reader.size) {
      for (const blk of reader.blocksFrom(next)) {
        table.coffsets.push(blk.coffset);
        table.ustarts.push(total);
        parts.push(blk.data);
        total += blk.data.length;
        if (blk.data.indexOf(NL) >= 0) break;
      }
      text = concat(parts, total);
    }
    return { text, from: u0, limit, firstLineNumber: -1, locate: locateIn(table) };
  } finally {
    reader.close();
  }
}

function concat(parts: Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const n = total ?? parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Calls `onLine(a, b, lineNumber)` for each owned non-empty line of a segment (`\r\n` handled). */
export function forEachLine(seg: TextSegment, onLine: (t: Uint8Array, a: number, b: number, lineNo: number) => void): void {
  const t = seg.text;
  let p = seg.from;
  let lineNo = seg.firstLineNumber;
  const stop = Math.min(seg.limit, t.length);
  while (p < stop) {
    let nl = t.indexOf(NL, p);
    if (nl < 0) nl = t.length;
    let e = nl;
    if (e > p && t[e - 1] === 13) e--;
    if (e > p) onLine(t, p, e, lineNo);
    if (lineNo > 0) lineNo++;
    p = nl + 1;
  }
}
