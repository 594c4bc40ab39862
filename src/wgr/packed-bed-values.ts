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
 * Decodes `m` packed variant blocks into the block's values, variant-major (`values[v·n + s]`, n =
 * `keep.length`): a Float32Array when every value is exactly a float32 (no missing call, or imputed
 * means that are), else a Float64Array — the same numbers either way (the streamed blocking's rule).
 */
export function decodePackedBlock(block: PackedBedBlock, m: number): Float32Array | Float64Array {
  const { bytes, bytesPerVariant: bpv, keep } = block;
  const n = keep.length;
  if (bytes.length < m * bpv) throw new RangeError(`decodePackedBlock: ${bytes.length} bytes for ${m} variants of ${bpv} bytes`);
  // the mean of the called analysed samples of each variant (only needed where a call is missing)
  const means = new Float64Array(m);
  let exact = true;
  for (let v = 0; v < m; v++) {
    const o = v * bpv;
    let sum = 0, called = 0;
    for (let t = 0; t < n; t++) {
      const c = codeAt(bytes, o, keep[t]!);
      if (c === BED_CODE_MISSING) continue;
      sum += BED_CODE_STATES[c]!;
      called++;
    }
    const mean = called ? sum / called : 0;
    means[v] = mean;
    if (called < n && Math.fround(mean) !== mean) exact = false;
  }
  const out = exact ? new Float32Array(m * n) : new Float64Array(m * n);
  const state = Float64Array.from(BED_CODE_STATES);
  for (let v = 0; v < m; v++) {
    const o = v * bpv, d = v * n;
    state[BED_CODE_MISSING] = means[v]!;
    for (let t = 0; t < n; t++) out[d + t] = state[codeAt(bytes, o, keep[t]!)]!;
  }
  return out;
}
