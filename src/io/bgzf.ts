/**
 * BGZF (blocked gzip, SAM/VCF specification §4.1): a gzip file made of independent gzip members of
 * at most 64 KiB each, whose header carries the member's compressed size in a `BC` extra subfield.
 * Positions inside a BGZF file are *virtual offsets*: `coffset * 65536 + uoffset`, where `coffset`
 * is the file offset of a block and `uoffset` an offset inside its decompressed data.
 *
 * The first part of this module is pure (bytes in, bytes out: block headers, block decoding, block
 * encoding, virtual offsets); the second part is a thin file adapter ({@link BgzfReader},
 * {@link listBgzfBlocks}, {@link findBgzfBlock}). Readers of BGZF-compressed formats (VCF, GFF,
 * tabix/CSI indexes, FASTA) share it.
 *
 * Virtual offsets are JS numbers: exact for files below 2^37 bytes (128 GiB).
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import * as zlib from "node:zlib";
import { GlowtsError } from "../core/errors.js";
import { RandomAccessFile } from "./files.js";

/** Largest decompressed (and compressed) size of one BGZF block. */
export const BGZF_MAX_BLOCK_SIZE = 65536;
/** Uncompressed bytes per block written by {@link compressBgzf} (bgzip's choice). */
export const BGZF_DEFAULT_BLOCK_DATA = 0xff00;
/** The 28-byte empty block that terminates a BGZF file. */
export const BGZF_EOF: Uint8Array = Uint8Array.of(
  0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
);

/** The parsed fixed part of a BGZF block header. */
export interface BgzfBlockHeader {
  /** Bytes before the deflate payload (12 + XLEN; 18 for bgzip output). */
  headerLength: number;
  /** Total size of the block on disk (BSIZE + 1), header and trailer included. */
  blockSize: number;
}

/** One decompressed block. */
export interface BgzfBlock {
  /** File offset of the block (compressed). */
  coffset: number;
  /** Decompressed data (at most 64 KiB). */
  data: Uint8Array;
}

/** Several consecutive blocks decompressed into one buffer. */
export interface InflatedBlocks {
  /** The decompressed data of all blocks, concatenated. */
  data: Uint8Array;
  /** File offset of each block. */
  coffsets: number[];
  /** Position in `data` where each block's data starts. */
  ustarts: number[];
  /** Bytes of the input consumed (end of the last complete block, relative to the input start). */
  consumed: number;
}

/** Kind of compression detected from a file's first bytes. */
export type Compression = "bgzf" | "gzip" | "none";

const crc32: ((data: Uint8Array) => number) | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === "function" ? (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32 : undefined;

/**
 * Parses the BGZF block header at `at`.
 * @returns the header, or null when the bytes there are not a complete, plausible BGZF header
 *   (gzip magic, deflate method, FLG = FEXTRA only, a `BC` subfield whose BSIZE covers header and trailer)
 */
export function parseBgzfHeader(bytes: Uint8Array, at: number): BgzfBlockHeader | null {
  if (at < 0 || at + 18 > bytes.length) return null;
  if (bytes[at] !== 0x1f || bytes[at + 1] !== 0x8b || bytes[at + 2] !== 8 || bytes[at + 3] !== 4) return null;
  const xlen = bytes[at + 10]! | (bytes[at + 11]! << 8);
  const xEnd = at + 12 + xlen;
  if (xEnd > bytes.length) return null;
  let p = at + 12;
  while (p + 4 <= xEnd) {
    const slen = bytes[p + 2]! | (bytes[p + 3]! << 8);
    if (bytes[p] === 66 && bytes[p + 1] === 67 && slen === 2 && p + 6 <= xEnd) {
      const blockSize = (bytes[p + 4]! | (bytes[p + 5]! << 8)) + 1;
      const headerLength = 12 + xlen;
      if (blockSize < headerLength + 8) return null;
      return { headerLength, blockSize };
    }
    p += 4 + slen;
  }
  return null;
}

/** Detects BGZF, plain gzip or no compression from a file's first bytes (at least 18 for BGZF). */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return parseBgzfHeader(head, 0) ? "bgzf" : "gzip";
  return "none";
}

/** True when `bytes` starts with a BGZF block header. */
export function isBgzf(bytes: Uint8Array): boolean {
  return parseBgzfHeader(bytes, 0) !== null;
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function blockError(message: string, coffset: number): GlowtsError {
  return new GlowtsError("BGZF_FORMAT", message, { record: `BGZF block at offset ${coffset}` });
}

/**
 * Decompresses the BGZF block starting at `at` and checks its ISIZE and CRC32.
 * @param coffset file offset of the block, for error messages (default `at`)
 * @throws GlowtsError `BGZF_FORMAT` when the header is invalid, the block is truncated or corrupt
 */
export function inflateBgzfBlock(bytes: Uint8Array, at: number, coffset = at): Uint8Array {
  const h = parseBgzfHeader(bytes, at);
  if (!h) throw blockError("not a BGZF block header", coffset);
  if (at + h.blockSize > bytes.length) throw blockError("truncated BGZF block", coffset);
  const end = at + h.blockSize;
  const crc = u32le(bytes, end - 8);
  const isize = u32le(bytes, end - 4);
  if (isize > BGZF_MAX_BLOCK_SIZE) throw blockError(`BGZF block declares ${isize} decompressed bytes (max 65536)`, coffset);
  const payload = bytes.subarray(at + h.headerLength, end - 8);
  let out: Uint8Array;
  try {
    out = inflateRawSync(payload, { maxOutputLength: BGZF_MAX_BLOCK_SIZE });
  } catch (e) {
    throw blockError(`corrupt BGZF block (${e instanceof Error ? e.message : String(e)})`, coffset);
  }
  if (out.length !== isize) throw blockError(`BGZF block decompressed to ${out.length} bytes, header says ${isize}`, coffset);
  if (crc32 && crc32(out) !== crc) throw blockError("BGZF block CRC32 mismatch", coffset);
  return out;
}

/**
 * Offsets of the complete BGZF blocks at the start of `bytes` (walking BSIZE from offset 0).
 * @param base file offset of `bytes[0]`, added to the returned offsets
 * @returns `offsets` of the blocks and `end`, the offset just past the last complete block
 * @throws GlowtsError `BGZF_FORMAT` when a complete header is not a BGZF header
 */
export function scanBgzfBlocks(bytes: Uint8Array, base = 0): { offsets: number[]; end: number } {
  const offsets: number[] = [];
  let p = 0;
  while (p + 18 <= bytes.length) {
    const h = parseBgzfHeader(bytes, p);
    if (!h) throw blockError("not a BGZF block header", base + p);
    if (p + h.blockSize > bytes.length) break;
    offsets.push(base + p);
    p += h.blockSize;
  }
  return { offsets, end: base + p };
}

/**
 * Decompresses every complete block at the start of `bytes` into one buffer.
 * @param base file offset of `bytes[0]`
 * @throws GlowtsError `BGZF_FORMAT` on a corrupt block
 */
export function inflateBgzfBlocks(bytes: Uint8Array, base = 0): InflatedBlocks {
  const parts: Uint8Array[] = [];
  const coffsets: number[] = [];
  const ustarts: number[] = [];
  let total = 0;
  let p = 0;
  while (p + 18 <= bytes.length) {
    const h = parseBgzfHeader(bytes, p);
    if (!h) throw blockError("not a BGZF block header", base + p);
    if (p + h.blockSize > bytes.length) break;
    const data = inflateBgzfBlock(bytes, p, base + p);
    coffsets.push(base + p);
    ustarts.push(total);
    parts.push(data);
    total += data.length;
    p += h.blockSize;
  }
  return { data: concatBytes(parts, total), coffsets, ustarts, consumed: p };
}

/** Encodes one BGZF block holding `data` (at most {@link BGZF_DEFAULT_BLOCK_DATA} bytes is safe). */
export function encodeBgzfBlock(data: Uint8Array, level = 6): Uint8Array {
  if (data.length > BGZF_MAX_BLOCK_SIZE) throw new GlowtsError("BGZF_FORMAT", `BGZF block data too large (${data.length} bytes)`);
  let payload: Uint8Array = deflateRawSync(data, { level });
  if (payload.length + 26 > BGZF_MAX_BLOCK_SIZE) payload = deflateRawSync(data, { level: 0 });
  if (payload.length + 26 > BGZF_MAX_BLOCK_SIZE) throw new GlowtsError("BGZF_FORMAT", "BGZF block does not fit in 64 KiB");
  const out = new Uint8Array(payload.length + 26);
  out.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0], 0);
  const bsize = out.length - 1;
  out[16] = bsize & 0xff;
  out[17] = bsize >>> 8;
  out.set(payload, 18);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const crc = crc32 ? crc32(data) : crc32Fallback(data);
  dv.setUint32(out.length - 8, crc >>> 0, true);
  dv.setUint32(out.length - 4, data.length, true);
  return out;
}

/**
 * Compresses `data` as a BGZF file: blocks of `blockData` uncompressed bytes plus the EOF block.
 * @param blockData uncompressed bytes per block @defaultValue 65280 (as bgzip)
 */
export function compressBgzf(data: Uint8Array, blockData = BGZF_DEFAULT_BLOCK_DATA, level = 6): Uint8Array {
  if (!(blockData >= 1 && blockData <= BGZF_DEFAULT_BLOCK_DATA)) {
    throw new GlowtsError("OPTION", `compressBgzf: blockData must be in 1..${BGZF_DEFAULT_BLOCK_DATA}`, { option: "blockData" });
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < data.length; i += blockData) {
    const b = encodeBgzfBlock(data.subarray(i, Math.min(data.length, i + blockData)), level);
    parts.push(b);
    total += b.length;
  }
  parts.push(BGZF_EOF);
  return concatBytes(parts, total + BGZF_EOF.length);
}

let crcTable: Int32Array | undefined;
function crc32Fallback(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** `coffset * 65536 + uoffset`. */
export function virtualOffset(coffset: number, uoffset: number): number {
  return coffset * 65536 + uoffset;
}

/** Splits a virtual offset into `[coffset, uoffset]`. */
export function splitVirtualOffset(v: number): [number, number] {
  const c = Math.floor(v / 65536);
  return [c, v - c * 65536];
}

/** `coffset:uoffset`, the usual way to print a virtual offset. */
export function formatVirtualOffset(v: number): string {
  const [c, u] = splitVirtualOffset(v);
  return `${c}:${u}`;
}

/** Concatenates byte arrays (`total` may be given when known). */
export function concatBytes(parts: Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1 && (total === undefined || parts[0]!.length === total)) return parts[0]!;
  const n = total ?? parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// ------------------------------------------------------------------------------ file adapters

/**
 * Sequential and ranged access to the blocks of a BGZF file. Call `close()` when done.
 */
export class BgzfReader {
  readonly size: number;
  private readonly raf: RandomAccessFile;

  constructor(readonly file: string) {
    this.raf = new RandomAccessFile(file);
    this.size = this.raf.size;
  }

  /**
   * Decompresses the blocks starting in `[cStart, cEnd)` (`cStart` must be a block start).
   * @throws GlowtsError `BGZF_FORMAT` when the range does not end on a block boundary or a block is corrupt
   */
  inflateRange(cStart: number, cEnd: number): InflatedBlocks {
    const end = Math.min(cEnd, this.size);
    if (end <= cStart) return { data: new Uint8Array(0), coffsets: [], ustarts: [], consumed: 0 };
    const bytes = this.raf.read(cStart, end - cStart);
    const r = withFile(() => inflateBgzfBlocks(bytes, cStart), this.file);
    if (r.consumed !== bytes.length) {
      throw new GlowtsError("BGZF_FORMAT", "truncated BGZF block (the range does not end on a block boundary)", {
        file: this.file, record: `BGZF block at offset ${cStart + r.consumed}`,
      });
    }
    return r;
  }

  /** Reads and decompresses the one block at `coffset`; returns null at end of file. */
  block(coffset: number): (BgzfBlock & { next: number }) | null {
    if (coffset >= this.size) return null;
    const head = this.raf.read(coffset, 18);
    const h = parseBgzfHeader(head, 0);
    if (!h) {
      throw new GlowtsError("BGZF_FORMAT", head.length < 18 ? "truncated BGZF block header" : "not a BGZF block header", {
        file: this.file, record: `BGZF block at offset ${coffset}`,
      });
    }
    const bytes = this.raf.read(coffset, h.blockSize);
    const data = withFile(() => inflateBgzfBlock(bytes, 0, coffset), this.file);
    return { coffset, data, next: coffset + h.blockSize };
  }

  /** Decompressed blocks from `coffset` to the end of the file, one at a time. */
  *blocksFrom(coffset: number): Generator<BgzfBlock & { next: number }> {
    let at = coffset;
    for (;;) {
      const b = this.block(at);
      if (!b) return;
      yield b;
      at = b.next;
    }
  }

  close(): void {
    this.raf.close();
  }
}

function withFile<T>(f: () => T, file: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GlowtsError) throw new GlowtsError(e.code, e.rawMessage, { file, record: e.record });
    throw e;
  }
}

/**
 * Offsets of all blocks of a BGZF file, walking the block headers (one small read per block).
 * @throws GlowtsError `BGZF_FORMAT` when a header is invalid or the last block is truncated
 */
export function listBgzfBlocks(file: string): number[] {
  const raf = new RandomAccessFile(file);
  try {
    const out: number[] = [];
    let at = 0;
    while (at < raf.size) {
      const head = raf.read(at, 18);
      const h = parseBgzfHeader(head, 0);
      if (!h) throw new GlowtsError("BGZF_FORMAT", "not a BGZF block header", { file, record: `BGZF block at offset ${at}` });
      if (at + h.blockSize > raf.size) throw new GlowtsError("BGZF_FORMAT", "truncated BGZF block", { file, record: `BGZF block at offset ${at}` });
      out.push(at);
      at += h.blockSize;
    }
    return out;
  } finally {
    raf.close();
  }
}

/**
 * The first block start at or after `offset` (or the file size when there is none), found by
 * scanning for a BGZF header and checking that the next few headers chain up to it (or to the end
 * of the file). Used to cut a large file into partitions without walking all its blocks.
 */
export function findBgzfBlock(raf: RandomAccessFile, offset: number): number {
  const size = raf.size;
  if (offset <= 0) return 0;
  // A block starts within 64 KiB of any offset (blocks are at most 64 KiB), so one window of
  // 64 KiB + a header normally suffices.
  const window = BGZF_MAX_BLOCK_SIZE + 64;
  let from = offset;
  while (from < size) {
    const bytes = raf.read(from, window);
    const limit = Math.min(bytes.length, window - 64);
    for (let i = 0; i < limit; i++) {
      if (bytes[i] !== 0x1f || bytes[i + 1] !== 0x8b) continue;
      if (chainsUp(raf, from + i, 3)) return from + i;
    }
    if (bytes.length < window) break;
    from += limit;
  }
  return size;
}

function chainsUp(raf: RandomAccessFile, at: number, hops: number): boolean {
  let p = at;
  for (let k = 0; k < hops; k++) {
    const h = parseBgzfHeader(raf.read(p, 18), 0);
    if (!h) return false;
    p += h.blockSize;
    if (p === raf.size) return true;
    if (p > raf.size) return false;
  }
  return true;
}
