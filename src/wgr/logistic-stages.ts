/**
 * The stages of GloWGR's logistic level 1 (Glow `logistic_udfs.map_irls_eqn / reduce_irls_eqn /
 * solve_irls_eqn / apply_logistic_model`, `model_functions.constrained_logistic_fit /
 * get_irls_pieces / irls_one_step / log_loss`; reference §2.7). Labels here are the raw 0/1
 * labels; samples with a missing label are masked out per label.
 */
import { GlowtsError } from "../core/errors.js";
import { crossRowsWith, invertLU, matMul, weightedGramRows } from "../linalg/ridge-kernels.js";
import { minimizeLbfgsb, type LbfgsbResult } from "../linalg/ridge-lbfgsb.js";
import { sortedAlphaNames, type AlphaDict } from "./alphas.js";
import { BlockMatrix } from "./block-matrix.js";
import { pairwiseSum } from "./labels.js";
import {
  CrossValidation, RidgeModel, assembleDesign, groupRows, predictGroup, sliceLabels, summarizeScores,
  type RidgeModelBlock, type WgrInputs,
} from "./ridge-stages.js";

const EPS_LOG = 1e-15;

/** `1/(1+exp(−z))`, element-wise in place. */
export function sigmoidInPlace(z: Float64Array): Float64Array {
  for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i]!));
  return z;
}

/** z = X·β for X = xtᵀ (n × p). */
function linearPredictor(xt: Float64Array, p: number, n: number, beta: Float64Array, z: Float64Array): void {
  z.fill(0);
  for (let j = 0; j < p; j++) {
    const b = beta[j]!;
    const o = j * n;
    for (let s = 0; s < n; s++) z[s] += xt[o + s]! * b;
  }
}

/**
 * Glow's `constrained_logistic_fit`: minimizes
 * `−(Σ y·log(p+1e−15) + (1−y)·log(1−p+1e−15) − ½Σ αⱼβⱼ²)/n` with L-BFGS-B (scipy defaults) from
 * `guess` (zeros when absent); the gradient of the first `nCov` coefficients is zeroed so they stay
 * at their initial values.
 * @param xt design as a p × n row block
 */
export function constrainedLogisticFit(
  xt: Float64Array, p: number, n: number, y: Float64Array, alphaArr: Float64Array, guess: Float64Array | null, nCov: number,
): LbfgsbResult {
  const x0 = guess && guess.length ? guess : new Float64Array(p);
  const z = new Float64Array(n);
  const terms = new Float64Array(n);
  const resid = new Float64Array(n);
  const fg = (beta: Float64Array, g: Float64Array): number => {
    linearPredictor(xt, p, n, beta, z);
    for (let s = 0; s < n; s++) {
      const pr = 1 / (1 + Math.exp(-z[s]!));
      const ys = y[s]!;
      terms[s] = ys * Math.log(pr + EPS_LOG) + (1 - ys) * Math.log(1 - pr + EPS_LOG);
      resid[s] = ys - pr;
    }
    const ll = pairwiseSum(terms, 0, n);
    let pen = 0;
    for (let j = 0; j < p; j++) pen += alphaArr[j]! * beta[j]! * beta[j]!;
    for (let j = 0; j < p; j++) {
      let d = 0;
      const o = j * n;
      for (let s = 0; s < n; s++) d += resid[s]! * xt[o + s]!;
      g[j] = -(d - beta[j]! * alphaArr[j]!) / n;
    }
    if (nCov > 0) for (let j = 0; j < nCov; j++) g[j] = 0;
    return -(ll - pen / 2) / n;
  };
  return minimizeLbfgsb(fg, x0);
}

/**
 * Glow's `get_irls_pieces`: fits β (if any y is 1; otherwise β = [β_cov, 0…]) with the penalty on
 * the non-covariate coefficients, then returns β, Xᵀdiag(p(1−p))X and Xᵀ(p − y).
 */
export function getIrlsPieces(
  xt: Float64Array, p: number, n: number, y: Float64Array, alphaValue: number, betaCov: Float64Array,
): { beta: Float64Array; xtgx: Float64Array; xty: Float64Array; fit: LbfgsbResult | null } {
  const nCov = betaCov.length;
  let beta: Float64Array;
  let fit: LbfgsbResult | null = null;
  let ysum = 0;
  for (let s = 0; s < n; s++) ysum += y[s]!;
  if (ysum > 0) {
    const alphaArr = new Float64Array(p);
    alphaArr.fill(alphaValue, nCov);
    const guess = new Float64Array(p);
    guess.set(betaCov);
    fit = constrainedLogisticFit(xt, p, n, y, alphaArr, guess, nCov);
    beta = Float64Array.from(fit.x);
  } else {
    beta = new Float64Array(p);
    beta.set(betaCov);
  }
  const z = new Float64Array(n);
  linearPredictor(xt, p, n, beta, z);
  const w = new Float64Array(n);
  const r = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const pr = 1 / (1 + Math.exp(-z[s]!));
    w[s] = pr * (1 - pr);
    r[s] = pr - y[s]!;
  }
  return { beta, xtgx: weightedGramRows(xt, p, n, w), xty: crossRowsWith(xt, p, r, 1, n), fit };
}

/** Mask of the samples of a block whose `label` is present (1 = keep). */
export function labelMask(inputs: WgrInputs, label: string, sampleBlock: string): Uint8Array {
  const labels = inputs.labels;
  const j = labels.columns.indexOf(label);
  if (j < 0) throw new GlowtsError("LABEL", `label '${label}' is not a column of the label DataFrame`);
  const pos = inputs.labelPositions(sampleBlock);
  const n = labels.numRows;
  const m = new Uint8Array(pos.length);
  for (let s = 0; s < pos.length; s++) m[s] = Number.isNaN(labels.values[j * n + pos[s]!]!) ? 0 : 1;
  return m;
}

/**
 * The covariate-only logistic fit per label (Glow's `beta_cov_dict`): standardized covariates of
 * the samples with a present label, in the label table's order, fitted from zeros without penalty.
 * Empty arrays when there are no covariates.
 */
export function fitCovariateBetas(inputs: WgrInputs): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const labels = inputs.labels;
  const nCov = inputs.nCov;
  for (const label of labels.columns) {
    if (nCov === 0) { out.set(label, new Float64Array(0)); continue; }
    const y0 = labels.column(label);
    const covPos = inputs.cov.positionsOf(labels.index, "covariate DataFrame");
    const keep: number[] = [];
    for (let i = 0; i < labels.numRows; i++) if (!Number.isNaN(y0[i]!)) keep.push(i);
    const n = keep.length;
    const xt = new Float64Array(nCov * n);
    const cn = inputs.cov.numRows;
    for (let j = 0; j < nCov; j++) for (let s = 0; s < n; s++) xt[j * n + s] = inputs.cov.values[j * cn + covPos[keep[s]!]!]!;
    const y = Float64Array.from(keep, (i) => y0[i]!);
    const fit = constrainedLogisticFit(xt, nCov, n, y, new Float64Array(nCov), null, 0);
    out.set(label, Float64Array.from(fit.x));
  }
  return out;
}

/** β, XᵀGX and Xᵀ(p−y) of one (sample block, label, alpha) group (Glow's `irls_eqn_struct` rows). */
export interface IrlsEquations {
  headerBlock: string;
  sampleBlock: string;
  label: string;
  alpha: string;
  headers: string[];
  sortKeys: number[];
  nCov: number;
  beta: Float64Array;
  xtgx: Float64Array;
  xty: Float64Array;
}

/** Glow's `map_irls_eqn` for one group. */
export function mapIrlsEqn(
  bm: BlockMatrix, rows: readonly number[], sampleBlock: string, label: string, alpha: string,
  alphas: AlphaDict, inputs: WgrInputs, betaCov: Map<string, Float64Array>,
): IrlsEquations {
  const mask = labelMask(inputs, label, sampleBlock);
  const d = assembleDesign(bm, rows, sampleBlock, inputs, { mask });
  const y = sliceLabels(inputs, label, sampleBlock, mask);
  const bc = betaCov.get(label);
  if (!bc) throw new GlowtsError("LABEL", `no covariate fit for label '${label}'`);
  const alphaValue = alphas[alpha];
  if (alphaValue === undefined) throw new GlowtsError("OPTION", `unknown alpha '${alpha}'`);
  const pieces = getIrlsPieces(d.xt, d.p, d.n, y.yt, alphaValue, bc);
  return { headerBlock: "all", sampleBlock, label, alpha, headers: d.headers, sortKeys: d.sortKeys, nCov: d.nCov, beta: pieces.beta, xtgx: pieces.xtgx, xty: pieces.xty };
}

/** Map over every (sample block, label) group and every alpha. */
export function logisticMap(bm: BlockMatrix, inputs: WgrInputs, alphas: AlphaDict, betaCov: Map<string, Float64Array>): IrlsEquations[] {
  const out: IrlsEquations[] = [];
  const names = Object.keys(alphas);
  for (const g of groupRows(bm, "regression")) {
    for (const a of names) out.push(mapIrlsEqn(bm, g.rows, g.sampleBlock, g.label, a, alphas, inputs, betaCov));
  }
  return out;
}

/**
 * Glow's `reduce_irls_eqn` over the sample blocks of one (label, alpha): XᵀGX and Xᵀ(p−y) become
 * the sums over the other blocks; β becomes `(K·mean(β) − β_k)/(K − 1)`.
 */
export function reduceIrlsEqn(group: readonly IrlsEquations[]): IrlsEquations[] {
  if (group.length === 0) return [];
  const first = group[0]!;
  for (const g of group) {
    if (g.headers.length !== first.headers.length || g.headers.some((h, i) => h !== first.headers[i])) {
      throw new GlowtsError("BLOCK_MATRIX", `label '${first.label}': sample blocks '${first.sampleBlock}' and '${g.sampleBlock}' have different headers`);
    }
  }
  const K = group.length;
  const sumG = new Float64Array(first.xtgx.length);
  const sumY = new Float64Array(first.xty.length);
  const sumB = new Float64Array(first.beta.length);
  for (const g of group) {
    for (let i = 0; i < sumG.length; i++) sumG[i] += g.xtgx[i]!;
    for (let i = 0; i < sumY.length; i++) sumY[i] += g.xty[i]!;
    for (let i = 0; i < sumB.length; i++) sumB[i] += g.beta[i]!;
  }
  return group.map((g) => {
    const xtgx = new Float64Array(sumG.length);
    const xty = new Float64Array(sumY.length);
    const beta = new Float64Array(sumB.length);
    for (let i = 0; i < xtgx.length; i++) xtgx[i] = sumG[i]! - g.xtgx[i]!;
    for (let i = 0; i < xty.length; i++) xty[i] = sumY[i]! - g.xty[i]!;
    for (let i = 0; i < beta.length; i++) beta[i] = (K * (sumB[i]! / K) - g.beta[i]!) / (K - 1);
    return { ...g, xtgx, xty, beta };
  });
}

/** Reduce over all (label, alpha) groups. */
export function logisticReduce(eqs: readonly IrlsEquations[]): IrlsEquations[] {
  const by = new Map<string, IrlsEquations[]>();
  for (const e of eqs) {
    const k = `${e.label}\u0000${e.alpha}`;
    let g = by.get(k);
    if (!g) by.set(k, (g = []));
    g.push(e);
  }
  const out: IrlsEquations[] = [];
  for (const g of by.values()) out.push(...reduceIrlsEqn(g));
  return out;
}

/**
 * Glow's `irls_one_step`: one Newton step on the non-covariate coefficients,
 * `β = β₀ − [0; inv(XᵀGX[nc,nc] + αI)·(Xᵀ(p−y)[nc] + α·β₀[nc])]`.
 */
export function solveIrlsEqn(eq: IrlsEquations, alphaValue: number): Float64Array {
  const p = eq.headers.length;
  const nc = eq.nCov;
  const m = p - nc;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[i * m + j] = eq.xtgx[(i + nc) * p + j + nc]!;
  for (let i = 0; i < m; i++) a[i * m + i] += alphaValue;
  const rhs = new Float64Array(m);
  for (let i = 0; i < m; i++) rhs[i] = eq.xty[i + nc]! + eq.beta[i + nc]! * alphaValue;
  const inv = invertLU(a, m, `solve_irls_eqn (sample block ${eq.sampleBlock}, ${eq.label}, ${eq.alpha})`);
  const dbeta = matMul(inv, m, m, rhs, 1);
  const beta = Float64Array.from(eq.beta);
  for (let i = 0; i < m; i++) beta[i + nc] = eq.beta[i + nc]! - dbeta[i]!;
  return beta;
}

/**
 * Solves every reduced group and gathers, per (sample block, label), a coefficient matrix whose
 * columns are the alphas in sorted-name order (Glow's `sort_array(collect_list(...))`).
 */
export function logisticSolve(eqs: readonly IrlsEquations[], alphas: AlphaDict): RidgeModel {
  const names = sortedAlphaNames(alphas);
  const by = new Map<string, Map<string, IrlsEquations>>();
  for (const e of eqs) {
    const k = `${e.sampleBlock}\u0000${e.label}`;
    let g = by.get(k);
    if (!g) by.set(k, (g = new Map()));
    g.set(e.alpha, e);
  }
  const blocks: RidgeModelBlock[] = [];
  for (const g of by.values()) {
    const any = g.values().next().value as IrlsEquations;
    const p = any.headers.length;
    const used = names.filter((a) => g.has(a));
    const k = used.length;
    const coef = new Float64Array(p * k);
    used.forEach((a, c) => {
      const beta = solveIrlsEqn(g.get(a)!, alphas[a]!);
      for (let i = 0; i < p; i++) coef[i * k + c] = beta[i]!;
    });
    blocks.push({
      headerBlock: "all", sampleBlock: any.sampleBlock, label: any.label, headers: any.headers, sortKeys: any.sortKeys,
      nCov: any.nCov, alphaNames: used, labelNames: used.map(() => any.label), coefficients: coef,
    });
  }
  return new RidgeModel(blocks, "logistic");
}

/** Glow's `log_loss` per prediction column (probabilities `pt`, k × n). */
export function logLoss(pt: Float64Array, k: number, y: Float64Array, n: number): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    const o = c * n;
    for (let i = 0; i < n; i++) {
      const p = pt[o + i]!;
      s += y[i]! * Math.log(p + EPS_LOG) + (1 - y[i]!) * Math.log(1 - p + EPS_LOG);
    }
    out[c] = -s / n;
  }
  return out;
}

/** Glow's `score_models` with metric log_loss (masked samples), then the best alpha per label. */
export function logisticCrossValidate(bm: BlockMatrix, model: RidgeModel, inputs: WgrInputs, alphas: AlphaDict): CrossValidation {
  const scores: CrossValidation["scores"] = [];
  for (const g of groupRows(bm, "regression")) {
    const mb = model.get("all", g.sampleBlock, g.label);
    if (!mb) continue;
    const mask = labelMask(inputs, g.label, g.sampleBlock);
    const { pt, n, k } = predictGroup(bm, g.rows, mb, inputs, { mask });
    sigmoidInPlace(pt);
    const y = sliceLabels(inputs, g.label, g.sampleBlock, mask);
    const ll = logLoss(pt, k, y.yt, n);
    for (let c = 0; c < k; c++) scores.push({ sampleBlock: g.sampleBlock, label: g.label, alpha: mb.alphaNames[c]!, score: ll[c]! });
  }
  return summarizeScores("log_loss", scores, alphas, inputs.labels.columns);
}
