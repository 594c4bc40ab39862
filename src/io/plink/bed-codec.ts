/**
 * The PLINK 1 `.bed` codec (SNP-major): the meaning of the 2-bit codes, written once, and the
 * decoders and per-byte tables derived from it that the reader, the column functions, GWAS and the
 * linear-algebra kernels use. No file access here.
 *
 * A SNP-major `.bed` is the 3 magic bytes `6c 1b 01` followed by one block of `ceil(nSamples / 4)`
 * bytes per variant (in `.bim` order). Each byte packs four samples, sample 0 in the LOWEST two bits.
 * The 2-bit codes, read as the integers 0..3, mean (Glow's `PlinkRowToInternalRowConverter`):
 *
 * | code | PLINK meaning                      | Glow `calls` | alt dosage (`genotype_states`) |
 * |------|------------------------------------|--------------|--------------------------------|
 * | 0    | homozygous for allele 1 (= alt)    | `[1, 1]`     | 2                              |
 * | 1    | missing                            | `[-1, -1]`   | -1                             |
 * | 2    | heterozygous                       | `[0, 1]`     | 1                              |
 * | 3    | homozygous for allele 2 (= ref)    | `[0, 0]`     | 0                              |
 *
 * Padding bits of the last byte of a block are ignored.
 *
 * @see https://www.cog-genomics.org/plink/1.9/formats#bed
 * @see Glow `core/src/main/scala/io/projectglow/plink/PlinkRowToInternalRowConverter.scala`
 */

/** The magic bytes that open a SNP-major PLINK 1 `.bed` file. */
export const BED_MAGIC: readonly number[] = [0x6c, 0x1b, 0x01];

/** Length of the `.bed` header (the magic bytes). */
export const BED_HEADER_BYTES = 3;

/** Glow's calls for each 2-bit code (index = code). */
export const BED_CODE_CALLS: readonly (readonly [number, number])[] = [
  [1, 1],
  [-1, -1],
  [0, 1],
  [0, 0],
];

/** Alt-allele dosage (Glow's `genotype_states`) for each 2-bit code; -1 = missing. */
export const BED_CODE_STATES: readonly number[] = [2, -1, 1, 0];

/** Bytes per variant block: `ceil(nSamples / 4)`. */
export function bedBlockSize(nSamples: number): number {
  return Math.ceil(nSamples / 4);
}

/** Byte offset of variant `variantIndex`'s block in a SNP-major `.bed`. */
export function bedVariantOffset(variantIndex: number, nSamples: number): number {
  return BED_HEADER_BYTES + variantIndex * bedBlockSize(nSamples);
}

/** Expected size in bytes of a SNP-major `.bed` with `nVariants` variants and `nSamples` samples. */
export function bedExpectedSize(nVariants: number, nSamples: number): number {
  return BED_HEADER_BYTES + nVariants * bedBlockSize(nSamples);
}

/** What the first three bytes of a `.bed` say. */
export type BedMagicStatus = "snp-major" | "individual-major" | "bad-magic" | "too-short";

/** Classifies the header of a `.bed` (pass at least its first 3 bytes). */
export function checkBedMagic(head: Uint8Array): BedMagicStatus {
  if (head.length < 3) return "too-short";
  if (head[0] !== 0x6c || head[1] !== 0x1b) return "bad-magic";
  if (head[2] === 0x01) return "snp-major";
  if (head[2] === 0x00) return "individual-major";
  return "bad-magic";
}

// Lookup tables indexed by a packed byte: 4 samples × (2 calls | 1 state) per entry.
const CALLS_LUT = new Int32Array(256 * 8);
const STATES_LUT_I8 = new Int8Array(256 * 4);
const STATES_LUT_F64 = new Float64Array(256 * 4);
/** Per packed byte, the alt-allele dosage of its 4 samples (`BED_CODE_STATES`; sample 0 first). */
export const BED_BYTE_STATES = new Int32Array(256 * 4);
/** Per packed byte, how many of its 4 samples carry each code 0..3 (index `byte * 4 + code`). */
export const BED_BYTE_CODE_COUNTS = new Int32Array(256 * 4);
/** Per packed byte, the sum of the dosages of its called samples. */
export const BED_BYTE_CALLED_SUM = new Float64Array(256);
/** Per packed byte, the number of its samples that are called (code ≠ missing). */
export const BED_BYTE_CALLED = new Float64Array(256);
/** The code of a missing call. */
export const BED_CODE_MISSING = 1;
/** The 2-bit code of each alt-allele count 0, 1, 2 (the inverse of `BED_CODE_STATES`; writers). */
export const BED_STATE_CODES: readonly number[] = [0, 1, 2].map((d) => BED_CODE_STATES.indexOf(d));
for (let b = 0; b < 256; b++) {
  for (let k = 0; k < 4; k++) {
    const code = (b >> (2 * k)) & 3;
    const calls = BED_CODE_CALLS[code]!;
    CALLS_LUT[b * 8 + 2 * k] = calls[0];
    CALLS_LUT[b * 8 + 2 * k + 1] = calls[1];
    STATES_LUT_I8[b * 4 + k] = BED_CODE_STATES[code]!;
    STATES_LUT_F64[b * 4 + k] = BED_CODE_STATES[code]!;
    BED_BYTE_STATES[b * 4 + k] = BED_CODE_STATES[code]!;
    BED_BYTE_CODE_COUNTS[b * 4 + code]!++;
    if (code !== BED_CODE_MISSING) { BED_BYTE_CALLED[b]!++; BED_BYTE_CALLED_SUM[b]! += BED_CODE_STATES[code]!; }
  }
}

function checkLength(bytes: Uint8Array, byteOffset: number, nSamples: number, nVariants: number, what: string): void {
  if (!Number.isInteger(nSamples) || nSamples < 0) throw new RangeError(`${what}: nSamples must be a non-negative integer`);
  if (!Number.isInteger(nVariants) || nVariants < 0) throw new RangeError(`${what}: nVariants must be a non-negative integer`);
  const need = byteOffset + nVariants * bedBlockSize(nSamples);
  if (bytes.length < need) {
    throw new RangeError(`${what}: need ${need} bytes for ${nVariants} variants x ${nSamples} samples, got ${bytes.length}`);
  }
}

/**
 * Decodes packed variant blocks into Glow's diploid `calls`.
 *
 * @param bytes - packed blocks, `ceil(nSamples/4)` bytes per variant, starting at `byteOffset`
 *   (NOT including the `.bed` magic unless `byteOffset` skips it).
 * @param nSamples - samples per variant.
 * @param nVariants - number of consecutive blocks to decode.
 * @param out - optional destination of length `nVariants * nSamples * 2`.
 * @param byteOffset - where the first block starts in `bytes` (default 0).
 * @returns an Int32Array laid out `(variant * nSamples + sample) * 2 + allele`, values in {-1, 0, 1}.
 */
export function decodeBedToCalls(
  bytes: Uint8Array,
  nSamples: number,
  nVariants: number,
  out?: Int32Array,
  byteOffset = 0,
): Int32Array {
  checkLength(bytes, byteOffset, nSamples, nVariants, "decodeBedToCalls");
  const total = nVariants * nSamples * 2;
  const dst = out ?? new Int32Array(total);
  if (dst.length < total) throw new RangeError(`decodeBedToCalls: out has ${dst.length} elements, need ${total}`);
  const bs = bedBlockSize(nSamples);
  const full = nSamples >> 2;
  const rest = nSamples & 3;
  for (let v = 0; v < nVariants; v++) {
    let src = byteOffset + v * bs;
    let o = v * nSamples * 2;
    for (let j = 0; j < full; j++, o += 8) {
      const e = bytes[src++]! * 8;
      dst[o] = CALLS_LUT[e]!;
      dst[o + 1] = CALLS_LUT[e + 1]!;
      dst[o + 2] = CALLS_LUT[e + 2]!;
      dst[o + 3] = CALLS_LUT[e + 3]!;
      dst[o + 4] = CALLS_LUT[e + 4]!;
      dst[o + 5] = CALLS_LUT[e + 5]!;
      dst[o + 6] = CALLS_LUT[e + 6]!;
      dst[o + 7] = CALLS_LUT[e + 7]!;
    }
    if (rest > 0) {
      const e = bytes[src]! * 8;
      for (let k = 0; k < rest * 2; k++) dst[o + k] = CALLS_LUT[e + k]!;
    }
  }
  return dst;
}

/**
 * Decodes packed variant blocks straight into alt-allele dosages (Glow's
 * `genotype_states(genotypes)` on PLINK rows): 0, 1, 2, or -1 for a missing call.
 * This is the fast path for GWAS/WGR: one table lookup per packed byte, no `calls` materialized.
 *
 * @param bytes - packed blocks, `ceil(nSamples/4)` bytes per variant, starting at `byteOffset`.
 * @param nSamples - samples per variant.
 * @param nVariants - number of consecutive blocks to decode.
 * @param out - destination of length `nVariants * nSamples`: an Int8Array (default, compact) or a
 *   Float64Array (ready for regression kernels). Missing stays -1 in both; mean-substitute afterwards.
 * @param byteOffset - where the first block starts in `bytes` (default 0).
 * @returns `out` (or a new Int8Array), variant-major: element `variant * nSamples + sample`.
 *
 * @example
 * ```ts
 * const states = decodeBedToGenotypeStates(block, 500, 1, new Float64Array(500));
 * ```
 */
export function decodeBedToGenotypeStates<T extends Int8Array | Float64Array = Int8Array>(
  bytes: Uint8Array,
  nSamples: number,
  nVariants: number,
  out?: T,
  byteOffset = 0,
): T {
  checkLength(bytes, byteOffset, nSamples, nVariants, "decodeBedToGenotypeStates");
  const total = nVariants * nSamples;
  const dst = (out ?? new Int8Array(total)) as T;
  if (dst.length < total) throw new RangeError(`decodeBedToGenotypeStates: out has ${dst.length} elements, need ${total}`);
  decodeBedStatesInto(bytes, nSamples, nVariants, bedBlockSize(nSamples), dst, byteOffset);
  return dst;
}

/**
 * The one loop that decodes packed variant blocks into alt-allele dosages (`BED_CODE_STATES`, one
 * table lookup per packed byte): `nVariants` blocks `bytesPerVariant` apart from `byteOffset`
 * (a block may be longer than `ceil(nSamples/4)`, e.g. rows packed by another writer) into `out`,
 * variant-major (`variant * nSamples + sample`), -1 for a missing call. No length checks: callers
 * check (see {@link decodeBedToGenotypeStates}).
 */
export function decodeBedStatesInto(
  bytes: Uint8Array,
  nSamples: number,
  nVariants: number,
  bytesPerVariant: number,
  out: Int8Array | Int32Array | Float64Array,
  byteOffset = 0,
): void {
  const lut = out instanceof Float64Array ? STATES_LUT_F64 : out instanceof Int8Array ? STATES_LUT_I8 : BED_BYTE_STATES;
  const full = nSamples >> 2;
  const rest = nSamples & 3;
  for (let v = 0; v < nVariants; v++) {
    let src = byteOffset + v * bytesPerVariant;
    let o = v * nSamples;
    for (let j = 0; j < full; j++, o += 4) {
      const e = bytes[src++]! << 2;
      out[o] = lut[e]!;
      out[o + 1] = lut[e + 1]!;
      out[o + 2] = lut[e + 2]!;
      out[o + 3] = lut[e + 3]!;
    }
    if (rest > 0) {
      const e = bytes[src]! << 2;
      for (let k = 0; k < rest; k++) out[o + k] = lut[e + k]!;
    }
  }
}
