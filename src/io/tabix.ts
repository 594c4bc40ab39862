/**
 * Tabix indexes (`.tbi`, samtools/htslib "Tabix" specification): a BGZF-compressed binary index of
 * a sorted, BGZF-compressed text file. Per reference sequence it stores a UCSC binning index (bins
 * of 2^14..2^29 bases, each with a list of virtual-offset chunks) and a linear index (the smallest
 * virtual offset of a record overlapping each 16 kb window).
 *
 * Pure decoding ({@link parseTabixIndex}, {@link decodeTabixIndex}) and querying
 * ({@link tabixChunks}, {@link reg2bins}) over bytes, plus the file adapter {@link readTabixIndex}.
 */
import { gunzipSync } from "node:zlib";
import { GlowtsError } from "../core/errors.js";
import { readWhole } from "./files.js";

/** A range of virtual offsets `[beg, end)` in the indexed BGZF file. */
export interface TabixChunk {
  beg: number;
  end: number;
}

/** The index of one reference sequence. */
export interface TabixReference {
  /** Bin number → chunks (the pseudo-bin 37450 with the metadata is dropped). */
  bins: Map<number, TabixChunk[]>;
  /** Linear index: smallest virtual offset of a record overlapping each 16 kb window. */
  linear: number[];
}

/** A decoded `.tbi` file. */
export interface TabixIndex {
  /** 0 generic, 1 SAM, 2 VCF (low 16 bits), 0x10000 = UCSC zero-based coordinates. */
  format: number;
  /** 1-based columns of the sequence name, start and end. */
  colSeq: number;
  colBeg: number;
  colEnd: number;
  /** Comment character (`#` for VCF). */
  meta: string;
  /** Lines to skip at the start of the file. */
  skip: number;
  /** Reference sequence names, in index order. */
  names: string[];
  refs: TabixReference[];
  /** Number of unplaced records, when present. */
  nNoCoordinate?: number | undefined;
}

const MIN_SHIFT = 14;
const DEPTH = 5;
const PSEUDO_BIN = 37450;
/** Largest coordinate a tabix (non-CSI) index covers. */
export const TABIX_MAX_POSITION = 2 ** 29;

class Cursor {
  p = 0;
  constructor(readonly b: Uint8Array) {}
  need(n: number, what: string): void {
    if (n < 0 || this.p + n > this.b.length) throw new GlowtsError("TABIX_FORMAT", `truncated tabix index (reading ${what})`, { record: `byte ${this.p}` });
  }
  i32(what: string): number {
    this.need(4, what);
    const b = this.b, p = this.p;
    this.p += 4;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }
  u32(what: string): number {
    return this.i32(what) >>> 0;
  }
  u64(what: string): number {
    const lo = this.u32(what);
    const hi = this.u32(what);
    if (hi >= 2 ** 21) throw new GlowtsError("TABIX_FORMAT", `virtual offset too large (${what})`, { record: `byte ${this.p - 8}` });
    return hi * 2 ** 32 + lo;
  }
  count(what: string, minBytesEach: number): number {
    const n = this.i32(what);
    if (n < 0 || n * minBytesEach > this.b.length - this.p) {
      throw new GlowtsError("TABIX_FORMAT", `invalid ${what} count ${n}`, { record: `byte ${this.p - 4}` });
    }
    return n;
  }
}

/**
 * Decodes the decompressed bytes of a `.tbi` file.
 * @throws GlowtsError `TABIX_FORMAT` on a bad magic, a truncated file or inconsistent counts
 */
export function parseTabixIndex(bytes: Uint8Array): TabixIndex {
  if (bytes.length < 4 || bytes[0] !== 0x54 || bytes[1] !== 0x42 || bytes[2] !== 0x49 || bytes[3] !== 1) {
    throw new GlowtsError("TABIX_FORMAT", "not a tabix index (magic TBI\\1 missing)");
  }
  const c = new Cursor(bytes);
  c.p = 4;
  const nRef = c.count("n_ref", 8);
  const format = c.i32("format");
  const colSeq = c.i32("col_seq");
  const colBeg = c.i32("col_beg");
  const colEnd = c.i32("col_end");
  const meta = String.fromCharCode(c.i32("meta") & 0xff);
  const skip = c.i32("skip");
  const lNm = c.count("l_nm", 1);
  c.need(lNm, "names");
  const names: string[] = [];
  let s = c.p;
  for (let i = c.p; i < c.p + lNm; i++) {
    if (bytes[i] === 0) {
      names.push(new TextDecoder().decode(bytes.subarray(s, i)));
      s = i + 1;
    }
  }
  c.p += lNm;
  if (names.length !== nRef) throw new GlowtsError("TABIX_FORMAT", `tabix index lists ${names.length} names for ${nRef} references`);
  const refs: TabixReference[] = [];
  for (let r = 0; r < nRef; r++) {
    const nBin = c.count("n_bin", 8);
    const bins = new Map<number, TabixChunk[]>();
    for (let i = 0; i < nBin; i++) {
      const bin = c.u32("bin");
      const nChunk = c.count("n_chunk", 16);
      const chunks: TabixChunk[] = new Array(nChunk);
      for (let j = 0; j < nChunk; j++) {
        const beg = c.u64("chunk_beg");
        const end = c.u64("chunk_end");
        chunks[j] = { beg, end };
      }
      if (bin !== PSEUDO_BIN) {
        const prev = bins.get(bin);
        bins.set(bin, prev ? prev.concat(chunks) : chunks);
      }
    }
    const nIntv = c.count("n_intv", 8);
    const linear: number[] = new Array(nIntv);
    for (let i = 0; i < nIntv; i++) linear[i] = c.u64("ioff");
    refs.push({ bins, linear });
  }
  let nNoCoordinate: number | undefined;
  if (c.p + 8 <= bytes.length) nNoCoordinate = c.u64("n_no_coor");
  return { format, colSeq, colBeg, colEnd, meta, skip, names, refs, nNoCoordinate };
}

/**
 * Decodes a `.tbi` file's raw (BGZF-compressed) bytes.
 * @throws GlowtsError `TABIX_FORMAT` when the bytes cannot be decompressed or decoded
 */
export function decodeTabixIndex(raw: Uint8Array): TabixIndex {
  let bytes: Uint8Array;
  try {
    bytes = gunzipSync(raw);
  } catch (e) {
    throw new GlowtsError("TABIX_FORMAT", `cannot decompress tabix index (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseTabixIndex(bytes);
}

/**
 * Reads and decodes a `.tbi` file.
 * @throws GlowtsError `FILE_NOT_FOUND` or `TABIX_FORMAT` (naming the file)
 */
export async function readTabixIndex(path: string): Promise<TabixIndex> {
  const raw = await readWhole(path);
  try {
    return decodeTabixIndex(raw);
  } catch (e) {
    if (e instanceof GlowtsError) throw new GlowtsError(e.code, e.rawMessage, { file: path, record: e.record });
    throw e;
  }
}

/**
 * The bins that may hold records overlapping the 0-based half-open interval `[beg, end)`
 * (UCSC binning scheme with min_shift 14 and depth 5, as in the SAM specification §5.3).
 */
export function reg2bins(beg: number, end: number): number[] {
  const out: number[] = [];
  let b = Math.max(0, Math.floor(beg));
  let e = Math.min(TABIX_MAX_POSITION, Math.ceil(end));
  if (e <= b) return out;
  e -= 1;
  let t = 0;
  let s = MIN_SHIFT + DEPTH * 3;
  for (let l = 0; l <= DEPTH; l++) {
    const from = t + (b >> s);
    const to = t + (e >> s);
    for (let k = from; k <= to; k++) out.push(k);
    t += 1 << (l * 3);
    s -= 3;
  }
  return out;
}

/**
 * The chunks of the indexed file that may hold records of `contig` overlapping `[beg, end)`
 * (0-based, half-open), sorted and merged: chunks that overlap, touch or end and start in the same
 * BGZF block become one. Chunks that end before the linear index's smallest offset for `beg` are
 * dropped.
 * @returns an empty list when the contig is not in the index or the interval is empty
 */
export function tabixChunks(index: TabixIndex, contig: string, beg = 0, end = TABIX_MAX_POSITION): TabixChunk[] {
  const r = index.names.indexOf(contig);
  if (r < 0) return [];
  const ref = index.refs[r]!;
  const b = Math.max(0, Math.floor(beg));
  const bins = reg2bins(b, end);
  if (bins.length === 0) return [];
  const w = b >> MIN_SHIFT;
  const minOff = ref.linear.length === 0 ? 0 : ref.linear[Math.min(w, ref.linear.length - 1)]!;
  const found: TabixChunk[] = [];
  for (const bin of bins) {
    const chunks = ref.bins.get(bin);
    if (!chunks) continue;
    for (const c of chunks) if (c.end > minOff && c.end > c.beg) found.push({ beg: c.beg, end: c.end });
  }
  return mergeChunks(found);
}

/** Sorts chunks by start and merges those that overlap, touch, or meet inside one BGZF block. */
export function mergeChunks(chunks: TabixChunk[]): TabixChunk[] {
  const sorted = chunks.map((c) => ({ beg: c.beg, end: c.end })).sort((x, y) => x.beg - y.beg || x.end - y.end);
  const out: TabixChunk[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && (c.beg <= last.end || Math.floor(last.end / 65536) === Math.floor(c.beg / 65536))) {
      if (c.end > last.end) last.end = c.end;
    } else {
      out.push(c);
    }
  }
  return out;
}
