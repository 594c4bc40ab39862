/**
 * Tail probabilities used by the association tests: Student's t (two-sided) and χ², computed as
 * upper tails directly (never `1 - cdf`, which loses every digit below 1e-16), plus `log10` forms
 * that stay exact where the p-value underflows to 0 (|t| or χ² so large that p < 1e-308).
 *
 * Kernels: `@stdlib/math-base-special-betainc` / `gammainc` (regularized, upper tail) for p; a
 * log-space continued fraction (modified Lentz) for log p when p is below {@link LOG_SWITCH}.
 *
 * @see Numerical Recipes 3rd ed. §6.2 (incomplete gamma CF) and §6.4 (incomplete beta CF).
 */
import betainc from "@stdlib/math-base-special-betainc";
import gammainc from "@stdlib/math-base-special-gammainc";
import gammaln from "@stdlib/math-base-special-gammaln";

/** Below this p-value the log10 forms switch from `log10(p)` to the log-space series. */
export const LOG_SWITCH = 1e-290;

/** Standard normal quantile at 0.975 (two-sided 95% Wald intervals), Φ⁻¹(0.975). */
export const Z_975 = 1.959963984540054;

const LN10 = Math.LN10;

/**
 * Two-sided p-value of Student's t: `P(|T| ≥ |t|)` with `dof` degrees of freedom
 * (scipy `2 * t.sf(|t|, dof)`). NaN for NaN input or dof ≤ 0.
 */
export function tTwoSidedPValue(t: number, dof: number): number {
  if (Number.isNaN(t) || !(dof > 0)) return NaN;
  const t2 = t * t;
  if (t2 === Infinity) return 0;
  // p = I_{dof/(dof+t²)}(dof/2, 1/2) = upper tail of I_{t²/(dof+t²)}(1/2, dof/2):
  // compute with whichever argument is small so that neither is formed as 1 - (something).
  if (t2 > dof) return betainc(dof / (dof + t2), dof / 2, 0.5, true, false);
  return betainc(t2 / (dof + t2), 0.5, dof / 2, true, true);
}

/** `log10` of {@link tTwoSidedPValue}, finite even where the p-value underflows. */
export function tTwoSidedLog10PValue(t: number, dof: number): number {
  const p = tTwoSidedPValue(t, dof);
  if (!(p < LOG_SWITCH) || Number.isNaN(p)) return Math.log10(p);
  const t2 = t * t;
  if (t2 === Infinity) return -Infinity;
  const x = dof / (dof + t2);
  return logBetaIncLower(x, t2 / (dof + t2), dof / 2, 0.5) / LN10;
}

/** Upper tail of χ² with 1 degree of freedom: `P(X ≥ x)` = erfc(√(x/2)). NaN for NaN input. */
export function chiSquared1PValue(x: number): number {
  return chiSquaredPValue(x, 1);
}

/** Upper tail of χ² with `df` degrees of freedom: Q(df/2, x/2). x ≤ 0 gives 1. */
export function chiSquaredPValue(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

/** `log10` of {@link chiSquaredPValue}, finite even where the p-value underflows. */
export function chiSquaredLog10PValue(x: number, df = 1): number {
  const p = chiSquaredPValue(x, df);
  if (!(p < LOG_SWITCH) || Number.isNaN(p)) return Math.log10(p);
  if (x === Infinity) return -Infinity;
  return logGammaIncUpper(df / 2, x / 2) / LN10;
}

/**
 * ln Q(a, z) (regularized upper incomplete gamma) by the Legendre continued fraction, valid and
 * fast for z > a + 1 (the only region where Q underflows).
 */
export function logGammaIncUpper(a: number, z: number): number {
  const TINY = 1e-300;
  let b = z + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return -z + a * Math.log(z) - gammaln(a) + Math.log(h);
}

/**
 * ln I_x(a, b) (regularized lower incomplete beta) by the continued fraction, with `y = 1 - x`
 * passed separately so that it is never formed by subtraction. Valid for x < (a+1)/(a+b+2); the
 * symmetric form is used otherwise.
 */
export function logBetaIncLower(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return -Infinity;
  if (y <= 0) return 0;
  if (x > (a + 1) / (a + b + 2)) {
    // I_x(a,b) = 1 - I_y(b,a); here the result is not tiny, so plain log is exact enough.
    return Math.log1p(-Math.exp(logBetaIncLower(y, x, b, a)));
  }
  const lbeta = gammaln(a) + gammaln(b) - gammaln(a + b);
  const front = a * Math.log(x) + b * Math.log(y) - lbeta - Math.log(a);
  return front + Math.log(betaContinuedFraction(x, a, b));
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}
