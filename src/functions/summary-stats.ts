/**
 * Glow's summary-statistic functions over arrays and genotype fields: `array_summary_stats`,
 * `dp_summary_stats`, `gq_summary_stats` (`{mean, stdDev, min, max}`, sample standard deviation
 * with n − 1) and `array_quantile` (linear interpolation between order statistics).
 *
 * Null and NaN elements are skipped. With no element left every field is null; with one element
 * `stdDev` is null (the sample variance of one value is undefined, as Spark's `stddev_samp`).
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, DataType, ListColumn, StructColumn } from "../core/column.js";
import { columnLength, listRange } from "../core/column.js";

/** The `{mean, stdDev, min, max}` struct type. */
export const summaryStatsType: DataType = {
  struct: [
    { name: "mean", type: "double" }, { name: "stdDev", type: "double" },
    { name: "min", type: "double" }, { name: "max", type: "double" },
  ],
};

/** Running count, mean and sum of squared deviations (Welford), plus min and max. */
export interface MomentAccumulator { n: number; mean: number; m2: number; min: number; max: number }

/** Kernel: adds value `x` to accumulator slot `i` of the parallel arrays. */
export function welfordAdd(n: Float64Array, mean: Float64Array, m2: Float64Array, min: Float64Array, max: Float64Array, i: number, x: number): void {
  const k = ++n[i]!;
  const d = x - mean[i]!;
  mean[i] = mean[i]! + d / k;
  m2[i] = m2[i]! + d * (x - mean[i]!);
  if (k === 1 || x < min[i]!) min[i] = x;
  if (k === 1 || x > max[i]!) max[i] = x;
}

/** Kernel: merges slot `j` of accumulator b into slot `i` of accumulator a (Chan et al.). */
export function welfordMerge(
  a: { n: Float64Array; mean: Float64Array; m2: Float64Array; min: Float64Array; max: Float64Array }, i: number,
  b: { n: Float64Array; mean: Float64Array; m2: Float64Array; min: Float64Array; max: Float64Array }, j: number,
): void {
  const nb = b.n[j]!;
  if (nb === 0) return;
  const na = a.n[i]!;
  if (na === 0) { a.n[i] = nb; a.mean[i] = b.mean[j]!; a.m2[i] = b.m2[j]!; a.min[i] = b.min[j]!; a.max[i] = b.max[j]!; return; }
  const n = na + nb;
  const d = b.mean[j]! - a.mean[i]!;
  a.mean[i] = a.mean[i]! + (d * nb) / n;
  a.m2[i] = a.m2[i]! + b.m2[j]! + (d * d * na * nb) / n;
  a.n[i] = n;
  if (b.min[j]! < a.min[i]!) a.min[i] = b.min[j]!;
  if (b.max[j]! > a.max[i]!) a.max[i] = b.max[j]!;
}

/** The `{mean, stdDev, min, max}` struct column from accumulators (nulls where n = 0, stdDev null where n < 2). */
export function summaryStatsStruct(n: Float64Array, mean: Float64Array, m2: Float64Array, min: Float64Array, max: Float64Array): StructColumn {
  const rows = n.length;
  const sd = new Float64Array(rows);
  const empty = new Uint8Array(rows), sdNull = new Uint8Array(rows);
  let anyEmpty = false, anySdNull = false;
  const mo = mean.slice(), mi = min.slice(), ma = max.slice();
  for (let r = 0; r < rows; r++) {
    if (n[r]! === 0) { empty[r] = 1; anyEmpty = true; mo[r] = 0; mi[r] = 0; ma[r] = 0; }
    if (n[r]! < 2) { sdNull[r] = 1; anySdNull = true; } else sd[r] = Math.sqrt(m2[r]! / (n[r]! - 1));
  }
  const nulls = anyEmpty ? empty : undefined;
  return {
    type: "struct",
    fields: {
      mean: { type: "double", values: mo, nulls },
      stdDev: { type: "double", values: sd, nulls: anySdNull ? sdNull : undefined },
      min: { type: "double", values: mi, nulls },
      max: { type: "double", values: ma, nulls },
    },
  };
}

function numericChild(c: ListColumn, caller: string): { values: ArrayLike<number>; nulls: Uint8Array | undefined } {
  const ch = c.child;
  if (ch.type !== "double" && ch.type !== "long" && ch.type !== "int") throw new GlowtsError("TYPE", `${caller}: expected an array of numbers, got array<${ch.type}>`);
  return { values: ch.values, nulls: ch.nulls };
}

/** Column kernel of `array_summary_stats(arr)`: per row `{mean, stdDev, min, max}` of the array's elements. */
export function arraySummaryStatsColumn(c: Column): StructColumn {
  if (c.type !== "list") throw new GlowtsError("TYPE", `array_summary_stats: expected an array, got ${c.type}`);
  const rows = columnLength(c);
  const { values, nulls } = numericChild(c, "array_summary_stats");
  const acc = newMoments(rows);
  for (let r = 0; r < rows; r++) {
    if (c.nulls && c.nulls[r]) continue;
    const [a, b] = listRange(c, r);
    for (let j = a; j < b; j++) {
      const x = values[j]!;
      if (x !== x || (nulls && nulls[j])) continue;
      welfordAdd(acc.n, acc.mean, acc.m2, acc.min, acc.max, r, x);
    }
  }
  return summaryStatsStruct(acc.n, acc.mean, acc.m2, acc.min, acc.max);
}

/** Zeroed accumulators for `rows` slots. */
export function newMoments(rows: number): { n: Float64Array; mean: Float64Array; m2: Float64Array; min: Float64Array; max: Float64Array } {
  return { n: new Float64Array(rows), mean: new Float64Array(rows), m2: new Float64Array(rows), min: new Float64Array(rows), max: new Float64Array(rows) };
}

/** The per-(variant, sample) numeric field `field` of a genotypes column (e.g. `depth`), or throws. */
export function genotypeField(g: Column, field: string, caller: string): { values: ArrayLike<number>; nulls: Uint8Array | undefined; nSamples: number; rows: number } {
  if (g.type !== "genotypes") throw new GlowtsError("TYPE", `${caller}: expected a genotypes column, got ${g.type}`);
  const rows = columnLength(g);
  const f = g.fields[field];
  if (!f) throw new GlowtsError("COLUMN", `${caller}: the genotypes have no '${field}' field; fields: ${Object.keys(g.fields).join(", ")}`);
  if (f.type !== "int" && f.type !== "double" && f.type !== "long") throw new GlowtsError("TYPE", `${caller}: genotypes.${field} is ${f.type}, not a number`);
  return { values: f.values, nulls: f.nulls, nSamples: g.nSamples, rows };
}

/**
 * Column kernel of `dp_summary_stats` / `gq_summary_stats`: per variant `{mean, stdDev, min, max}`
 * of a genotype field over the samples (missing values skipped).
 */
export function genotypeFieldSummaryStatsColumn(g: Column, field: string, caller: string): StructColumn {
  const { values, nulls, nSamples, rows } = genotypeField(g, field, caller);
  const acc = newMoments(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * nSamples;
    for (let s = 0; s < nSamples; s++) {
      const i = base + s;
      const x = values[i]!;
      if (x !== x || (nulls && nulls[i])) continue;
      welfordAdd(acc.n, acc.mean, acc.m2, acc.min, acc.max, r, x);
    }
  }
  return summaryStatsStruct(acc.n, acc.mean, acc.m2, acc.min, acc.max);
}

/**
 * The `q` quantile of sorted values `v[0..n)` by linear interpolation between order statistics
 * (position q·(n−1); R's type 7): [1, 2, 3, 4, 5] at 0.7 gives 3.8. NaN when n = 0.
 */
export function quantileSorted(v: ArrayLike<number>, n: number, q: number): number {
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  const a = v[lo]!, b = v[hi]!;
  return lo === hi ? a : a + (b - a) * (pos - lo);
}

/**
 * Column kernel of `array_quantile(arr, quantile, isSorted)`: per row the linearly interpolated
 * quantile of the non-null, non-NaN elements (null for an empty or null array).
 * @throws GlowtsError when `quantile` is outside [0, 1]
 */
export function arrayQuantileColumn(c: Column, quantile: number, isSorted: boolean): Column {
  if (!(quantile >= 0 && quantile <= 1)) throw new GlowtsError("OPTION", `array_quantile: quantile must be in [0, 1], got ${quantile}`, { option: "quantile" });
  if (c.type !== "list") throw new GlowtsError("TYPE", `array_quantile: expected an array, got ${c.type}`);
  const rows = columnLength(c);
  const { values, nulls } = numericChild(c, "array_quantile");
  const out = new Float64Array(rows);
  const outNulls = new Uint8Array(rows);
  let anyNull = false;
  let buf = new Float64Array(16);
  for (let r = 0; r < rows; r++) {
    const [a, b] = listRange(c, r);
    if (buf.length < b - a) buf = new Float64Array(b - a);
    let k = 0;
    if (!(c.nulls && c.nulls[r])) for (let j = a; j < b; j++) { const x = values[j]!; if (x === x && !(nulls && nulls[j])) buf[k++] = x; }
    if (k === 0) { outNulls[r] = 1; anyNull = true; continue; }
    const view = buf.subarray(0, k);
    if (!isSorted) view.sort();
    out[r] = quantileSorted(view, k, quantile);
  }
  return { type: "double", values: out, nulls: anyNull ? outNulls : undefined };
}
