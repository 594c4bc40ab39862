/**
 * BGEN header block and sample identifier block (spec v1.2/v1.3: "The header block", "Sample
 * identifier block"; Glow: `BgenHeaderReader.readHeader`). Pure decoders over bytes.
 */
import { GlowtsError } from "../../core/errors.js";
import { ByteCursor } from "./bytes.js";

/** Genotype block compression (header flags bits 0-1). */
export type BgenCompression = 0 | 1 | 2;
/** Names of the compression codes, for messages. */
export const compressionNames = ["none", "zlib", "zstd"] as const;

/** The fields of a BGEN header that decoding needs. */
export interface BgenHeader {
  /** Absolute byte offset of the first variant block (`offset + 4`). */
  firstVariantOffset: number;
  /** Header block length L (at least 20). */
  headerLength: number;
  /** M: number of variant blocks. */
  nVariants: number;
  /** N: number of samples. */
  nSamples: number;
  /** 0 none, 1 zlib, 2 zstd. */
  compression: BgenCompression;
  /** 1 (BGEN 1.1) or 2 (BGEN 1.2+). */
  layout: 1 | 2;
  /** Flag bit 31: a sample identifier block follows the header. */
  hasSampleIds: boolean;
}

/** Bytes needed to decode the header block alone. */
export const HEADER_PREFIX_BYTES = 24;

/**
 * Checks the magic number at bytes 16..20: `bgen`, or four zero bytes (allowed by the spec).
 * @throws GlowtsError `BGEN_MAGIC`.
 */
export function checkBgenMagic(bytes: Uint8Array): void {
  const m = bytes.subarray(16, 20);
  const isBgen = m[0] === 0x62 && m[1] === 0x67 && m[2] === 0x65 && m[3] === 0x6e;
  const isZero = m.length === 4 && m[0] === 0 && m[1] === 0 && m[2] === 0 && m[3] === 0;
  if (!isBgen && !isZero) {
    throw new GlowtsError("BGEN_MAGIC", `not a BGEN file: magic bytes are [${Array.from(m).join(", ")}], expected 'bgen' or four zeros`, { record: "header" });
  }
}

/**
 * Decodes the header block. `bytes` starts at file offset 0 and must hold at least `4 + L` bytes
 * (where L is the header length at bytes 4..8).
 * @throws GlowtsError `BGEN_TRUNCATED`, `BGEN_MAGIC`, `BGEN_UNSUPPORTED`, `BGEN_CORRUPT`.
 */
export function decodeBgenHeader(bytes: Uint8Array): BgenHeader {
  const c = new ByteCursor(bytes, 0, "header block");
  if (bytes.length < HEADER_PREFIX_BYTES) {
    throw new GlowtsError("BGEN_TRUNCATED", `file too short for a BGEN header (${bytes.length} bytes)`, { record: "header" });
  }
  const offset = c.u32();
  const headerLength = c.u32();
  const nVariants = c.u32();
  const nSamples = c.u32();
  checkBgenMagic(bytes);
  if (headerLength < 20) {
    throw new GlowtsError("BGEN_CORRUPT", `header length ${headerLength} is below the minimum of 20`, { record: "header" });
  }
  if (offset < headerLength) {
    throw new GlowtsError("BGEN_CORRUPT", `first variant offset ${offset} lies inside the ${headerLength}-byte header`, { record: "header" });
  }
  if (bytes.length < 4 + headerLength) {
    throw new GlowtsError("BGEN_TRUNCATED", `file ends inside the ${headerLength}-byte header block`, { record: "header" });
  }
  c.pos = headerLength; // flags are the last 4 bytes of the header block (which starts at 4)
  const flags = c.u32();
  const comp = flags & 3;
  if (comp === 3) throw new GlowtsError("BGEN_UNSUPPORTED", "unsupported compression code 3 in header flags", { record: "header" });
  const layout = (flags >>> 2) & 15;
  if (layout !== 1 && layout !== 2) {
    throw new GlowtsError("BGEN_UNSUPPORTED", `unsupported layout ${layout} (only layouts 1 and 2, BGEN 1.1-1.3, are supported)`, { record: "header" });
  }
  if (layout === 1 && comp === 2) {
    throw new GlowtsError("BGEN_UNSUPPORTED", "zstd compression is not defined for layout 1", { record: "header" });
  }
  return {
    firstVariantOffset: offset + 4,
    headerLength,
    nVariants,
    nSamples,
    compression: comp as BgenCompression,
    layout,
    hasSampleIds: (flags >>> 31) === 1,
  };
}

/**
 * Decodes the sample identifier block that follows the header (`bytes` starts at file offset 0
 * and covers at least up to the first variant).
 * @returns the N sample identifiers, in genotype order.
 * @throws GlowtsError when the block's sample count differs from the header's or it overruns
 * the first variant.
 */
export function decodeSampleBlock(bytes: Uint8Array, header: BgenHeader): string[] {
  const start = 4 + header.headerLength;
  const limit = Math.min(bytes.length, header.firstVariantOffset);
  const c = new ByteCursor(bytes.subarray(0, limit), start, "sample identifier block");
  const blockLength = c.u32();
  const n = c.u32();
  if (n !== header.nSamples) {
    throw new GlowtsError("BGEN_CORRUPT", `sample identifier block lists ${n} samples but the header says ${header.nSamples}`, { record: "sample identifier block" });
  }
  if (start + blockLength > header.firstVariantOffset) {
    throw new GlowtsError("BGEN_CORRUPT", `sample identifier block (${blockLength} bytes) overruns the first variant at offset ${header.firstVariantOffset}`, { record: "sample identifier block" });
  }
  // Every identifier takes at least 2 bytes: reject impossible counts before allocating.
  if (n * 2 > limit - c.pos) {
    throw new GlowtsError("BGEN_TRUNCATED", `sample identifier block too short for ${n} identifiers`, { record: "sample identifier block" });
  }
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = c.str16();
  return ids;
}
