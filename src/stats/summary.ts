/**
 * The few statistics that plots and displays show: genomic inflation λGC, the pointwise confidence
 * band of a uniform QQ plot, and summary statistics of numeric arrays. Renderers call these; they
 * never compute statistics inline.
 */
import betainc from "@stdlib/math-base-special-betainc";
import gammainc from "@stdlib/math-base-special-gammainc";

/** Median of the χ² distribution with 1 degree of freedom, qchisq(0.5, 1). */
export const MEDIAN_CHI2_1 = 0.454936423119572;

/**
 * Quantile of χ²₁ at upper-tail probability `p`: the x with P(X ≥ x) = p, i.e. `qchisq(p, 1,
 * lower.tail = FALSE)`. Solved by bisection on the regularized upper incomplete gamma
 * Q(½, x/2) = p (monotone decreasing in x), to a relative tolerance of 1e-12.
 */
export function chiSquared1UpperQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 1) return 0;
  if (p === 0) return Infinity;
  let lo = 0;
  let hi = 1;
  while (gammainc(hi / 2, 0.5, true, true) > p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e5) return hi;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (gammainc(mid / 2, 0.5, true, true) > p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** The p-values in [0, 1] of an array, in input order (NaN/null/out-of-range dropped). */
export function validPvalues(pvalues: ArrayLike<number | null | undefined>): Float64Array {
  const out = new Float64Array(pvalues.length);
  let n = 0;
  for (let i = 0; i < pvalues.length; i++) {
    const p = pvalues[i];
    if (typeof p === "number" && p >= 0 && p <= 1) out[n++] = p;
  }
  return out.subarray(0, n);
}

/**
 * The k-th smallest element (0-based) of `a`, by Hoare's quickselect with median-of-three pivots
 * (expected linear time). Reorders `a`.
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three into a[mid]
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Genomic inflation factor λGC = median(χ²₁ statistics) / qchisq(0.5, 1), with the statistics
 * recovered from two-sided p-values as χ² = qchisq(p, 1, lower.tail = FALSE). Values outside
 * [0, 1] and NaN are ignored. For an even count the median is the mean of the two middle χ² values.
 * Linear time (quickselect on a copy).
 * @returns λGC (NaN for no valid p-value); ≈ 1 under the null, > 1 under inflation
 * @example
 * ```ts
 * glow.plot.lambdaGc([0.5, 0.5, 0.5]) // 1
 * ```
 */
export function lambdaGc(pvalues: ArrayLike<number | null | undefined>): number {
  const s = validPvalues(pvalues);
  const n = s.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  const upper = selectKth(s, mid);
  let chi: number;
  if (n % 2 === 1) chi = chiSquared1UpperQuantile(upper);
  else {
    // the largest of the lower half (all ≤ upper after selection)
    let lower = -Infinity;
    for (let i = 0; i < mid; i++) if (s[i]! > lower) lower = s[i]!;
    chi = 0.5 * (chiSquared1UpperQuantile(lower) + chiSquared1UpperQuantile(upper));
  }
  return chi / MEDIAN_CHI2_1;
}

/** Quantile `q` of Beta(a, b) by bisection on the regularized incomplete beta (tolerance 1e-10 relative). */
export function betaQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  // bisection on log x keeps relative precision for the tiny quantiles of the first order statistics
  let lo = -800;
  let hi = 0;
  for (let i = 0; i < 70; i++) {
    const mid = 0.5 * (lo + hi);
    if (betainc(Math.exp(mid), a, b) < q) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-10) break;
  }
  return Math.exp(0.5 * (lo + hi));
}

/** A point of the QQ band: expected −log10 p of rank k and the band's bounds in −log10 p. */
export interface QqBandPoint {
  expected: number;
  lower: number;
  upper: number;
}

/**
 * Pointwise confidence band of the k-th smallest of `n` uniform p-values (Beta(k, n − k + 1)),
 * at about `points` ranks spaced evenly in −log10 of the expected p.
 * @param level coverage @defaultValue 0.95
 */
export function qqBand(n: number, level = 0.95, points = 80): QqBandPoint[] {
  if (n < 1) return [];
  const ranks = new Set<number>();
  const maxE = Math.log10(n / 0.5);
  for (let i = 0; i <= points; i++) {
    const e = (maxE * i) / points; // expected −log10 p = −log10((k − 0.5)/n)
    const k = Math.min(n, Math.max(1, Math.round(n * 10 ** -e + 0.5)));
    ranks.add(k);
  }
  const alpha = (1 - level) / 2;
  return [...ranks].sort((a, b) => b - a).map((k) => ({
    expected: -Math.log10((k - 0.5) / n),
    lower: -Math.log10(betaQuantile(1 - alpha, k, n - k + 1)),
    upper: -Math.log10(betaQuantile(alpha, k, n - k + 1)),
  }));
}

/** Summary statistics of a numeric array (NaN and null are counted, not used). */
export interface SummaryStats {
  count: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  sd: number;
}

/** Count, missing (NaN/null), min, max, mean and sample standard deviation (Welford). */
export function summaryStats(values: ArrayLike<number | null | undefined>): SummaryStats {
  return summaryStatsOf(values.length, (i) => values[i]);
}

/** {@link summaryStats} of `n` values read through `at(i)` (e.g. the cells of a matrix, without copying). */
export function summaryStatsOf(n: number, at: (i: number) => number | null | undefined): SummaryStats {
  let count = 0;
  let missing = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    if (typeof v !== "number" || Number.isNaN(v)) { missing++; continue; }
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    count,
    missing,
    min: count ? min : NaN,
    max: count ? max : NaN,
    mean: count ? mean : NaN,
    sd: count > 1 ? Math.sqrt(m2 / (count - 1)) : NaN,
  };
}

/** A histogram bin `[x0, x1)` (the last bin includes x1). */
export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

/**
 * Counts values into `bins` equal-width bins over `domain` (NaN/null skipped; values outside the
 * domain counted in `outside`). A degenerate domain (min = max) becomes [min − 0.5, max + 0.5].
 */
export function binCounts(values: ArrayLike<number>, bins: number, domain: readonly [number, number]): { bins: Bin[]; outside: number } {
  let [lo, hi] = domain;
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== "number" || Number.isNaN(v)) continue;
    if (v < lo || v > hi) { outside++; continue; }
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { bins: Array.from(counts, (count, k) => ({ x0: lo + k * width, x1: k === bins - 1 ? hi : lo + (k + 1) * width, count })), outside };
}
