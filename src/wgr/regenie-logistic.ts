/**
 * REGENIE's level 1 for binary traits (Mbatchou et al. 2021, Nat Genet 53:1097): ridge *logistic*
 * regression on the level-0 predictions of {@link regenieLevel0} (which, as REGENIE, fits the
 * level-0 ridge to the 0/1 trait residualized on the covariates and scaled to unit variance).
 *
 * - Offset: the linear predictor η₀ = Cγ̂ of the null logistic model of the trait on
 *   [1, covariates], fitted by IRLS on the trait's observed samples.
 * - Penalty: for h² in the level-1 grid (default 0.01, 0.25, 0.5, 0.75, 0.99), τ = P(1 − h²)/h² × 3/π²
 *   with P the number of level-0 predictors (REGENIE's liability-scale λ for binary traits).
 * - Fold-specific fits: for each fold, the penalized log-likelihood Σ log L(y | η₀ + Xβ) − τ‖β‖²/2
 *   is maximized by IRLS over the other folds' observed samples, τ from the largest to the smallest
 *   with warm starts (the previous τ's β), until max |score| < 1e-4 (at most 100 iterations); fitted
 *   probabilities are kept within [ε/(1+ε), 1/(1+ε)], ε = 10 × machine epsilon, as REGENIE.
 * - τ selection: the least out-of-fold negative log-likelihood summed over folds (probabilities
 *   clamped to [1e-5, 1 − 1e-5] for it), as REGENIE.
 * - Predictions: each fold's samples get Xβ of that fold's fit, the genetic part on the
 *   linear-predictor (logit) scale without η₀; LOCO for chromosome c leaves out the terms of c's
 *   blocks (no refit). Samples whose trait is missing get 0 (their features are masked).
 */
import { GlowtsError } from "../core/errors.js";
import { choleskySolve, gramRows, invertLU } from "../linalg/ridge-kernels.js";
import { LocoPredictions } from "./loco.js";
import { loggerOf } from "./options.js";
import { REGENIE_HERITABILITY_GRID, outputOrder, type RegenieLevel0, type RegenieRidgeOptions } from "./regenie-ridge.js";
import { SampleTable, toSampleTable, type SampleTableLike } from "./sample-table.js";

/** What {@link regenieLogisticLevel1} returns. */
export interface RegenieLogisticResult {
  /** LOCO predictions (genetic part, logit scale). */
  loco: LocoPredictions;
  /** Whole-genome prediction (no chromosome left out), same scale. */
  full: SampleTable;
  /** Level-1 cross-validation per trait: τ values, heritabilities, out-of-fold −log-likelihood / n, best index. */
  cv: Record<string, { tau: number[]; heritability: number[]; negLogLik: number[]; best: number }>;
  /** The chromosomes of the block matrix, in block order. */
  chromosomes: string[];
}

const EPS = 10 * Number.EPSILON;
const MAX_ITER = 100;
const SCORE_TOL = 1e-4;
const LL_EPS = 1e-5;

function sigmoid(eta: number): number {
  // REGENIE's (and R glm's) bounds on the fitted probabilities
  if (eta > 30) return 1 / (1 + EPS);
  if (eta < -30) return EPS / (1 + EPS);
  return 1 - 1 / (Math.exp(eta) + 1);
}

/** Null logistic model of y on C (n × k column-major) over the observed samples: η₀ = Cγ̂ for every sample. */
function nullLinearPredictor(C: Float64Array, k: number, n: number, y: Float64Array, obs: Uint8Array, trait: string): Float64Array {
  const gamma = new Float64Array(k);
  let nObs = 0, cases = 0;
  for (let s = 0; s < n; s++) if (obs[s]) { nObs++; cases += y[s]!; }
  if (k > 0) { const m = (0.5 + cases) / (nObs + 1); gamma[0] = Math.log(m / (1 - m)); }
  const eta = new Float64Array(n);
  const update = (): void => { for (let s = 0; s < n; s++) { let e = 0; for (let a = 0; a < k; a++) e += C[a * n + s]! * gamma[a]!; eta[s] = e; } };
  update();
  let dev = Infinity;
  for (let it = 0; it < 50; it++) {
    const h = new Float64Array(k * k);
    const g = new Float64Array(k);
    for (let s = 0; s < n; s++) {
      if (!obs[s]) continue;
      const p = sigmoid(eta[s]!);
      const w = p * (1 - p);
      for (let a = 0; a < k; a++) {
        const ca = C[a * n + s]!;
        g[a] += ca * (y[s]! - p);
        for (let b = 0; b <= a; b++) h[a * k + b] += w * ca * C[b * n + s]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) h[b * k + a] = h[a * k + b]!;
    const inv = invertLU(h, k, `regenie null logistic model ('${trait}')`);
    for (let a = 0; a < k; a++) { let t = 0; for (let b = 0; b < k; b++) t += inv[a * k + b]! * g[b]!; gamma[a] += t; }
    update();
    let d = 0;
    for (let s = 0; s < n; s++) if (obs[s]) { const p = sigmoid(eta[s]!); d -= 2 * (y[s] ? Math.log(p) : Math.log(1 - p)); }
    if (Math.abs(d - dev) < 1e-8 * (Math.abs(d) + 0.1)) break;
    dev = d;
  }
  return eta;
}

/**
 * REGENIE's ridge logistic level 1 on the output of {@link regenieLevel0} (see the module
 * description).
 * @param l0 level-0 output for binary traits
 * @param labelDf the 0/1 traits (NaN = missing), the same table given to {@link regenieLevel0}
 * @param covDf the covariates given to {@link regenieLevel0} (or null)
 * @throws GlowtsError `LABEL` for a trait that is not 0/1, `NOT_CONVERGED` when a fit does not converge
 */
export function regenieLogisticLevel1(l0: RegenieLevel0, labelDf: SampleTableLike, covDf: SampleTableLike | null = null, options: RegenieRidgeOptions = {}): RegenieLogisticResult {
  const log = loggerOf(options);
  const labels = toSampleTable(labelDf, "label DataFrame");
  const cov = toSampleTable(covDf, "covariate DataFrame");
  const h1 = options.level1Heritabilities ?? REGENIE_HERITABILITY_GRID;
  const { sampleIds: ids, foldStart, features: W, blockChromosomes: blockChrom, predictorsPerBlock: R } = l0;
  const n = ids.length;
  const K = l0.folds.length;
  const q = l0.traits.length;
  const B = blockChrom.length;
  const P = B * R;
  const tau = h1.map((h) => ((P * (1 - h)) / h) * (3 / (Math.PI * Math.PI)));
  // covariates [1, C] in fold order
  const covCols = cov.empty ? [] : cov.columns;
  const addIntercept = options.addIntercept ?? true;
  const k = covCols.length + (addIntercept ? 1 : 0);
  const C = new Float64Array(k * n);
  if (addIntercept) C.fill(1, 0, n);
  if (covCols.length) {
    const cp = cov.positionsOf(ids, "covariate DataFrame");
    covCols.forEach((_, j) => { const col = cov.column(j); for (let s = 0; s < n; s++) C[(j + (addIntercept ? 1 : 0)) * n + s] = col[cp[s]!]!; });
  }
  const lp = labels.positionsOf(ids, "label DataFrame");
  const chromosomes = [...new Set(blockChrom)];
  const locoValues = chromosomes.map(() => new Float64Array(n * q));
  const fullValues = new Float64Array(n * q);
  const cv: RegenieLogisticResult["cv"] = {};
  l0.traits.forEach((name, j) => {
    const col = labels.column(labels.columns.indexOf(name));
    const y = new Float64Array(n);
    const obs = new Uint8Array(n);
    for (let s = 0; s < n; s++) {
      const v = col[lp[s]!]!;
      if (Number.isNaN(v)) continue;
      if (v !== 0 && v !== 1) throw new GlowtsError("LABEL", `trait '${name}' is not binary: sample '${ids[s]}' has ${v}`, { record: `sample ${ids[s]}, column ${name}` });
      y[s] = v; obs[s] = 1;
    }
    const off = nullLinearPredictor(C, k, n, y, obs, name);
    const X = W[j]!; // P × n, masked and standardized
    const negLL = tau.map(() => 0);
    const betas: Float64Array[][] = tau.map(() => []);
    let nObs = 0;
    for (let s = 0; s < n; s++) nObs += obs[s]!;
    for (let f = 0; f < K; f++) {
      // training samples: the other folds' observed samples
      const train: number[] = [];
      for (let s = 0; s < n; s++) if (obs[s] && (s < foldStart[f]! || s >= foldStart[f + 1]!)) train.push(s);
      const m = train.length;
      const xt = new Float64Array(P * m);
      for (let p = 0; p < P; p++) for (let t = 0; t < m; t++) xt[p * m + t] = X[p * n + train[t]!]!;
      const xw = new Float64Array(P * m);
      const eta = new Float64Array(m);
      const pr = new Float64Array(m);
      const rhs = new Float64Array(P);
      const diag = new Float64Array(P);
      let beta: Float64Array = new Float64Array(P);
      const fitted = (b: Float64Array): void => {
        eta.fill(0);
        for (let p = 0; p < P; p++) { const w = b[p]!; if (w === 0) continue; const o = p * m; for (let t = 0; t < m; t++) eta[t] += w * xt[o + t]!; }
        for (let t = 0; t < m; t++) pr[t] = sigmoid(off[train[t]!]! + eta[t]!);
      };
      tau.forEach((lam, r) => {
        let it = 0;
        fitted(beta);
        for (; it < MAX_ITER; it++) {
          // IRLS step: (XᵀWX + τI) β = XᵀW z, z = Xβ + (y − p)/w
          rhs.fill(0);
          for (let t = 0; t < m; t++) {
            const w = pr[t]! * (1 - pr[t]!);
            const sw = Math.sqrt(w);
            const wz = w * eta[t]! + (y[train[t]!]! - pr[t]!);
            for (let p = 0; p < P; p++) { const x = xt[p * m + t]!; xw[p * m + t] = x * sw; rhs[p] += x * wz; }
          }
          const g = gramRows(xw, P, m);
          diag.fill(lam);
          let next = choleskySolve(g, diag, P, rhs, 1);
          if (!next) {
            for (let p = 0; p < P; p++) g[p * P + p] += lam;
            const inv = invertLU(g, P, `regenie logistic level 1 ('${name}', fold ${l0.folds[f]})`);
            next = new Float64Array(P);
            for (let a = 0; a < P; a++) { let t = 0; for (let b = 0; b < P; b++) t += inv[a * P + b]! * rhs[b]!; next[a] = t; }
          }
          beta = next;
          fitted(beta);
          // score of the penalized log-likelihood
          let worst = 0;
          for (let p = 0; p < P; p++) {
            let sc = -lam * beta[p]!;
            const o = p * m;
            for (let t = 0; t < m; t++) sc += xt[o + t]! * (y[train[t]!]! - pr[t]!);
            worst = Math.max(worst, Math.abs(sc));
          }
          if (worst < SCORE_TOL) break;
        }
        if (it >= MAX_ITER) throw new GlowtsError("NOT_CONVERGED", `regenie logistic level 1: the ridge logistic regression of '${name}' (fold ${l0.folds[f]}, τ ${lam.toPrecision(4)}) did not converge in ${MAX_ITER} iterations`, { record: `column ${name}` });
        betas[r]!.push(Float64Array.from(beta));
        // out-of-fold −log-likelihood
        for (let s = foldStart[f]!; s < foldStart[f + 1]!; s++) {
          if (!obs[s]) continue;
          let e = off[s]!;
          for (let p = 0; p < P; p++) e += beta[p]! * X[p * n + s]!;
          const p1 = Math.min(1 - LL_EPS, Math.max(LL_EPS, sigmoid(e)));
          negLL[r] -= y[s] ? Math.log(p1) : Math.log(1 - p1);
        }
      });
    }
    let best = 0;
    for (let r = 1; r < tau.length; r++) if (negLL[r]! < negLL[best]!) best = r;
    cv[name] = { tau, heritability: [...h1], negLogLik: negLL.map((v) => v / nObs), best };
    log(`regenie logistic level 1 '${name}': best h² ${h1[best]} (τ ${tau[best]!.toPrecision(4)}), out-of-fold −log-likelihood/n ${(negLL[best]! / nObs).toFixed(5)}`);
    for (let f = 0; f < K; f++) {
      const a = betas[best]![f]!;
      for (let b = 0; b < B; b++) {
        const ci = chromosomes.indexOf(blockChrom[b]!);
        for (let r = 0; r < R; r++) {
          const w = a[b * R + r]!;
          if (w === 0) continue;
          const row = (b * R + r) * n;
          for (let s = foldStart[f]!; s < foldStart[f + 1]!; s++) {
            const v = w * X[row + s]!;
            const pos = j * n + s;
            fullValues[pos] += v;
            for (let c = 0; c < chromosomes.length; c++) if (c !== ci) locoValues[c]![pos] += v;
          }
        }
      }
    }
  });
  const reorder = outputOrder(l0, ids);
  return { loco: new LocoPredictions(chromosomes, locoValues.map(reorder)), full: reorder(fullValues), cv, chromosomes };
}
