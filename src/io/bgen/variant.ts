/**
 * BGEN variant data blocks: the variant identifying data and the location and decompression of
 * the genotype data block (spec v1.2/v1.3 "Variant data blocks"; Glow: `BgenFileIterator.next`,
 * `BgenGenotypeReader`). Pure functions over bytes.
 */
import { GlowtsError } from "../../core/errors.js";
import { ByteCursor, u32At } from "./bytes.js";
import { inflateExact, zstdExact } from "./decompress.js";
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
