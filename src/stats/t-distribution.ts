/**
 * Student's t tail probabilities (two-sided), as upper tails computed directly, plus the `log10`
 * form that stays exact where the p-value underflows: p = I_x(ν/2, ½) with x = ν/(ν+t²)
 * (regularized incomplete beta), evaluated by the Lentz continued fraction with its prefactor in
 * log space (x, 1−x and log x from r = t²/ν without cancellation, log B(ν/2, ½) by a Stirling
 * difference that stays exact for large ν). See ./distributions.ts for the accuracy figures.
 *
 * A module of its own so that the linear GWAS workers do not load the χ² functions' dependencies
 * when they start.
 *
 * @see Numerical Recipes 3rd ed. §6.4 (incomplete beta CF).
 */
import { createRequire } from "node:module";

// `gammaln` is needed only for ν < 40; it is loaded on first use (its CommonJS package tree costs
// about 50 ms to load, on the start-up path of every GWAS worker).
const requireLazy = createRequire(import.meta.url);
let gammalnLoaded: ((x: number) => number) | undefined;
function gammaln(x: number): number {
  gammalnLoaded ??= requireLazy("@stdlib/math-base-special-gammaln") as (x: number) => number;
  return gammalnLoaded(x);
}

/** Below this p-value the log10 forms switch from `log10(p)` to the log-space evaluation. */
export const LOG_SWITCH = 1e-290;

const LN10 = Math.LN10;
const HALF_LOG_PI = 0.5 * Math.log(Math.PI);
const CF_EPS = 3e-16;
const TINY = 1e-300;

/** lnΓ(a + ½) − lnΓ(a), without the cancellation of the two large terms when a is large. */
export function logGammaHalfRatio(a: number): number {
  if (a < 20) return gammaln(a + 0.5) - gammaln(a);
  // Stirling: lnΓ(z) = (z−½)ln z − z + ½ln 2π + S(z), S(z) = Σ B₂ₖ/(2k(2k−1) z^(2k−1)).
  const s = (z: number): number => {
    const z2 = 1 / (z * z);
    return (1 / z) * (1 / 12 + z2 * (-1 / 360 + z2 * (1 / 1260 + z2 * (-1 / 1680 + z2 * (1 / 1188)))));
  };
  return a * Math.log1p(0.5 / a) - 0.5 + 0.5 * Math.log(a) + (s(a + 0.5) - s(a));
}

/** Lentz evaluation of the incomplete-beta continued fraction (NR eq. 6.4.5) at x for (a, b). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100000; m++) {
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
    if (Math.abs(del - 1) < CF_EPS) break;
  }
  return h;
}

/**
 * Two-sided Student t tail, returning p when `log` is false and ln p when true (exact even where p
 * underflows).
 */
function tTail(t: number, dof: number, log: boolean): number {
  if (Number.isNaN(t) || !(dof > 0)) return NaN;
  const r = (t * t) / dof;
  if (r === Infinity) return log ? -Infinity : 0;
  if (r === 0) return log ? 0 : 1;
  const a = dof / 2;
  const lx = -Math.log1p(r); // ln x, x = dof/(dof+t²)
  const ly = Math.log(r) + lx; // ln(1−x) = ln(t²/(dof+t²))
  const logBeta = HALF_LOG_PI - (dof < 1e300 ? logGammaHalfRatio(a) : 0.5 * Math.log(a));
  const logFront = a * lx + 0.5 * ly - logBeta;
  const x = 1 / (1 + r);
  const y = r / (1 + r);
  if (x < (a + 1) / (a + 2.5)) {
    const lp = logFront - Math.log(a) + Math.log(betaContinuedFraction(x, a, 0.5));
    return log ? lp : Math.exp(lp);
  }
  // p = 1 − I_y(½, a); here p > ~0.05, so the subtraction is harmless.
  const p = 1 - Math.exp(logFront - Math.log(0.5)) * betaContinuedFraction(y, 0.5, a);
  return log ? Math.log(p) : p;
}

/**
 * Two-sided p-value of Student's t: `P(|T| ≥ |t|)` with `dof` degrees of freedom
 * (scipy `2 * t.sf(|t|, dof)`). NaN for NaN input or dof ≤ 0.
 */
export function tTwoSidedPValue(t: number, dof: number): number {
  return tTail(t, dof, false);
}

/** `log10` of {@link tTwoSidedPValue}, finite even where the p-value underflows. */
export function tTwoSidedLog10PValue(t: number, dof: number): number {
  return tTail(t, dof, true) / LN10;
}

/**
 * `log10` of a two-sided t p-value already computed as `p` (skips the work unless p is tiny).
 */
export function tTwoSidedLog10FromP(p: number, t: number, dof: number): number {
  return p >= LOG_SWITCH || Number.isNaN(p) ? Math.log10(p) : tTail(t, dof, true) / LN10;
}

