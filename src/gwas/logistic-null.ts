/**
 * The covariate-only (null) logistic model of the logistic GWAS, fitted exactly as Glow fits it:
 * statsmodels `GLM(y, C, family=Binomial(), offset=offset).fit()` (IRLS, deviance tolerance 1e-8,
 * at most 100 iterations, start μ = (y + ½)/2). Reproducing the same iterations (not just the same
 * optimum) keeps the score statistics equal to Glow's to ~1e-12 rather than ~1e-8.
 *
 * @see statsmodels 0.13.5 `GLM._fit_irls`, `families.Binomial`, `links.Logit`.
 */
import { GlowtsError } from "../core/errors.js";
import { thinQR } from "../linalg/qr.js";
import { solveUpperTriangular } from "../linalg/small.js";

const FLOAT_EPS = 2.220446049250313e-16;

/** Result of {@link fitLogisticNull}. */
export interface LogisticNullFit {
  /** Coefficients, one per column of C. */
  beta: Float64Array;
  /** Fitted probabilities (with the offset), one per row. */
  mu: Float64Array;
  iterations: number;
  converged: boolean;
}

/** statsmodels' Binomial deviance (n = 1 trials). */
export function binomialDeviance(y: Float64Array, mu: Float64Array): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const m = mu[i]!;
    const a = Math.max(yi / (m + 1e-20), FLOAT_EPS);
    const b = Math.max((1 - yi) / (1 - m + 1e-20), FLOAT_EPS);
    d += yi * Math.log(a) + (1 - yi) * Math.log(b);
  }
  return 2 * d;
}

/**
 * IRLS fit of `logit(μ) = C β + offset` on rows with a phenotype (`c` column-major n×k, `y` and
 * `offset` length n, all already restricted to the non-missing rows).
 * @throws GlowtsError `SEPARATION` on perfect separation (statsmodels' PerfectSeparationError).
 */
export function fitLogisticNull(
  caller: string, trait: string, y: Float64Array, c: Float64Array, k: number, offset: Float64Array | null,
  maxIter = 100, tol = 1e-8,
): LogisticNullFit {
  const n = y.length;
  let mu = new Float64Array(n);
  const linPred = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = (y[i]! + 0.5) / 2;
    linPred[i] = Math.log(mu[i]! / (1 - mu[i]!));
  }
  let dev = binomialDeviance(y, mu);
  if (Number.isNaN(dev)) throw new GlowtsError("NULL_FIT", `${caller}: the null model deviance of phenotype '${trait}' is NaN`);
  const wx = new Float64Array(n * k);
  const wz = new Float64Array(n);
  let beta = new Float64Array(k);
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    for (let i = 0; i < n; i++) {
      const m = mu[i]!;
      const deriv = 1 / (m * (1 - m));
      const w = 1 / (deriv * deriv * (m * (1 - m)));
      const z = linPred[i]! + deriv * (y[i]! - m) - (offset ? offset[i]! : 0);
      const sw = Math.sqrt(w);
      wz[i] = sw * z;
      for (let j = 0; j < k; j++) wx[j * n + i] = sw * c[j * n + i]!;
    }
    const qr = thinQR(wx, n, k);
    const qtz = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += qr.q[j * n + i]! * wz[i]!;
      qtz[j] = s;
    }
    beta = solveUpperTriangular(qr.r, qtz, k);
    const next = new Float64Array(n);
    let allFit = true;
    for (let i = 0; i < n; i++) {
      let e = offset ? offset[i]! : 0;
      for (let j = 0; j < k; j++) e += c[j * n + i]! * beta[j]!;
      linPred[i] = e;
      next[i] = 1 / (1 + Math.exp(-e));
      if (!(Math.abs(next[i]! - y[i]!) <= 1e-8)) allFit = false;
    }
    mu = next;
    if (allFit) {
      throw new GlowtsError("SEPARATION", `${caller}: perfect separation in the null model of phenotype '${trait}' (the covariates predict it exactly)`);
    }
    const devNew = binomialDeviance(y, mu);
    const done = Math.abs(devNew - dev) <= tol;
    dev = devNew;
    if (done) { converged = true; it++; break; }
  }
  if (!converged) {
    process.emitWarning(`${caller}: the null logistic model of phenotype '${trait}' did not converge in ${maxIter} IRLS iterations`, { type: "GlowtsWarning", code: "NULL_FIT_CONVERGENCE" });
  }
  return { beta, mu, iterations: it, converged };
}
