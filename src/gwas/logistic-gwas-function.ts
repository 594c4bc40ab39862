/**
 * Glow's SQL function `logistic_regression_gwas(genotypes, phenotypes, covariates, test, offset)`
 * for one variant at a time (reference §2.10; `LogisticRegressionGwas.scala`,
 * `LikelihoodRatioTest.scala`, `FirthTest.scala`):
 *
 * - `'lrt'`: Newton-Raphson fits (at most 25 iterations, converged when max|Δβ| < 1e-6; the first
 *   coefficient starts at logit(mean y)); the full model starts from the null fit;
 *   p = χ²₁ upper tail of 2(ℓ_full − ℓ_null).
 * - `'firth'`: Hail-style Firth fits (QR of √W·X with the full design including the genotype,
 *   at most 100 iterations, max|Δβ| < 1e-6 after the first), penalized log-likelihood
 *   ℓ + Σ log|R_ii|; p from the penalized LRT (profile likelihood).
 *
 * Both give `oddsRatio = e^β` and the Wald 95% interval exp(β ± z₀.₉₇₅·se) with se from the
 * inverse unpenalized Fisher information at the full fit; every field is NaN when a fit fails.
 *
 * @see https://github.com/projectglow/glow/tree/main/core/src/main/scala/io/projectglow/sql/expressions
 */
import { observedSamples } from "./observed.js";
import { GlowtsError, keyword } from "../core/errors.js";
import { thinQR } from "../linalg/qr.js";
import { inverse, solve, solveUpperTriangular } from "../linalg/small.js";
import { chiSquaredPValue, Z_975 } from "../stats/distributions.js";
import { covariateMatrix, type CovariateMatrixLike } from "./linear-regression.js";

/** Result struct of `logistic_regression_gwas`. */
export interface LogitTestResult {
  beta: number;
  oddsRatio: number;
  waldConfidenceInterval: [number, number];
  pValue: number;
}

const NAN_RESULT = (): LogitTestResult => ({ beta: NaN, oddsRatio: NaN, waldConfidenceInterval: [NaN, NaN], pValue: NaN });
const CALLER = "logisticRegressionGwas";

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Σ log(y·μ + (1−y)(1−μ)). */
function logLikelihood(y: Float64Array, mu: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.log(y[i]! * mu[i]! + (1 - y[i]!) * (1 - mu[i]!));
  return s;
}

/** Newton state over an n×m design (column-major). */
interface NewtonState {
  b: Float64Array;
  mu: Float64Array;
  score: Float64Array;
  fisher: Float64Array;
}

function recompute(x: Float64Array, n: number, m: number, y: Float64Array, offset: Float64Array | null, st: NewtonState): void {
  for (let i = 0; i < n; i++) {
    let e = offset ? offset[i]! : 0;
    for (let j = 0; j < m; j++) e += x[j * n + i]! * st.b[j]!;
    st.mu[i] = sigmoid(e);
  }
  for (let a = 0; a < m; a++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[a * n + i]! * (y[i]! - st.mu[i]!);
    st.score[a] = s;
    for (let c = 0; c <= a; c++) {
      let f = 0;
      for (let i = 0; i < n; i++) f += x[a * n + i]! * st.mu[i]! * (1 - st.mu[i]!) * x[c * n + i]!;
      st.fisher[a * m + c] = f;
      st.fisher[c * m + a] = f;
    }
  }
}

interface NewtonResult { state: NewtonState; logLkhd: number; nIter: number; converged: boolean; exploded: boolean }

function newtonIterations(
  x: Float64Array, n: number, m: number, y: Float64Array, offset: Float64Array | null, st: NewtonState, maxIter = 25, tol = 1e-6,
): NewtonResult {
  let iter = 1;
  let converged = false;
  let exploded = false;
  while (!converged && !exploded && iter <= maxIter) {
    let delta: Float64Array;
    try {
      delta = solve(st.fisher, st.score, m);
    } catch {
      exploded = true;
      break;
    }
    if (Number.isNaN(delta[0]!)) { exploded = true; break; }
    let mx = 0;
    for (let j = 0; j < m; j++) mx = Math.max(mx, Math.abs(delta[j]!));
    if (mx < tol) { converged = true; break; }
    iter++;
    for (let j = 0; j < m; j++) st.b[j]! += delta[j]!;
    recompute(x, n, m, y, offset, st);
  }
  return { state: st, logLkhd: logLikelihood(y, st.mu), nIter: iter, converged, exploded };
}

function makeStats(beta: number, fisher: Float64Array, m: number, llFull: number, llNull: number): LogitTestResult {
  let se: number;
  try {
    se = Math.sqrt(inverse(fisher, m)[m * m - 1]!);
  } catch {
    se = NaN;
  }
  const half = Z_975 * se;
  const chi2 = 2 * (llFull - llNull);
  return {
    beta,
    oddsRatio: Math.exp(beta),
    waldConfidenceInterval: [Math.exp(beta - half), Math.exp(beta + half)],
    pValue: chiSquaredPValue(Math.abs(chi2), 1),
  };
}

interface FirthFitState { b: Float64Array; mu: Float64Array; logLkhd: number; converged: boolean; exploded: boolean }

/** Hail-style Firth fit of the first `m0` columns of the n×m design `x` (hat matrix from all m). */
function fitFirthHail(
  x: Float64Array, n: number, m: number, m0: number, y: Float64Array, offset: Float64Array | null, b: Float64Array,
  maxIter = 100, tol = 1e-6,
): FirthFitState {
  const mu = new Float64Array(n);
  const sqrtW = new Float64Array(n);
  const wx = new Float64Array(n * m);
  const rhs = new Float64Array(n);
  const qtv = new Float64Array(m0);
  let iter = 1;
  let converged = false;
  let exploded = false;
  let logLkhd = 0;
  while (!converged && !exploded && iter <= maxIter) {
    for (let i = 0; i < n; i++) {
      let e = offset ? offset[i]! : 0;
      for (let j = 0; j < m0; j++) e += x[j * n + i]! * b[j]!;
      mu[i] = sigmoid(e);
      sqrtW[i] = Math.sqrt(mu[i]! * (1 - mu[i]!));
    }
    for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) wx[j * n + i] = x[j * n + i]! * sqrtW[i]!;
    const qr = thinQR(wx, n, m);
    for (let i = 0; i < n; i++) {
      let h = 0;
      for (let j = 0; j < m; j++) h += qr.q[j * n + i]! * qr.q[j * n + i]!;
      rhs[i] = (y[i]! - mu[i]! + h * (0.5 - mu[i]!)) / sqrtW[i]!;
    }
    let singular = false;
    for (let j = 0; j < m0; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += qr.q[j * n + i]! * rhs[i]!;
      qtv[j] = s;
      if (qr.r[j * m + j] === 0) singular = true;
    }
    if (singular) { exploded = true; break; }
    const delta = solveUpperTriangular(qr.r, qtv, m0, m);
    let mx = 0;
    for (let j = 0; j < m0; j++) mx = Math.max(mx, Math.abs(delta[j]!));
    if (Number.isNaN(delta[0]!)) exploded = true;
    else if (mx < tol && iter > 1) {
      converged = true;
      let ld = 0;
      for (let j = 0; j < m; j++) ld += Math.log(Math.abs(qr.r[j * m + j]!));
      logLkhd = logLikelihood(y, mu) + ld;
    } else {
      iter++;
      for (let j = 0; j < m0; j++) b[j]! += delta[j]!;
    }
  }
  return { b, mu, logLkhd, converged, exploded };
}

/**
 * Prepared form of {@link logisticRegressionGwas}: validates and (for 'lrt') fits the null model
 * once, then tests one genotype vector per call.
 * @param covariates n×k; include an intercept column if wanted (the first column is treated as the
 *   intercept by the LRT start values).
 * @throws GlowtsError `OPTION` for an unknown test ("Supported tests are currently: lrt, firth"),
 *   `SAMPLE_MISMATCH` when lengths differ.
 */
export function makeLogisticRegressionGwas(
  phenotypes: ArrayLike<number>, covariates: CovariateMatrixLike, test: string, offset?: ArrayLike<number> | null,
): (genotypes: ArrayLike<number>) => LogitTestResult {
  const obs = observedSamples(phenotypes, covariates, offset, CALLER);
  if (obs) {
    const inner = makeLogisticRegressionGwas(obs.phenotypes, obs.covariates, test, obs.offset);
    return (g) => inner(obs.pick(g));
  }
  const t = (() => {
    try { return keyword(CALLER, "test", test, ["lrt", "firth"] as const); }
    catch { throw new GlowtsError("OPTION", `${CALLER}: Supported tests are currently: lrt, firth (got '${test}')`, { option: "test" }); }
  })();
  const n = phenotypes.length;
  const y = Float64Array.from(phenotypes);
  const { data: c, k } = covariateMatrix(covariates, n, CALLER);
  const off = offset ? Float64Array.from(offset) : null;
  if (off && off.length !== n) throw new GlowtsError("SAMPLE_MISMATCH", `${CALLER}: offset has ${off.length} values for ${n} samples`);
  const m = k + 1;
  const x = new Float64Array(n * m);
  x.set(c.subarray(0, n * k));
  const check = (g: ArrayLike<number>): void => {
    if (g.length !== n) throw new GlowtsError("SAMPLE_MISMATCH", `${CALLER}: number of samples differs between genotype and phenotype arrays (${g.length} != ${n})`);
  };

  if (t === "lrt") {
    const nullState: NewtonState = { b: new Float64Array(k), mu: new Float64Array(n), score: new Float64Array(k), fisher: new Float64Array(k * k) };
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y[i]!;
    const avg = sum / n;
    if (k > 0) nullState.b[0] = Math.log(avg / (1 - avg));
    recompute(c, n, k, y, off, nullState);
    const nullFit = newtonIterations(c, n, k, y, off, nullState);
    return (g) => {
      check(g);
      if (!nullFit.converged) return NAN_RESULT();
      for (let i = 0; i < n; i++) x[k * n + i] = g[i]!;
      const st: NewtonState = { b: new Float64Array(m), mu: new Float64Array(n), score: new Float64Array(m), fisher: new Float64Array(m * m) };
      st.b.set(nullFit.state.b);
      // Start from the null fit: μ, score and Fisher blocks at (β_null, 0).
      recompute(x, n, m, y, off, st);
      const full = newtonIterations(x, n, m, y, off, st);
      if (!full.converged) return NAN_RESULT();
      return makeStats(st.b[m - 1]!, st.fisher, m, full.logLkhd, nullFit.logLkhd);
    };
  }
  return (g) => {
    check(g);
    for (let i = 0; i < n; i++) x[k * n + i] = g[i]!;
    const nullFit = fitFirthHail(x, n, m, k, y, off, new Float64Array(k));
    if (!nullFit.converged) return NAN_RESULT();
    const b = new Float64Array(m);
    b.set(nullFit.b);
    const fullFit = fitFirthHail(x, n, m, m, y, off, b);
    if (!fullFit.converged) return NAN_RESULT();
    const fisher = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      for (let cc = 0; cc <= a; cc++) {
        let f = 0;
        for (let i = 0; i < n; i++) f += x[a * n + i]! * fullFit.mu[i]! * (1 - fullFit.mu[i]!) * x[cc * n + i]!;
        fisher[a * m + cc] = f;
        fisher[cc * m + a] = f;
      }
    }
    return makeStats(fullFit.b[m - 1]!, fisher, m, fullFit.logLkhd, nullFit.logLkhd);
  };
}

/**
 * Glow's `logistic_regression_gwas` for one variant.
 * @param genotypes per-sample values of the variant (e.g. genotype states)
 * @param phenotypes 0/1 per sample; NaN (missing) samples are left out of the null model and the
 *   test, as plink2 and REGENIE do
 * @param covariates n×k rows or `{data, nRows, nCols}` (column-major); add the intercept yourself
 * @param test 'lrt' or 'firth' (case-insensitive)
 * @param offset optional per-sample offset of the linear predictor
 * @returns `{beta, oddsRatio, waldConfidenceInterval, pValue}` (NaN when a fit fails)
 * @example
 * ```ts
 * const r = glow.gwas.logisticRegressionGwas([0,1,2,0,0,1], [0,0,1,1,1,1], [[1],[1],[1],[1],[1],[1]], "lrt");
 * ```
 */
export function logisticRegressionGwas(
  genotypes: ArrayLike<number>, phenotypes: ArrayLike<number>, covariates: CovariateMatrixLike, test: string, offset?: ArrayLike<number> | null,
): LogitTestResult {
  return makeLogisticRegressionGwas(phenotypes, covariates, test, offset)(genotypes);
}
