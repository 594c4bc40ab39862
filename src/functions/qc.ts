/**
 * Glow's variant QC functions: `call_summary_stats` and `hardy_weinberg` (Levene–Haldane exact
 * test with mid-p, as Hail and Glow compute it).
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, EncodedGenotypes, GenotypesColumn, ListColumn, StructColumn } from "../core/column.js";
import { listRange } from "../core/column.js";
import type { DataType } from "../core/column.js";
import { registerFunction } from "../core/function-registry.js";
import { numAllelesOf } from "./num-alleles.js";
import { isPlinkBedColumn } from "../core/encodings.js";

function callsOf(g: Column, caller: string): { gc: GenotypesColumn; calls: ListColumn; cv: Int32Array } {
  if (g.type !== "genotypes") throw new GlowtsError("TYPE", `${caller}: expected a genotypes column, got ${g.type}`);
  const calls = g.fields["calls"];
  if (!calls || calls.type !== "list" || calls.child.type !== "int") throw new GlowtsError("TYPE", `${caller}: the genotypes have no calls`);
  return { gc: g, calls, cv: calls.child.values };
}

/** Per byte of PLINK codes: how many of its 4 samples have each 2-bit code (00, 01, 10, 11). */
const BYTE_CODE_COUNTS = new Int32Array(256 * 4);
for (let b = 0; b < 256; b++) for (let k = 0; k < 4; k++) BYTE_CODE_COUNTS[b * 4 + ((b >> (2 * k)) & 3)]!++;

/**
 * Kernel over packed PLINK genotypes: per variant the number of samples with each code — index 0:
 * hom alt (00), 1: missing (01), 2: het (10), 3: hom ref (11) in Glow's allele convention.
 */
export function bedCodeCounts(e: EncodedGenotypes, nSamples: number): Int32Array {
  const out = new Int32Array(e.numRows * 4);
  const full = nSamples >> 2;
  const rest = nSamples & 3;
  for (let v = 0; v < e.numRows; v++) {
    const base = v * e.bytesPerVariant;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let j = 0; j < full; j++) {
      const k = e.bytes[base + j]! << 2;
      c0 += BYTE_CODE_COUNTS[k]!; c1 += BYTE_CODE_COUNTS[k + 1]!; c2 += BYTE_CODE_COUNTS[k + 2]!; c3 += BYTE_CODE_COUNTS[k + 3]!;
    }
    if (rest) {
      const b = e.bytes[base + full]!;
      for (let s = 0; s < rest; s++) {
        const code = (b >> (2 * s)) & 3;
        if (code === 0) c0++; else if (code === 1) c1++; else if (code === 2) c2++; else c3++;
      }
    }
    out[4 * v] = c0; out[4 * v + 1] = c1; out[4 * v + 2] = c2; out[4 * v + 3] = c3;
  }
  return out;
}

/**
 * Per variant: `{callRate, nCalled, nUncalled, nHet, nHomozygous[], nNonRef, nAllelesCalled,
 * alleleCounts[], alleleFrequencies[]}`. A genotype is called when all its calls are ≥ 0.
 * @param numAlleles 1 + number of alternate alleles, per row
 */
export function callSummaryStatsColumn(g: Column, numAlleles: Int32Array): StructColumn {
  if (isPlinkBedColumn(g) && numAlleles.every((k) => k === 2)) return callSummaryFromCounts(bedCodeCounts(g.encoded, g.nSamples), numAlleles.length);
  const { gc, calls, cv } = callsOf(g, "call_summary_stats");
  const rows = numAlleles.length;
  const ns = gc.nSamples;
  const callRate = new Float64Array(rows);
  const nCalled = new Int32Array(rows), nUncalled = new Int32Array(rows), nHet = new Int32Array(rows);
  const nNonRef = new Int32Array(rows), nAllelesCalled = new Int32Array(rows);
  const offsets = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) offsets[r + 1] = offsets[r]! + numAlleles[r]!;
  const total = offsets[rows]!;
  const hom = new Int32Array(total), counts = new Int32Array(total), freqs = new Float64Array(total);
  for (let r = 0; r < rows; r++) {
    const base = offsets[r]!;
    const na = numAlleles[r]!;
    let called = 0, uncalled = 0, het = 0, nonRef = 0, alleles = 0;
    for (let s = 0; s < ns; s++) {
      const [a, b] = listRange(calls, r * ns + s);
      let ok = b > a;
      for (let j = a; j < b; j++) if (cv[j]! < 0) { ok = false; break; }
      if (!ok) { uncalled++; continue; }
      called++;
      const first = cv[a]!;
      let same = true, anyNonRef = false;
      for (let j = a; j < b; j++) {
        const c = cv[j]!;
        if (c !== first) same = false;
        if (c > 0) anyNonRef = true;
        if (c < na) counts[base + c]!++;
        alleles++;
      }
      if (same) { if (first < na) hom[base + first]!++; } else het++;
      if (anyNonRef) nonRef++;
    }
    nCalled[r] = called; nUncalled[r] = uncalled; nHet[r] = het; nNonRef[r] = nonRef; nAllelesCalled[r] = alleles;
    callRate[r] = called + uncalled > 0 ? called / (called + uncalled) : NaN;
    for (let k = 0; k < na; k++) freqs[base + k] = alleles > 0 ? counts[base + k]! / alleles : NaN;
  }
  return callSummaryStruct({ callRate, nCalled, nUncalled, nHet, nNonRef, nAllelesCalled, hom, counts, freqs, offsets });
}

interface CallSummaryArrays {
  callRate: Float64Array; nCalled: Int32Array; nUncalled: Int32Array; nHet: Int32Array; nNonRef: Int32Array;
  nAllelesCalled: Int32Array; hom: Int32Array; counts: Int32Array; freqs: Float64Array; offsets: Int32Array;
}

/** The `call_summary_stats` struct column from its per-variant arrays (per-allele ones ragged by `offsets`). */
function callSummaryStruct(a: CallSummaryArrays): StructColumn {
  return {
    type: "struct",
    fields: {
      callRate: { type: "double", values: a.callRate },
      nCalled: { type: "int", values: a.nCalled },
      nUncalled: { type: "int", values: a.nUncalled },
      nHet: { type: "int", values: a.nHet },
      nHomozygous: { type: "list", child: { type: "int", values: a.hom }, offsets: a.offsets.slice() },
      nNonRef: { type: "int", values: a.nNonRef },
      nAllelesCalled: { type: "int", values: a.nAllelesCalled },
      alleleCounts: { type: "list", child: { type: "int", values: a.counts }, offsets: a.offsets.slice() },
      alleleFrequencies: { type: "list", child: { type: "double", values: a.freqs }, offsets: a.offsets },
    },
  };
}

/**
 * Levene–Haldane distribution of the number of heterozygotes among `n` diploids carrying `nA`
 * copies of the rarer allele (nA ≤ n). Returns probabilities indexed by het count (0 where the
 * parity differs), normalized, computed by the recurrences from the mode (Wigginton et al. 2005).
 */
export function leveneHaldane(n: number, nA: number): Float64Array {
  const probs = new Float64Array(nA + 1);
  if (n === 0) return probs;
  const nB = 2 * n - nA;
  // mode near nA*nB/(2n-1), with the parity of nA
  let mid = Math.floor((nA * nB) / (2 * n - 1 > 0 ? 2 * n - 1 : 1));
  if ((mid & 1) !== (nA & 1)) mid++;
  if (mid > nA) mid -= 2;
  if (mid < 0) mid = nA & 1;
  probs[mid] = 1;
  let sum = 1;
  // downwards: P(h-2) = P(h) * h(h-1) / (4 (homA+1)(homB+1))
  for (let h = mid; h > 1; h -= 2) {
    const homA = (nA - h) / 2, homB = (nB - h) / 2;
    probs[h - 2] = (probs[h]! * h * (h - 1)) / (4 * (homA + 1) * (homB + 1));
    sum += probs[h - 2]!;
  }
  // upwards: P(h+2) = P(h) * 4 homA homB / ((h+2)(h+1))
  for (let h = mid; h + 2 <= nA; h += 2) {
    const homA = (nA - h) / 2, homB = (nB - h) / 2;
    probs[h + 2] = (probs[h]! * 4 * homA * homB) / ((h + 2) * (h + 1));
    sum += probs[h + 2]!;
  }
  for (let h = 0; h <= nA; h++) probs[h] = probs[h]! / sum;
  return probs;
}

/**
 * Hardy–Weinberg for one biallelic variant from genotype counts: `hetFreqHwe` is the expected
 * heterozygote fraction under the Levene–Haldane distribution, `pValueHwe` the exact mid-p value
 * (probabilities smaller than the observed one, plus half of those equal to it).
 */
export function hardyWeinbergCounts(nHomRef: number, nHet: number, nHomVar: number): { hetFreqHwe: number; pValueHwe: number } {
  const n = nHomRef + nHet + nHomVar;
  if (n === 0) return { hetFreqHwe: NaN, pValueHwe: NaN };
  const nA = nHet + 2 * Math.min(nHomRef, nHomVar);
  const probs = leveneHaldane(n, nA);
  let mean = 0;
  for (let h = 0; h <= nA; h++) mean += h * probs[h]!;
  const pObs = probs[nHet]!;
  let less = 0, equal = 0;
  const tol = 1e-12 * pObs;
  for (let h = nA & 1; h <= nA; h += 2) {
    const p = probs[h]!;
    if (Math.abs(p - pObs) <= tol) equal += p;
    else if (p < pObs) less += p;
  }
  return { hetFreqHwe: mean / n, pValueHwe: Math.min(1, less + 0.5 * equal) };
}

/** call_summary_stats of biallelic diploid variants from their code counts (see {@link bedCodeCounts}). */
function callSummaryFromCounts(counts: Int32Array, rows: number): StructColumn {
  const callRate = new Float64Array(rows);
  const nCalled = new Int32Array(rows), nUncalled = new Int32Array(rows), nHet = new Int32Array(rows);
  const nNonRef = new Int32Array(rows), nAllelesCalled = new Int32Array(rows);
  const offsets = new Int32Array(rows + 1);
  const hom = new Int32Array(2 * rows), ac = new Int32Array(2 * rows), af = new Float64Array(2 * rows);
  for (let r = 0; r < rows; r++) {
    offsets[r + 1] = 2 * (r + 1);
    const homAlt = counts[4 * r]!, miss = counts[4 * r + 1]!, het = counts[4 * r + 2]!, homRef = counts[4 * r + 3]!;
    const called = homAlt + het + homRef;
    nCalled[r] = called; nUncalled[r] = miss; nHet[r] = het; nNonRef[r] = het + homAlt; nAllelesCalled[r] = 2 * called;
    callRate[r] = called + miss > 0 ? called / (called + miss) : NaN;
    hom[2 * r] = homRef; hom[2 * r + 1] = homAlt;
    ac[2 * r] = 2 * homRef + het; ac[2 * r + 1] = 2 * homAlt + het;
    af[2 * r] = called ? ac[2 * r]! / (2 * called) : NaN; af[2 * r + 1] = called ? ac[2 * r + 1]! / (2 * called) : NaN;
  }
  return callSummaryStruct({ callRate, nCalled, nUncalled, nHet, nNonRef, nAllelesCalled, hom, counts: ac, freqs: af, offsets });
}

/** Column kernel: `{hetFreqHwe, pValueHwe}` per variant from diploid biallelic calls (0/1 alleles). */
export function hardyWeinbergColumn(g: Column): StructColumn {
  if (isPlinkBedColumn(g)) {
    const counts = bedCodeCounts(g.encoded, g.nSamples);
    const rows = g.encoded.numRows;
    const het = new Float64Array(rows), pv = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const res = hardyWeinbergCounts(counts[4 * r + 3]!, counts[4 * r + 2]!, counts[4 * r]!);
      het[r] = res.hetFreqHwe;
      pv[r] = res.pValueHwe;
    }
    return { type: "struct", fields: { hetFreqHwe: { type: "double", values: het }, pValueHwe: { type: "double", values: pv } } };
  }
  const { gc, calls, cv } = callsOf(g, "hardy_weinberg");
  const ns = gc.nSamples;
  const rows = ns > 0 ? (calls.offsets ? calls.offsets.length - 1 : cv.length / (calls.width || 1)) / ns : 0;
  const het = new Float64Array(rows), pv = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let a0 = 0, a1 = 0, a2 = 0;
    for (let s = 0; s < ns; s++) {
      const [a, b] = listRange(calls, r * ns + s);
      if (b - a !== 2) continue;
      const x = cv[a]!, y = cv[a + 1]!;
      if (x < 0 || y < 0 || x > 1 || y > 1) continue;
      const k = x + y;
      if (k === 0) a0++; else if (k === 1) a1++; else a2++;
    }
    const res = hardyWeinbergCounts(a0, a1, a2);
    het[r] = res.hetFreqHwe;
    pv[r] = res.pValueHwe;
  }
  return { type: "struct", fields: { hetFreqHwe: { type: "double", values: het }, pValueHwe: { type: "double", values: pv } } };
}

const callSummaryType: DataType = {
  struct: [
    { name: "callRate", type: "double" }, { name: "nCalled", type: "int" }, { name: "nUncalled", type: "int" },
    { name: "nHet", type: "int" }, { name: "nHomozygous", type: { list: "int" } }, { name: "nNonRef", type: "int" },
    { name: "nAllelesCalled", type: "int" }, { name: "alleleCounts", type: { list: "int" } }, { name: "alleleFrequencies", type: { list: "double" } },
  ],
};

registerFunction("callSummaryStats", {
  evaluate: ([g], _p, batch) => callSummaryStatsColumn(g!, numAllelesOf(batch, "call_summary_stats")),
  type: () => callSummaryType,
});
registerFunction("hardyWeinberg", {
  evaluate: ([g]) => hardyWeinbergColumn(g!),
  type: () => ({ struct: [{ name: "hetFreqHwe", type: "double" }, { name: "pValueHwe", type: "double" }] }),
});
