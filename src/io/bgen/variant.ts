/**
 * BGEN variant data blocks: the variant identifying data and the location and decompression of
 * the genotype data block (spec v1.2/v1.3 "Variant data blocks"; Glow: `BgenFileIterator.next`,
 * `BgenGenotypeReader`). Pure functions over bytes.
 */
import { inflateSync } from "node:zlib";
import { decompress as zstdDecompress } from "fzstd";
import { GlowtsError } from "../../core/errors.js";
import { ByteCursor, u32At } from "./bytes.js";
import { inflateZlib } from "./inflate.js";
import type { BgenCompression } from "./header.js";

/** File-level facts a variant decoder needs. */
export interface BgenLayoutInfo {
  layout: 1 | 2;
  compression: BgenCompression;
  nSamples: number;
}

/** A decoded variant identifying block plus where its genotype block lies. */
export interface BgenVariantHeader {
  variantId: string;
  rsid: string;
  contigName: string;
  /** 1-based position as stored. */
  position: number;
  /** First allele is the reference. */
  alleles: string[];
  /** Offset (in the same byte array) of the genotype data block. */
  blockStart: number;
  /** Offset just past the genotype data block: the next variant. */
  next: number;
}

/** What a header scan needs: enough to cut partitions and prune by region. */
export interface BgenVariantSkim {
  contigName: string;
  position: number;
  /** Length in bytes of the first allele (0 if none). */
  refLength: number;
  /** Offset just past this variant. */
  next: number;
}

/** Largest decompressed genotype block accepted (guards allocations against corrupted lengths). */
export const MAX_BLOCK_BYTES = 0x7fff0000;

/**
 * Blocks up to this many uncompressed bytes are inflated in JS ({@link inflateZlib}), larger ones
 * by node:zlib: native inflate is faster per byte but costs ~40 µs of setup per call.
 */
export const JS_INFLATE_MAX_BYTES = 16 << 10;

function checkSamples(c: ByteCursor, info: BgenLayoutInfo): void {
  if (info.layout === 1) {
    const n = c.u32();
    if (n !== info.nSamples) {
      throw new GlowtsError("BGEN_CORRUPT", `variant block is for ${n} samples but the header says ${info.nSamples}`);
    }
  }
}

/** Skips the genotype data block at `c.pos`, returning its start. */
function skipGenotypeBlock(c: ByteCursor, info: BgenLayoutInfo): number {
  const start = c.pos;
  if (info.layout === 1 && info.compression === 0) {
    c.skip(6 * info.nSamples);
  } else {
    const len = c.u32();
    c.skip(len);
  }
  return start;
}

/**
 * Decodes the variant identifying data at `at` and locates the genotype block after it.
 * @throws GlowtsError `BGEN_TRUNCATED` / `BGEN_CORRUPT` (without file context).
 */
export function decodeVariantHeader(bytes: Uint8Array, at: number, info: BgenLayoutInfo): BgenVariantHeader {
  const c = new ByteCursor(bytes, at, "variant block");
  checkSamples(c, info);
  const variantId = c.str16();
  const rsid = c.str16();
  const contigName = c.str16();
  const position = c.u32();
  const k = info.layout === 1 ? 2 : c.u16();
  if (k === 0) throw new GlowtsError("BGEN_CORRUPT", "variant has no alleles");
  const alleles = new Array<string>(k);
  for (let i = 0; i < k; i++) alleles[i] = c.str32();
  const blockStart = skipGenotypeBlock(c, info);
  return { variantId, rsid, contigName, position, alleles, blockStart, next: c.pos };
}

/**
 * Reads only what partitioning needs from the variant at `at` (contig, position, first allele
 * length, end). The genotype block is skipped by its stored length without being read, so
 * `bytes` need only hold the identifying data and the block's length field; `next` may lie
 * beyond `bytes` (the caller checks it against the file size).
 */
export function skimVariant(bytes: Uint8Array, at: number, info: BgenLayoutInfo): BgenVariantSkim {
  const c = new ByteCursor(bytes, at, "variant block");
  checkSamples(c, info);
  c.skipStr(false);
  c.skipStr(false);
  const contigName = c.str16();
  const position = c.u32();
  const k = info.layout === 1 ? 2 : c.u16();
  if (k === 0) throw new GlowtsError("BGEN_CORRUPT", "variant has no alleles");
  let refLength = 0;
  for (let i = 0; i < k; i++) {
    const n = c.skipStr(true);
    if (i === 0) refLength = n;
  }
  let next: number;
  if (info.layout === 1 && info.compression === 0) next = c.pos + 6 * info.nSamples;
  else {
    const len = c.u32();
    next = c.pos + len;
  }
  return { contigName, position, refLength, next };
}

/**
 * Returns the uncompressed genotype data of the block at `at` (ending at `end`).
 * Layout 2: `[C][D][C-4 compressed bytes]` (or `[C][C bytes]` uncompressed); layout 1:
 * `[C][C zlib bytes]` inflating to 6N bytes (or 6N raw bytes).
 * @throws GlowtsError `BGEN_DECOMPRESS` (corrupt stream, or length differs from the stored one).
 */
export function genotypeBlockData(bytes: Uint8Array, at: number, end: number, info: BgenLayoutInfo): Uint8Array {
  if (info.layout === 1) {
    const expected = 6 * info.nSamples;
    if (info.compression === 0) return bytes.subarray(at, end);
    return inflateExact(bytes.subarray(at + 4, end), expected);
  }
  if (info.compression === 0) return bytes.subarray(at + 4, end);
  if (end - at < 8) throw new GlowtsError("BGEN_CORRUPT", `compressed genotype block of ${end - at - 4} bytes has no room for its uncompressed length`);
  const d = u32At(bytes, at + 4);
  const comp = bytes.subarray(at + 8, end);
  return info.compression === 1 ? inflateExact(comp, d) : zstdExact(comp, d);
}

/**
 * Inflates a zlib stream that must produce exactly `expected` bytes.
 * @param jsMaxBytes size up to which the JS inflater is used (tests force either path).
 */
export function inflateExact(comp: Uint8Array, expected: number, jsMaxBytes = JS_INFLATE_MAX_BYTES): Uint8Array {
  if (expected > MAX_BLOCK_BYTES) {
    throw new GlowtsError("BGEN_CORRUPT", `uncompressed genotype block length ${expected} is implausible`);
  }
  let out: Uint8Array;
  try {
    out = expected <= jsMaxBytes ? inflateZlib(comp, expected) : inflateSync(comp, { maxOutputLength: Math.max(1, expected) });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new GlowtsError("BGEN_DECOMPRESS", `corrupted zlib genotype block (${why})`);
  }
  if (out.length !== expected) {
    throw new GlowtsError("BGEN_DECOMPRESS", `zlib genotype block inflated to ${out.length} bytes, expected ${expected}`);
  }
  return out;
}

/** More than any zstd frame achieves (a 3-byte RLE block header covers at most 128 KiB). */
const ZSTD_MAX_RATIO = 1 << 16;

/** Frame content size from a zstd frame header, or -1 if absent/unparseable. */
export function zstdFrameContentSize(b: Uint8Array): number {
  if (b.length < 6 || b[0] !== 0x28 || b[1] !== 0xb5 || b[2] !== 0x2f || b[3] !== 0xfd) return -1;
  const fhd = b[4]!;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictFlag = fhd & 3;
  const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
  if (fcsBytes === 0) return -1;
  let p = 5 + (single ? 0 : 1) + (dictFlag === 3 ? 4 : dictFlag);
  if (p + fcsBytes > b.length) return -1;
  let v = 0;
  for (let i = 0; i < fcsBytes; i++) v += b[p + i]! * 2 ** (8 * i);
  p += fcsBytes;
  return fcsBytes === 2 ? v + 256 : v;
}

function zstdExact(comp: Uint8Array, expected: number): Uint8Array {
  if (expected > MAX_BLOCK_BYTES) {
    throw new GlowtsError("BGEN_CORRUPT", `uncompressed genotype block length ${expected} is implausible`);
  }
  const fcs = zstdFrameContentSize(comp);
  if (fcs >= 0 && fcs !== expected) {
    throw new GlowtsError("BGEN_DECOMPRESS", `zstd frame declares ${fcs} bytes but the block says ${expected}`);
  }
  // Without a declared size the output is allocated up front: bound it by zstd's best ratio.
  if (fcs < 0 && expected > (1 << 20) + comp.length * ZSTD_MAX_RATIO) {
    throw new GlowtsError("BGEN_DECOMPRESS", `uncompressed length ${expected} is implausible for ${comp.length} zstd bytes`);
  }
  let out: Uint8Array;
  try {
    // With a declared frame size fzstd allocates exactly that (checked above); without one it
    // would allocate the frame's window size, so give it an output of the expected size instead.
    out = fcs >= 0 ? zstdDecompress(comp) : zstdDecompress(comp, new Uint8Array(expected));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new GlowtsError("BGEN_DECOMPRESS", `corrupted zstd genotype block (${why})`);
  }
  if (out.length !== expected) {
    throw new GlowtsError("BGEN_DECOMPRESS", `zstd genotype block decompressed to ${out.length} bytes, expected ${expected}`);
  }
  return out;
}
