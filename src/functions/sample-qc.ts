/**
 * Glow's sample QC aggregates — `sample_call_summary_stats`, `sample_dp_summary_stats`,
 * `sample_gq_summary_stats` — as partial aggregates (one accumulator per sample, computed over one
 * partition's variants) that merge associatively, so the workers fold their partitions and the
 * calling thread only combines `nSamples`-sized accumulators.
 *
 * A partial is a {@link VariantBatch} with one row per sample (it crosses threads like any batch).
 * Call statistics follow Glow (and Hail's `sample_qc`): a genotype is called when it has calls and
 * none is negative; homozygous-reference when all calls are 0, heterozygous when they differ,
 * homozygous-variant otherwise; `nSnp`, `nInsertion`, `nDeletion`, `nTransition`,
 * `nTransversion`, `nSpanningDeletion` count alternate-allele copies of called genotypes by the
 * allele's type against the reference allele.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, DoubleColumn, GenotypesColumn, IntColumn, VariantBatch } from "../core/column.js";
import { columnLength, listRange } from "../core/column.js";
import { genotypeField, newMoments, welfordAdd, welfordMerge } from "./summary-stats.js";

/** Counters of `sample_call_summary_stats`, in output order. */
export const SAMPLE_CALL_COUNTERS = [
  "nCalled", "nUncalled", "nHomRef", "nHet", "nHomVar", "nSnp", "nInsertion", "nDeletion",
  "nTransition", "nTransversion", "nSpanningDeletion",
] as const;

/** Alternate-allele types (Hail's classification, which Glow follows). */
export const AlleleType = { Snp: 1, Mnp: 2, Insertion: 3, Deletion: 4, Complex: 5, Star: 6, Symbolic: 7 } as const;
export type AlleleType = (typeof AlleleType)[keyof typeof AlleleType];

/** The type of `alt` against `ref` (upper-cased bases). `transition` is set for SNPs A↔G, C↔T. */
export function alleleType(ref: string, alt: string): { type: AlleleType; transition: boolean } {
  if (alt === "*") return { type: AlleleType.Star, transition: false };
  if (/[<>[\].]/.test(alt) || !/^[ACGTN]+$/i.test(alt)) return { type: AlleleType.Symbolic, transition: false };
  const r = ref.toUpperCase(), a = alt.toUpperCase();
  if (r.length === a.length) {
    let mism = 0, at = -1;
    for (let i = 0; i < r.length; i++) if (r[i] !== a[i]) { mism++; at = i; }
    if (mism === 1) {
      const pair = r[at]! + a[at]!;
      return { type: AlleleType.Snp, transition: pair === "AG" || pair === "GA" || pair === "CT" || pair === "TC" };
    }
    return { type: AlleleType.Mnp, transition: false };
  }
  if (r.length < a.length && r[0] === a[0] && a.endsWith(r.slice(1))) return { type: AlleleType.Insertion, transition: false };
  if (a.length < r.length && r[0] === a[0] && r.endsWith(a.slice(1))) return { type: AlleleType.Deletion, transition: false };
  return { type: AlleleType.Complex, transition: false };
}

function stringsOf(c: Column, caller: string): (string | null)[] {
  if (c.type !== "string") throw new GlowtsError("TYPE", `${caller}: expected the reference allele as a string column, got ${c.type}`);
  return c.values;
}

function genotypesOf(c: Column, caller: string): GenotypesColumn {
  if (c.type !== "genotypes") throw new GlowtsError("TYPE", `${caller}: expected a genotypes column, got ${c.type}`);
  return c;
}

function sampleIdColumn(g: GenotypesColumn): Column {
  return { type: "string", values: g.sampleIds ? [...g.sampleIds] : new Array<string | null>(g.nSamples).fill(null) };
}

/**
 * Partial `sample_call_summary_stats` over one batch of variants: one row per sample with the
 * integer counters of {@link SAMPLE_CALL_COUNTERS} (and `sampleId`).
 */
export function sampleCallSummaryPartial(genotypes: Column, referenceAllele: Column, alternateAlleles: Column): VariantBatch {
  const caller = "sample_call_summary_stats";
  const g = genotypesOf(genotypes, caller);
  const ns = g.nSamples;
  const rows = columnLength(g);
  const acc: Record<string, Int32Array> = {};
  for (const k of SAMPLE_CALL_COUNTERS) acc[k] = new Int32Array(ns);
  if (rows > 0) {
    const calls = g.fields["calls"];
    if (!calls || calls.type !== "list" || calls.child.type !== "int") throw new GlowtsError("TYPE", `${caller}: the genotypes have no calls`);
    const cv = calls.child.values;
    const refs = stringsOf(referenceAllele, caller);
    if (alternateAlleles.type !== "list" || alternateAlleles.child.type !== "string") throw new GlowtsError("TYPE", `${caller}: expected alternateAlleles as array<string>`);
    const altCol = alternateAlleles;
    const altVals = (alternateAlleles.child as { values: (string | null)[] }).values;
    const nCalled = acc["nCalled"]!, nUncalled = acc["nUncalled"]!, nHomRef = acc["nHomRef"]!, nHet = acc["nHet"]!, nHomVar = acc["nHomVar"]!;
    const nSnp = acc["nSnp"]!, nIns = acc["nInsertion"]!, nDel = acc["nDeletion"]!, nTi = acc["nTransition"]!, nTv = acc["nTransversion"]!, nStar = acc["nSpanningDeletion"]!;
    for (let r = 0; r < rows; r++) {
      const [aa, ab] = listRange(altCol, r);
      const ref = refs[r] ?? "";
      // per allele index: 0 = ref; 1.. = alternate types; 10 + type marks a transition SNP
      const types = new Int32Array(ab - aa + 1);
      for (let j = aa; j < ab; j++) { const t = alleleType(ref, altVals[j] ?? ""); types[j - aa + 1] = t.type + (t.transition ? 10 : 0); }
      const base = r * ns;
      for (let s = 0; s < ns; s++) {
        const [a, b] = listRange(calls, base + s);
        let ok = b > a && !(calls.nulls && calls.nulls[base + s]);
        for (let j = a; ok && j < b; j++) if (cv[j]! < 0) ok = false;
        if (!ok) { nUncalled[s]!++; continue; }
        nCalled[s]!++;
        const first = cv[a]!;
        let same = true, allRef = true;
        for (let j = a; j < b; j++) {
          const c = cv[j]!;
          if (c !== first) same = false;
          if (c === 0) continue;
          allRef = false;
          const t: number = c < types.length ? types[c]! : AlleleType.Symbolic;
          const kind: number = t > 10 ? t - 10 : t;
          if (kind === AlleleType.Snp) { nSnp[s]!++; if (t > 10) nTi[s]!++; else nTv[s]!++; }
          else if (kind === AlleleType.Insertion) nIns[s]!++;
          else if (kind === AlleleType.Deletion) nDel[s]!++;
          else if (kind === AlleleType.Star) nStar[s]!++;
        }
        if (allRef) nHomRef[s]!++;
        else if (!same) nHet[s]!++;
        else nHomVar[s]!++;
      }
    }
  }
  const columns: Record<string, Column> = { sampleId: sampleIdColumn(g) };
  for (const k of SAMPLE_CALL_COUNTERS) columns[k] = { type: "int", values: acc[k]! };
  return { numRows: ns, columns };
}

/** Merges two partials of the same kind (same samples, same order): counters add, moments combine. */
export function combineSamplePartials(a: VariantBatch, b: VariantBatch): VariantBatch {
  if (a.numRows === 0) return b;
  if (b.numRows === 0) return a;
  if (a.numRows !== b.numRows) throw new GlowtsError("SAMPLES", `sample QC: partitions have different sample counts (${a.numRows} and ${b.numRows}); the genotypes of every row must hold the same samples`);
  const ids = a.columns["sampleId"] as { values: (string | null)[] } | undefined;
  const idsB = b.columns["sampleId"] as { values: (string | null)[] } | undefined;
  if (ids && idsB) for (let i = 0; i < a.numRows; i++) if (ids.values[i] !== idsB.values[i]) throw new GlowtsError("SAMPLES", `sample QC: sample ${i} is '${ids.values[i]}' in one partition and '${idsB.values[i]}' in another`);
  if (a.columns["n"]) {
    const m = (x: VariantBatch) => ({
      n: (x.columns["n"] as DoubleColumn).values, mean: (x.columns["mean"] as DoubleColumn).values, m2: (x.columns["m2"] as DoubleColumn).values,
      min: (x.columns["min"] as DoubleColumn).values, max: (x.columns["max"] as DoubleColumn).values,
    });
    const ma = m(a), mb = m(b);
    for (let i = 0; i < a.numRows; i++) welfordMerge(ma, i, mb, i);
    return a;
  }
  for (const k of SAMPLE_CALL_COUNTERS) {
    const x = (a.columns[k] as IntColumn).values, y = (b.columns[k] as IntColumn).values;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + y[i]!;
  }
  return a;
}

/** Final `sample_call_summary_stats` rows from a combined partial: the counters plus `callRate`, `rTiTv`, `rInsertionDeletion`, `rHetHomVar`. */
export function finishSampleCallSummary(p: VariantBatch): Record<string, ArrayLike<number> | (string | null)[]> {
  const get = (k: string): Int32Array => (p.columns[k] as IntColumn).values;
  const n = p.numRows;
  const callRate = new Float64Array(n), rTiTv = new Float64Array(n), rInsDel = new Float64Array(n), rHetHomVar = new Float64Array(n);
  const called = get("nCalled"), uncalled = get("nUncalled");
  for (let i = 0; i < n; i++) {
    callRate[i] = called[i]! / (called[i]! + uncalled[i]!);
    rTiTv[i] = get("nTransition")[i]! / get("nTransversion")[i]!;
    rInsDel[i] = get("nInsertion")[i]! / get("nDeletion")[i]!;
    rHetHomVar[i] = get("nHet")[i]! / get("nHomVar")[i]!;
  }
  const out: Record<string, ArrayLike<number> | (string | null)[]> = { sampleId: (p.columns["sampleId"] as { values: (string | null)[] }).values, callRate };
  for (const k of SAMPLE_CALL_COUNTERS) out[k] = get(k);
  out["rTiTv"] = rTiTv; out["rInsertionDeletion"] = rInsDel; out["rHetHomVar"] = rHetHomVar;
  return out;
}

/**
 * Partial `sample_dp_summary_stats` / `sample_gq_summary_stats`: per sample the count, mean, sum
 * of squared deviations, min and max of genotype field `field` (`depth`, `conditionalQuality`) over
 * the batch's variants, missing values skipped.
 */
export function sampleFieldPartial(genotypes: Column, field: string, caller: string): VariantBatch {
  const g = genotypesOf(genotypes, caller);
  const ns = g.nSamples;
  const acc = newMoments(ns);
  if (columnLength(g) > 0) {
    const { values, nulls, rows } = genotypeField(g, field, caller);
    for (let r = 0; r < rows; r++) {
      const base = r * ns;
      for (let s = 0; s < ns; s++) {
        const x = values[base + s]!;
        if (x !== x || (nulls && nulls[base + s])) continue;
        welfordAdd(acc.n, acc.mean, acc.m2, acc.min, acc.max, s, x);
      }
    }
  }
  const d = (v: Float64Array): Column => ({ type: "double", values: v });
  return { numRows: ns, columns: { sampleId: sampleIdColumn(g), n: d(acc.n), mean: d(acc.mean), m2: d(acc.m2), min: d(acc.min), max: d(acc.max) } };
}

/** Final `{sampleId, mean, stdDev, min, max}` from a combined moment partial (NaN where undefined). */
export function finishSampleField(p: VariantBatch): Record<string, ArrayLike<number> | (string | null)[]> {
  const v = (k: string): Float64Array => (p.columns[k] as DoubleColumn).values;
  const n = v("n"), m2 = v("m2");
  const rows = p.numRows;
  const mean = new Float64Array(rows), sd = new Float64Array(rows), min = new Float64Array(rows), max = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const k = n[i]!;
    mean[i] = k > 0 ? v("mean")[i]! : NaN;
    min[i] = k > 0 ? v("min")[i]! : NaN;
    max[i] = k > 0 ? v("max")[i]! : NaN;
    sd[i] = k > 1 ? Math.sqrt(m2[i]! / (k - 1)) : NaN;
  }
  return { sampleId: (p.columns["sampleId"] as { values: (string | null)[] }).values, mean, stdDev: sd, min, max };
}
