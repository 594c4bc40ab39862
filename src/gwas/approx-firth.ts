/**
 * Approximate Firth correction of the logistic GWAS (REGENIE `--firth --approx`), as Glow's
 * `python/glow/gwas/approx_firth.py` implements it (reference §2.9.3):
 *
 * - {@link fitFirth}: Firth's penalized-likelihood logistic regression by modified Newton steps
 *   with I⁺ = pinv(XᵀWX), leverages h, score U = Xᵀ(y − π + h(½ − π)), steps capped at 5 in every
 *   coordinate, up to 25 step halvings while the penalized deviance −2(ℓ + ½ log|det I|) does not
 *   drop below old + 1e-6, convergence when max|U| < 1e-5, failure after 250 iterations.
 * - {@link nullFirthOffset}: the covariate-only Firth fit, turned into a per-sample offset.
 * - {@link correctApproxFirth}: the one-coefficient SNP fit on that offset and its penalized LRT.
 *
 * @see Mbatchou et al. (2021) Nat Genet 53:1097 (REGENIE, approximate Firth); Firth (1993)
 *      Biometrika 80:27.
 */
import { GlowtsError } from "../core/errors.js";
import { logAbsDet, pinvSymmetric } from "../linalg/small.js";
import { chiSquaredLog10FromP, chiSquared1PValue } from "../stats/distributions.js";

/** Penalized log-likelihood pieces at one β. */
export interface FirthLikelihood {
  pi: Float64Array;
  /** Fisher information XᵀWX, k×k column-major. */
  info: Float64Array;
  /** −2 · (ℓ + ½ log|det I|). */
  deviance: number;
}

/** Result of {@link fitFirth}; null when it did not converge. */
export interface FirthFitResult {
  beta: Float64Array;
  likelihood: FirthLikelihood;
  iterations: number;
}

/** Options of {@link fitFirth} (REGENIE's defaults). */
export interface FirthOptions {
  convergenceLimit?: number;
  devianceTolerance?: number;
  maxIter?: number;
  maxStepSize?: number;
  maxHalfSteps?: number;
}

/** y·ln p + (1−y)·ln(1−p), with numpy's NaN where the other term is 0·(−∞); one log for 0/1 y. */
function bernoulliLogLikelihood(yi: number, p: number): number {
  if (yi === 1) return p === 1 ? NaN : Math.log(p);
  if (yi === 0) return p === 0 ? NaN : Math.log(1 - p);
  return yi * Math.log(p) + (1 - yi) * Math.log(1 - p);
}

/** Penalized deviance, π and XᵀWX at β for X n×k column-major (`pi` reused when given). */
export function firthLikelihood(
  beta: Float64Array, x: Float64Array, n: number, k: number, y: Float64Array, offset: Float64Array, pi = new Float64Array(n),
): FirthLikelihood {
  let ll = 0;
  if (k === 1) {
    const b = beta[0]!;
    let info = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const p = 1 / (1 + Math.exp(-(offset[i]! + xi * b)));
      pi[i] = p;
      ll += bernoulliLogLikelihood(y[i]!, p);
      info += xi * p * (1 - p) * xi;
    }
    return { pi, info: Float64Array.of(info), deviance: -2 * (ll + 0.5 * Math.log(Math.abs(info))) };
  }
  for (let i = 0; i < n; i++) {
    let e = offset[i]!;
    for (let j = 0; j < k; j++) e += x[j * n + i]! * beta[j]!;
    const p = 1 / (1 + Math.exp(-e));
    pi[i] = p;
    ll += bernoulliLogLikelihood(y[i]!, p);
  }
  const info = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      const ao = a * n;
      const bo = b * n;
      for (let i = 0; i < n; i++) s += x[ao + i]! * pi[i]! * (1 - pi[i]!) * x[bo + i]!;
      info[a * k + b] = s;
      info[b * k + a] = s;
    }
  }
  const deviance = -2 * (ll + 0.5 * logAbsDet(info, k));
  return { pi, info, deviance };
}

/**
 * Firth logistic regression of y on X (n×k column-major) with a fixed offset, from `betaInit`.
 * @returns the fit, or null when `maxIter` iterations did not converge.
 */
export function fitFirth(
  betaInit: Float64Array, x: Float64Array, n: number, k: number, y: Float64Array, offset: Float64Array,
  options: FirthOptions = {},
): FirthFitResult | null {
  const convergenceLimit = options.convergenceLimit ?? 1e-5;
  const devianceTolerance = options.devianceTolerance ?? 1e-6;
  const maxIter = options.maxIter ?? 250;
  const maxStepSize = options.maxStepSize ?? 5;
  const maxHalfSteps = options.maxHalfSteps ?? 25;
  const beta = Float64Array.from(betaInit);
  // Two π buffers: the current likelihood's and the trial's.
  let spare = new Float64Array(n);
  let ll = firthLikelihood(beta, x, n, k, y, offset);
  const u = new Float64Array(k);
  const delta = new Float64Array(k);
  const trial = new Float64Array(k);
  const row = new Float64Array(k);
  let it = 0;
  while (it < maxIter) {
    const invI = pinvSymmetric(ll.info, k);
    const pi = ll.pi;
    u.fill(0);
    for (let i = 0; i < n; i++) {
      const g = Math.sqrt(pi[i]! * (1 - pi[i]!));
      for (let j = 0; j < k; j++) row[j] = g * x[j * n + i]!;
      // h_i = (√w x_i)ᵀ I⁺ (√w x_i)
      let h = 0;
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let b = 0; b < k; b++) s += row[b]! * invI[a * k + b]!;
        h += s * row[a]!;
      }
      const r = y[i]! - pi[i]! + h * (0.5 - pi[i]!);
      for (let j = 0; j < k; j++) u[j]! += x[j * n + i]! * r;
    }
    let mx = 0;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += invI[b * k + a]! * u[b]!;
      delta[a] = s;
      mx = Math.max(mx, Math.abs(s));
    }
    const ratio = mx / maxStepSize;
    if (ratio > 1) for (let a = 0; a < k; a++) delta[a]! /= ratio;
    let next: FirthLikelihood;
    let halves = 0;
    for (;;) {
      for (let a = 0; a < k; a++) trial[a] = beta[a]! + delta[a]!;
      next = firthLikelihood(trial, x, n, k, y, offset, spare);
      if (next.deviance < ll.deviance + devianceTolerance) break;
      for (let a = 0; a < k; a++) delta[a]! /= 2;
      halves++;
      if (halves >= maxHalfSteps) break;
    }
    // As Glow: β moves by the (possibly once more halved) δ; the likelihood kept is the last one computed.
    for (let a = 0; a < k; a++) beta[a]! += delta[a]!;
    spare = ll.pi;
    ll = next;
    let umax = 0;
    for (let a = 0; a < k; a++) umax = Math.max(umax, Math.abs(u[a]!));
    if (umax < convergenceLimit) break;
    it++;
  }
  if (it === maxIter) return null;
  return { beta, likelihood: ll, iterations: it };
}

/**
 * Null Firth fit on the covariates (rows with a phenotype only) and the per-sample offset it
 * defines for the SNP fits: `offset + C β_null` (0 for samples without a phenotype).
 * The intercept (first column when `includesIntercept`) starts at logit((½ + Σy)/(n + 1)) − mean(offset).
 * @param mask 1 where the phenotype is present.
 * @throws GlowtsError `NULL_FIT` ("Null fit failed!") when it does not converge.
 */
export function nullFirthOffset(
  caller: string, trait: string, y: Float64Array, c: Float64Array, n: number, k: number, mask: Uint8Array,
  offset: Float64Array | null, includesIntercept: boolean,
): Float64Array {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]) rows.push(i);
  const nm = rows.length;
  const ym = new Float64Array(nm);
  const om = new Float64Array(nm);
  const cm = new Float64Array(nm * k);
  let sumY = 0;
  let sumO = 0;
  rows.forEach((r, i) => {
    ym[i] = y[r]!;
    om[i] = offset ? offset[r]! : 0;
    sumY += ym[i]!;
    sumO += om[i]!;
    for (let j = 0; j < k; j++) cm[j * nm + i] = c[j * n + r]!;
  });
  const b0 = new Float64Array(k);
  if (includesIntercept && k > 0) {
    const p0 = (0.5 + sumY) / (nm + 1);
    b0[0] = Math.log(p0 / (1 - p0)) - sumO / nm;
  }
  const fit = fitFirth(b0, cm, nm, k, ym, om);
  if (!fit) throw new GlowtsError("NULL_FIT", `${caller}: Null fit failed! (the covariate-only Firth fit of phenotype '${trait}' did not converge)`);
  const out = new Float64Array(n);
  rows.forEach((r, i) => {
    let e = om[i]!;
    for (let j = 0; j < k; j++) e += cm[j * nm + i]! * fit.beta[j]!;
    out[r] = e;
  });
  return out;
}

/** Approximate-Firth statistics of one SNP; null when the fit failed. */
export interface ApproxFirthResult {
  effect: number;
  stderror: number;
  chisq: number;
  pvalue: number;
  log10pvalue: number;
}

/**
 * The SNP fit of approximate Firth: one coefficient on x (rows with a phenotype), offset =
 * {@link nullFirthOffset}, started at 0; penalized LRT χ² = dev(0) − dev(β̂), p = χ²₁ upper tail,
 * stderror = sqrt(1/I(β̂)) from the unpenalized information.
 * `x`, `y`, `firthOffset`, `mask` are read at `[o, o+n)`.
 */
export function correctApproxFirth(
  x: Float64Array, xo: number, y: Float64Array, yo: number, firthOffset: Float64Array, fo: number, mask: Uint8Array, mo: number, n: number,
  scratch?: { x: Float64Array; y: Float64Array; offset: Float64Array },
): ApproxFirthResult | null {
  let nm = 0;
  for (let i = 0; i < n; i++) if (mask[mo + i]) nm++;
  const xs = scratch && scratch.x.length === nm ? scratch.x : new Float64Array(nm);
  const ys = scratch && scratch.y.length === nm ? scratch.y : new Float64Array(nm);
  const os = scratch && scratch.offset.length === nm ? scratch.offset : new Float64Array(nm);
  let t = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[mo + i]) continue;
    xs[t] = x[xo + i]!;
    ys[t] = y[yo + i]!;
    os[t] = firthOffset[fo + i]!;
    t++;
  }
  const zero = new Float64Array(1);
  const fit = fitFirth(zero, xs, nm, 1, ys, os);
  if (!fit) return null;
  const nullDev = firthLikelihood(zero, xs, nm, 1, ys, os).deviance;
  const chisq = nullDev - fit.likelihood.deviance;
  const pvalue = chiSquared1PValue(chisq);
  const info = fit.likelihood.info[0]!;
  const inv = info !== 0 && Number.isFinite(info) ? 1 / info : 0;
  return {
    effect: fit.beta[0]!,
    stderror: Math.sqrt(inv),
    chisq,
    pvalue,
    log10pvalue: chiSquaredLog10FromP(pvalue, chisq, 1),
  };
}
