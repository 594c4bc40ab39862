/**
 * Decoding of uncompressed BGEN genotype data into preallocated typed arrays (spec v1.2/v1.3
 * "Genotype data block (Layout 1 / Layout 2)"; Glow: `BgenFileIterator.readGenotypes`,
 * `readPhasedGenotypes`, `readUnphasedGenotypes`). Decoding is two-step: {@link inspectLayout2}
 * / {@link inspectLayout1} validate a block and count its outputs (so that a partition allocates
 * once), then {@link decodeGenotypesInto} writes the values.
 *
 * Output per sample, as Glow: `ploidy` (the low 6 bits of the ploidy byte), `phased`,
 * `posteriorProbabilities` — every probability including the last one of each haplotype
 * (phased) or genotype (unphased, colex order) that BGEN leaves implicit, each
 * `value / (2^bits - 1)` and the implicit one `(2^bits - 1 - sum) / (2^bits - 1)` — or an empty
 * array for a missing sample (ploidy byte > 63) — and optional hard `calls`.
 *
 * Checks (each a `BGEN_CORRUPT` naming the sample): the block's sample count equals the file's,
 * its allele count the variant's, the ploidy range [min, max] lies within 0-63 and every ploidy
 * byte within it (bit 6 reserved, bit 7 = missing), 1-32 bits per probability, the payload is
 * exactly as long as N, the ploidies and the bits imply, and the stored probabilities of each
 * haplotype (phased) or sample (unphased) add up to at most 1 (layout 1: three rounded values,
 * 2/32768 of slack).
 */
import { GlowtsError } from "../../core/errors.js";
import { u32At } from "./bytes.js";
import { hardCallsInto } from "./hard-calls.js";

/** What a genotype block holds, found by {@link inspectLayout2} / {@link inspectLayout1}. */
export interface GenotypeBlockInfo {
  layout: 1 | 2;
  nSamples: number;
  nAlleles: number;
  phased: boolean;
  /** Bits per stored probability (16 with divisor 32768 for layout 1). */
  bits: number;
  /** Offset of the ploidy bytes (layout 2). */
  ploidyStart: number;
  /** Offset of the packed probabilities. */
  dataStart: number;
  /** Number of stored (packed) values. */
  storedCount: number;
  /** Number of output probabilities over all samples. */
  probCount: number;
  /** Sum of ploidies (= number of output calls). */
  ploidySum: number;
  /** Probabilities per sample when every sample has the same count, else -1. */
  uniformWidth: number;
  /** Ploidy of every sample when all are equal, else -1. */
  uniformPloidy: number;
}

/** Output buffers for a batch of variants × samples (element `row * nSamples + sample`). */
export interface GenotypeSink {
  phased: Uint8Array;
  ploidy: Int32Array;
  probs: Float64Array;
  /** Ragged offsets into `probs` (length elements + 1), or null when dense. */
  probOffsets: Int32Array | null;
  /** Hard calls, or null when not emitted. */
  calls: Int32Array | null;
  /** Ragged offsets into `calls`, or null when dense. */
  callOffsets: Int32Array | null;
}

/** Write positions in a {@link GenotypeSink}. */
export interface SinkCursor {
  /** Next element (row * nSamples + sample). */
  element: number;
  probPos: number;
  callPos: number;
}

const ploidyHistogram = new Int32Array(256);

/** C(ploidy + K - 1, K - 1): number of unphased genotypes; -1 when above `cap`. */
function genotypeCount(ploidy: number, nAlleles: number, cap: number): number {
  let c = 1;
  for (let i = 1; i <= ploidy; i++) {
    c = (c * (nAlleles - 1 + i)) / i;
    if (c > cap) return -1;
  }
  return Math.round(c);
}

/**
 * Validates a layout-2 genotype block and counts its outputs.
 * @param d the uncompressed block.
 * @param nSamples N from the file header.
 * @param nAlleles K from the variant identifying data.
 * @throws GlowtsError `BGEN_CORRUPT` / `BGEN_UNSUPPORTED` (without file context).
 */
export function inspectLayout2(d: Uint8Array, nSamples: number, nAlleles: number): GenotypeBlockInfo {
  if (d.length < 10) throw new GlowtsError("BGEN_CORRUPT", `genotype block of ${d.length} bytes is shorter than its 10-byte preamble`);
  const n = u32At(d, 0);
  if (n !== nSamples) throw new GlowtsError("BGEN_CORRUPT", `genotype block is for ${n} samples but the header says ${nSamples}`);
  const k = d[4]! | (d[5]! << 8);
  if (k !== nAlleles) {
    throw new GlowtsError("BGEN_CORRUPT", `genotype block has ${k} alleles but the variant lists ${nAlleles}`);
  }
  if (d.length < 10 + n) throw new GlowtsError("BGEN_CORRUPT", `genotype block of ${d.length} bytes too short for ${n} ploidy bytes`);
  const ploidyStart = 8;
  const minPloidy = d[6]!;
  const maxPloidy = d[7]!;
  if (minPloidy > maxPloidy || maxPloidy > 63) {
    throw new GlowtsError("BGEN_CORRUPT", `implausible ploidy range [${minPloidy}, ${maxPloidy}] (must be within 0-63)`);
  }
  const phasedByte = d[8 + n]!;
  const bits = d[9 + n]!;
  if (phasedByte > 1) throw new GlowtsError("BGEN_CORRUPT", `invalid phased flag ${phasedByte}`);
  if (bits < 1 || bits > 32) throw new GlowtsError("BGEN_UNSUPPORTED", `invalid bits per probability ${bits} (must be 1-32)`);
  const phased = phasedByte === 1;
  const dataStart = 10 + n;
  const dataBytes = d.length - dataStart;
  // Histogram of ploidy bytes: the per-sample work is one increment.
  const hist = ploidyHistogram;
  hist.fill(0);
  for (let s = ploidyStart, end = ploidyStart + n; s < end; s++) hist[d[s]!]++;
  // Upper bound on stored values given the data size: rejects impossible counts early.
  const cap = Math.floor((dataBytes * 8) / bits) + 1;
  let stored = 0;
  let probCount = 0;
  let ploidySum = 0;
  let uniformWidth = -2;
  let uniformPloidy = -2;
  for (let pb = 0; pb < 256; pb++) {
    const count = hist[pb]!;
    if (count === 0) continue;
    const pl = pb & 63;
    if ((pb & 0x40) !== 0 || pl < minPloidy || pl > maxPloidy) {
      const s = firstSampleWith(d, ploidyStart, n, pb);
      throw new GlowtsError(
        "BGEN_CORRUPT",
        (pb & 0x40) !== 0
          ? `sample ${s}: ploidy byte 0x${pb.toString(16)} sets the reserved bit 6`
          : `sample ${s}: ploidy ${pl} outside the block's range [${minPloidy}, ${maxPloidy}]`,
      );
    }
    let per: number;
    let out: number;
    if (phased) {
      per = pl * (k - 1);
      out = pl * k;
    } else {
      const g = genotypeCount(pl, k, cap + 1);
      if (g < 0) throw new GlowtsError("BGEN_CORRUPT", `ploidy ${pl} with ${k} alleles needs more probabilities than the block holds`);
      per = g - 1;
      out = g;
    }
    const w = pb > 63 ? 0 : out;
    stored += per * count;
    probCount += w * count;
    ploidySum += pl * count;
    uniformWidth = uniformWidth === -2 || uniformWidth === w ? w : -1;
    uniformPloidy = uniformPloidy === -2 || uniformPloidy === pl ? pl : -1;
  }
  const needBytes = Math.ceil((stored * bits) / 8);
  if (needBytes !== dataBytes) {
    throw new GlowtsError(
      "BGEN_CORRUPT",
      `genotype block holds ${dataBytes} bytes of probabilities but its ploidies, alleles and ${bits}-bit encoding need ${stored > cap ? "more" : needBytes}`,
    );
  }
  return {
    layout: 2,
    nSamples: n,
    nAlleles: k,
    phased,
    bits,
    ploidyStart,
    dataStart,
    storedCount: stored,
    probCount,
    ploidySum,
    uniformWidth: n === 0 ? 0 : uniformWidth,
    uniformPloidy: n === 0 ? 2 : uniformPloidy,
  };
}

function firstSampleWith(d: Uint8Array, start: number, n: number, pb: number): number {
  for (let s = 0; s < n; s++) if (d[start + s] === pb) return s;
  return -1;
}

/** A sample whose stored probabilities add up to more than 1. */
function sumError(sample: number, sum: number, divisor: number): GlowtsError {
  return new GlowtsError(
    "BGEN_CORRUPT",
    `sample ${sample}: stored probabilities sum to ${sum}/${divisor} > 1 (corrupted genotype block)`,
  );
}

/**
 * Layout 1 stores all three probabilities rounded to 1/32768 each: their sum may exceed 1 by
 * the rounding of three values (1.5/32768), so 2 units of slack.
 */
const LAYOUT1_MAX_SUM = 32768 + 2;

/**
 * Validates a layout-1 (BGEN 1.1) genotype block: 3 unsigned 16-bit values per sample, scaled by
 * 1/32768. A sample whose three values are all zero is missing (empty probabilities).
 */
export function inspectLayout1(d: Uint8Array, nSamples: number): GenotypeBlockInfo {
  if (d.length !== 6 * nSamples) {
    throw new GlowtsError("BGEN_CORRUPT", `layout-1 genotype block has ${d.length} bytes, expected ${6 * nSamples}`);
  }
  let missing = 0;
  for (let p = 0, s = 0; p < d.length; p += 6, s++) {
    const sum = (d[p]! | (d[p + 1]! << 8)) + (d[p + 2]! | (d[p + 3]! << 8)) + (d[p + 4]! | (d[p + 5]! << 8));
    if (sum === 0) missing++;
    else if (sum > LAYOUT1_MAX_SUM) throw sumError(s, sum, 32768);
  }
  return {
    layout: 1,
    nSamples,
    nAlleles: 2,
    phased: false,
    bits: 16,
    ploidyStart: 0,
    dataStart: 0,
    storedCount: 3 * nSamples,
    probCount: 3 * (nSamples - missing),
    ploidySum: 2 * nSamples,
    uniformWidth: missing === 0 ? 3 : missing === nSamples ? 0 : -1,
    uniformPloidy: 2,
  };
}

/**
 * Unpacks `count` little-endian bit-packed unsigned values of `bits` bits starting at byte
 * `start` of `d` into `out` (spec: "Probability data storage", least significant bit first).
 */
export function unpackBits(d: Uint8Array, start: number, count: number, bits: number, out: Uint32Array): void {
  let p = start;
  if (bits === 8) {
    for (let i = 0; i < count; i++) out[i] = d[p + i]!;
  } else if (bits === 16) {
    for (let i = 0; i < count; i++, p += 2) out[i] = d[p]! | (d[p + 1]! << 8);
  } else if (bits === 32) {
    for (let i = 0; i < count; i++, p += 4) out[i] = d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24);
  } else if (bits <= 24) {
    const mask = (1 << bits) - 1;
    let bitPos = 0;
    for (let i = 0; i < count; i++) {
      const q = p + (bitPos >>> 3);
      const word = d[q]! | ((d[q + 1] ?? 0) << 8) | ((d[q + 2] ?? 0) << 16) | ((d[q + 3] ?? 0) << 24);
      out[i] = (word >>> (bitPos & 7)) & mask;
      bitPos += bits;
    }
  } else {
    const scale = 2 ** bits;
    let acc = 0; // bits buffered so far, as an exact double (< 2^40)
    let accBits = 0;
    let weight = 1;
    for (let i = 0; i < count; i++) {
      while (accBits < bits) {
        acc += d[p++]! * weight;
        weight *= 256;
        accBits += 8;
      }
      const v = acc % scale;
      out[i] = v;
      acc = (acc - v) / scale;
      accBits -= bits;
      weight = 2 ** accBits;
    }
  }
}

/**
 * Decodes one variant's genotypes into `sink` at `cur` and advances `cur`.
 * @param d the uncompressed genotype block.
 * @param info from {@link inspectLayout2} / {@link inspectLayout1}.
 * @param scratch at least `info.storedCount` entries.
 * @param threshold hard-call threshold (used when `sink.calls` is set).
 */
export function decodeGenotypesInto(
  d: Uint8Array,
  info: GenotypeBlockInfo,
  sink: GenotypeSink,
  cur: SinkCursor,
  scratch: Uint32Array,
  threshold: number,
): void {
  const n = info.nSamples;
  const { probs, probOffsets, calls, callOffsets, ploidy: ploidyOut, phased: phasedOut } = sink;
  let e = cur.element;
  let pp = cur.probPos;
  let cp = cur.callPos;
  if (info.layout === 1) {
    for (let s = 0, q = 0; s < n; s++, q += 6, e++) {
      const a = d[q]! | (d[q + 1]! << 8);
      const b = d[q + 2]! | (d[q + 3]! << 8);
      const c = d[q + 4]! | (d[q + 5]! << 8);
      ploidyOut[e] = 2;
      phasedOut[e] = 0;
      const start = pp;
      if ((a | b | c) !== 0) {
        probs[pp++] = a / 32768;
        probs[pp++] = b / 32768;
        probs[pp++] = c / 32768;
      }
      if (probOffsets) probOffsets[e + 1] = pp;
      if (calls) {
        hardCallsInto(probs, start, pp - start, 2, false, threshold, calls, cp);
        cp += 2;
        if (callOffsets) callOffsets[e + 1] = cp;
      }
    }
    cur.element = e;
    cur.probPos = pp;
    cur.callPos = cp;
    return;
  }
  if (info.nAlleles === 2 && !info.phased && info.uniformPloidy === 2) {
    decodeBiallelicDiploid(d, info, sink, cur, scratch, threshold);
    return;
  }
  unpackBits(d, info.dataStart, info.storedCount, info.bits, scratch);
  const k = info.nAlleles;
  const phased = info.phased;
  const divisor = 2 ** info.bits - 1;
  const ploidyStart = info.ploidyStart;
  const phasedFlag = phased ? 1 : 0;
  let si = 0;
  let combosPloidy = -1;
  let combos = 0;
  for (let s = 0; s < n; s++, e++) {
    const pb = d[ploidyStart + s]!;
    const pl = pb & 63;
    const present = pb <= 63;
    ploidyOut[e] = pl;
    phasedOut[e] = phasedFlag;
    const start = pp;
    if (phased) {
      for (let h = 0; h < pl; h++) {
        let sum = 0;
        for (let j = 0; j < k - 1; j++) {
          const v = scratch[si++]!;
          sum += v;
          if (present) probs[pp++] = v / divisor;
        }
        if (sum > divisor) throw sumError(s, sum, divisor);
        if (present) probs[pp++] = (divisor - sum) / divisor;
      }
    } else {
      if (pl !== combosPloidy) {
        combos = genotypeCount(pl, k, Infinity);
        combosPloidy = pl;
      }
      let sum = 0;
      for (let j = 0; j < combos - 1; j++) {
        const v = scratch[si++]!;
        sum += v;
        if (present) probs[pp++] = v / divisor;
      }
      if (sum > divisor) throw sumError(s, sum, divisor);
      if (present) probs[pp++] = (divisor - sum) / divisor;
    }
    if (probOffsets) probOffsets[e + 1] = pp;
    if (calls) {
      if (pl === 2) {
        hardCallsInto(probs, start, pp - start, k, phased, threshold, calls, cp);
        cp += 2;
      } else {
        for (let h = 0; h < pl; h++) calls[cp++] = -1;
      }
      if (callOffsets) callOffsets[e + 1] = cp;
    }
  }
  cur.element = e;
  cur.probPos = pp;
  cur.callPos = cp;
}

/**
 * The common case (unphased, biallelic, every sample diploid) without the general loop's
 * bookkeeping: two stored values per sample, three probabilities out, calls inlined. Gives
 * exactly what the general path gives (same arithmetic and tie rules).
 */
function decodeBiallelicDiploid(
  d: Uint8Array,
  info: GenotypeBlockInfo,
  sink: GenotypeSink,
  cur: SinkCursor,
  scratch: Uint32Array,
  threshold: number,
): void {
  const n = info.nSamples;
  const { probs, probOffsets, calls, callOffsets, ploidy: ploidyOut, phased: phasedOut } = sink;
  const divisor = 2 ** info.bits - 1;
  const ploidyStart = info.ploidyStart;
  let e = cur.element;
  let pp = cur.probPos;
  let cp = cur.callPos;
  ploidyOut.fill(2, e, e + n);
  phasedOut.fill(0, e, e + n);
  // 8- and 16-bit values are read in place; other widths are unpacked first.
  const bits = info.bits;
  const direct = bits === 8 ? 1 : bits === 16 ? 2 : 0;
  if (direct === 0) unpackBits(d, info.dataStart, info.storedCount, bits, scratch);
  let q = info.dataStart;
  for (let s = 0, si = 0; s < n; s++, e++, si += 2) {
    let a: number;
    let b: number;
    if (direct === 1) {
      a = d[q]!;
      b = d[q + 1]!;
      q += 2;
    } else if (direct === 2) {
      a = d[q]! | (d[q + 1]! << 8);
      b = d[q + 2]! | (d[q + 3]! << 8);
      q += 4;
    } else {
      a = scratch[si]!;
      b = scratch[si + 1]!;
    }
    if (a + b > divisor) throw sumError(s, a + b, divisor);
    const present = d[ploidyStart + s]! <= 63;
    if (present) {
      const p0 = a / divisor;
      const p1 = b / divisor;
      const p2 = (divisor - (a + b)) / divisor;
      probs[pp] = p0;
      probs[pp + 1] = p1;
      probs[pp + 2] = p2;
      pp += 3;
      if (calls) {
        // Glow: the strictly greatest probability >= threshold, first index on ties.
        let idx = -1;
        let max = 0;
        if (p0 >= threshold && p0 > max) { idx = 0; max = p0; }
        if (p1 >= threshold && p1 > max) { idx = 1; max = p1; }
        if (p2 >= threshold && p2 > max) idx = 2;
        calls[cp] = idx === -1 ? -1 : idx === 2 ? 1 : 0;
        calls[cp + 1] = idx === -1 ? -1 : idx === 0 ? 0 : 1;
      }
    } else if (calls) {
      calls[cp] = -1;
      calls[cp + 1] = -1;
    }
    if (calls) {
      cp += 2;
      if (callOffsets) callOffsets[e + 1] = cp;
    }
    if (probOffsets) probOffsets[e + 1] = pp;
  }
  cur.element = e;
  cur.probPos = pp;
  cur.callPos = cp;
}
