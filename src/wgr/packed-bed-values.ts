/**
 * GloWGR's genotype values straight from PLINK `.bed` bytes: a header block travels to its fit
 * worker as packed 2-bit codes (a quarter byte per genotype) and is decoded there, so no decoded
 * partition ever crosses a thread and no engine worker is needed (see packed-bed-blocks.ts).
 *
 * The values are those of `glowts step1`'s frame path (`genotypeStates` then the CLI's
 * `subsetSamples`), and of `meanSubstitute(genotypeStates(...))` when every sample is analysed: the
 * alt-allele count 0, 1 or 2 of each analysed sample, a missing call replaced by the mean of the
 * variant's called analysed samples (summed in sample order, so the same float64 as theirs).
 * This module is used on both sides (the fit worker and the calling thread): one decoder, so the
 * numbers cannot differ with the number of workers.
 */
import { BED_CODE_MISSING, BED_CODE_STATES } from "../io/plink/bed-codec.js";

/** One header block as packed `.bed` variant blocks (plain data: crosses into a fit worker). */
export interface PackedBedBlock {
  /** The block's variants, `bytesPerVariant` bytes each, in the block matrix's order. */
  bytes: Uint8Array;
  /** `.bed` bytes per variant, ⌈samples in the .fam / 4⌉. */
  bytesPerVariant: number;
  /** `.fam` position of each sample of the block matrix, in its order. */
  keep: Int32Array;
}

/** The 2-bit code of `.fam` sample `p` in the variant block starting at `o`. */
function codeAt(bytes: Uint8Array, o: number, p: number): number {
  return (bytes[o + (p >> 2)]! >> ((p & 3) << 1)) & 3;
}

/**
 * True when the analysed samples (`keep`) of the variant block at `o` carry at least two different
 * called genotypes: Glow's `size(array_distinct(values)) > 1` on the mean-imputed values (a variant
 * with one called genotype imputes every missing call to it; one with none is constant too). Stops at
 * the second distinct genotype, so a polymorphic variant costs a few samples.
 */
export function packedHasTwoDistinct(bytes: Uint8Array, o: number, keep: Int32Array): boolean {
  let first = -1;
  for (let t = 0; t < keep.length; t++) {
    const c = codeAt(bytes, o, keep[t]!);
    if (c === BED_CODE_MISSING) continue;
    if (first < 0) first = c;
    else if (c !== first) return true;
  }
  return false;
}

/**
 * The variants of one packed header block, read a row (or a part of one) at a time: what the level-0
 * kernel needs, without the block's m × n values in memory. {@link full} must see a variant before
 * {@link range} (it computes the variant's imputed mean).
 */
export class PackedRows {
  private readonly means: Float64Array;
  private readonly state = Float64Array.from(BED_CODE_STATES);
  constructor(private readonly block: PackedBedBlock, m: number) {
    if (block.bytes.length < m * block.bytesPerVariant) throw new RangeError(`PackedRows: ${block.bytes.length} bytes for ${m} variants of ${block.bytesPerVariant} bytes`);
    this.means = new Float64Array(m).fill(NaN);
  }

  /** Variant `v`'s values over every sample into `out` (length n = keep.length); returns whether a call was missing. */
  full(v: number, out: Float64Array): boolean {
    const { bytes, bytesPerVariant, keep } = this.block;
    const o = v * bytesPerVariant, n = keep.length;
    let sum = 0, called = 0;
    for (let t = 0; t < n; t++) {
      const c = codeAt(bytes, o, keep[t]!);
      if (c === BED_CODE_MISSING) continue;
      sum += BED_CODE_STATES[c]!;
      called++;
    }
    const mean = called ? sum / called : 0;
    this.means[v] = mean;
    this.range(v, 0, n, out);
    return called < n;
  }

  /** The imputed mean of variant `v` (after {@link full}). */
  mean(v: number): number {
    return this.means[v]!;
  }

  /** Variant `v`'s values of samples `[lo, hi)` into `out[0 .. hi − lo)`. */
  range(v: number, lo: number, hi: number, out: Float64Array): void {
    const { bytes, bytesPerVariant, keep } = this.block;
    const o = v * bytesPerVariant;
    const state = this.state;
    state[BED_CODE_MISSING] = this.means[v]!;
    for (let t = lo; t < hi; t++) out[t - lo] = state[codeAt(bytes, o, keep[t]!)]!;
  }
}

/**
 * Decodes `m` packed variant blocks into the block's values, variant-major (`values[v·n + s]`, n =
 * `keep.length`): a Float32Array when every value is exactly a float32 (no missing call, or imputed
 * means that are), else a Float64Array — the same numbers either way (the streamed blocking's rule).
 */
export function decodePackedBlock(block: PackedBedBlock, m: number): Float32Array | Float64Array {
  const n = block.keep.length;
  const rows = new PackedRows(block, m);
  const f64 = new Float64Array(m * n);
  let exact = true;
  for (let v = 0; v < m; v++) {
    const missing = rows.full(v, f64.subarray(v * n, (v + 1) * n));
    if (missing && Math.fround(rows.mean(v)) !== rows.mean(v)) exact = false;
  }
  return exact ? Float32Array.from(f64) : f64;
}
