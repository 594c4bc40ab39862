/**
 * The `regenie` preset of GloWGR for quantitative traits: REGENIE's step 1 (Mbatchou et al. 2021,
 * Nat Genet 53:1097) computed on Glow's block matrix, an opt-in next to Glow's math
 * ({@link RidgeReduction} + {@link RidgeRegression}, which stay Glow's).
 *
 * What differs from Glow's defaults (each measured in `bench/accuracy.mjs`):
 * - covariates: each trait is residualized on [1, covariates] over its observed samples and scaled
 *   to unit variance (dof n − k); missing values become 0 after that, and at level 1 the level-0
 *   predictions of those samples are masked (0) and the features standardized over the observed
 *   samples, as REGENIE does, so that they take no part in the fit (their predictions are 0). Every genotype column is
 *   residualized on the covariates over all samples and scaled to unit variance. Neither level
 *   carries covariate columns, so the prediction is the genetic part only (Glow's ŷ includes the
 *   covariates' fitted contribution).
 * - ridge grids: REGENIE's λ = m(1 − h²)/h² over h² ∈ {0.01, 0.25, 0.5, 0.75, 0.99} with m the
 *   number of variants (level 0) or of level-0 predictors (level 1); Glow's α = m/h² over-penalizes
 *   the high-heritability end by 1/(1 − h²) (100× at h² = 0.99).
 * - level 1: ridge over the out-of-fold level-0 predictions of all blocks, fitted once per fold on
 *   the other folds and applied to that fold (fold-specific fits); the level-1 features are the
 *   level-0 predictions scaled to unit variance over all samples (`standardizeLevel1`, default;
 *   Glow standardizes them within each sample block); the level-1 λ is the one with the least
 *   out-of-fold mean squared error summed over folds.
 * - LOCO: for chromosome c the level-1 terms of c's blocks are left out (no refit), as REGENIE
 *   and Glow do.
 * Sample blocks are the cross-validation folds.
 *
 * Output scale: the predictions are in units of the residualized, unit-variance trait (what
 * REGENIE writes to `.loco`), which is also the scale on which `glow.gwas` subtracts `offsetDf`
 * (from the residualized trait scaled to unit variance); {@link RegenieRidgeResult.scale} holds
 * each trait's residual sd, so that `loco × scale` is on the phenotype's own scale.
 */
import { GlowtsError } from "../core/errors.js";
import { choleskySolve, crossRowsWith, gramRows, invertLU, predictRows } from "../linalg/ridge-kernels.js";
import type { BlockMatrix, BlockRow, SampleBlocks } from "./block-matrix.js";
import { LocoPredictions } from "./loco.js";
import { toBlockMatrix, loggerOf, type WgrCommonOptions } from "./options.js";
import { SampleTable, toSampleTable, type SampleTableLike } from "./sample-table.js";

/** REGENIE's heritability grid (level 0 and level 1). */
export const REGENIE_HERITABILITY_GRID = [0.01, 0.25, 0.5, 0.75, 0.99] as const;

/** Options of {@link regenieRidge}. */
export interface RegenieRidgeOptions extends WgrCommonOptions {
  /** Heritabilities of the level-0 grid. @defaultValue [0.01, 0.25, 0.5, 0.75, 0.99] */
  level0Heritabilities?: readonly number[];
  /** Heritabilities of the level-1 grid. @defaultValue [0.01, 0.25, 0.5, 0.75, 0.99] */
  level1Heritabilities?: readonly number[];
  /** Scale every level-1 feature to unit variance over all samples (measured: LOCO correlation with the genetic value 0.20–0.24 against 0.19–0.21 unscaled). @defaultValue true */
  standardizeLevel1?: boolean;
  /** Add an intercept to the covariates. @defaultValue true */
  addIntercept?: boolean;
}

/** What {@link regenieRidge} returns. */
export interface RegenieRidgeResult {
  /** LOCO predictions (genetic part, in units of the residualized unit-variance trait). */
  loco: LocoPredictions;
  /** Whole-genome prediction (no chromosome left out), same units. */
  full: SampleTable;
  /** Residual sd of each trait after the covariates (multiply to get the phenotype's scale). */
  scale: Record<string, number>;
  /** Level-1 cross-validation: per trait, λ values, out-of-fold MSE and R² (summed over folds), best index. */
  cv: Record<string, { lambda: number[]; heritability: number[]; mse: number[]; r2: number[]; best: number }>;
  /** The chromosomes of the block matrix, in block order. */
  chromosomes: string[];
}

function chromOfHeaderBlock(hb: string): string {
  const m = /^chr_(.+?)_block_/s.exec(hb);
  return m ? m[1]! : hb;
}

/** Least squares residuals of the columns of `y` (n × q, column-major, masked) on C (n × k column-major). */
function residualize(c: Float64Array, k: number, n: number, y: Float64Array, mask: Uint8Array | null): { res: Float64Array; dof: number } {
  const ctc = new Float64Array(k * k);
  const cty = new Float64Array(k);
  let nObs = 0;
  for (let s = 0; s < n; s++) {
    if (mask && !mask[s]) continue;
    nObs++;
    for (let a = 0; a < k; a++) {
      const ca = c[a * n + s]!;
      cty[a] += ca * y[s]!;
      for (let b = 0; b <= a; b++) ctc[a * k + b] += ca * c[b * n + s]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) ctc[b * k + a] = ctc[a * k + b]!;
  const res = new Float64Array(n);
  if (k === 0) {
    for (let s = 0; s < n; s++) res[s] = mask && !mask[s] ? 0 : y[s]!;
    return { res, dof: nObs };
  }
  const inv = invertLU(ctc, k, "regenie residualize");
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) { let t = 0; for (let b = 0; b < k; b++) t += inv[a * k + b]! * cty[b]!; beta[a] = t; }
  for (let s = 0; s < n; s++) {
    if (mask && !mask[s]) continue;
    let f = 0;
    for (let a = 0; a < k; a++) f += c[a * n + s]! * beta[a]!;
    res[s] = y[s]! - f;
  }
  return { res, dof: nObs - k };
}

/**
 * What REGENIE's level 0 hands to level 1 (the only interface between the two): per trait, the
 * out-of-fold level-0 predictions of every block and ridge parameter, masked (0) where the trait is
 * missing and standardized over the observed samples (`standardizeLevel1`), in fold order.
 */
export interface RegenieLevel0 {
  /** Analysed samples in fold order (fold f = `sampleIds[foldStart[f] .. foldStart[f+1])`). */
  sampleIds: string[];
  foldStart: number[];
  /** Fold (sample block) names, in order. */
  folds: string[];
  /** Trait names (the label table's columns). */
  traits: string[];
  /** The label table's sample order (the order of the outputs). */
  outputIds: string[];
  /** Per trait: (blocks × predictorsPerBlock) × n, row-major; feature b·R + r = block b, ridge parameter r. */
  features: Float64Array[];
  /** The chromosome of each header block. */
  blockChromosomes: string[];
  predictorsPerBlock: number;
  /** Traits residualized on the covariates and scaled to unit variance (trait-major q × n; 0 where missing). */
  y: Float64Array;
  /** Per trait: 1 where the phenotype is observed (null: all observed). */
  observed: (Uint8Array | null)[];
  /** Residual sd of each trait after the covariates. */
  scale: Record<string, number>;
}

/**
 * REGENIE's level 0 over a Glow block matrix (see the module description): covariates regressed
 * out of traits and genotypes, ridge λ = m(1−h²)/h², out-of-fold predictions per block.
 * @param blockDf the output of `blockVariantsAndSamples` (raw values; mu/sig are recomputed after the covariates)
 * @param labelDf traits (sample × trait; NaN = missing)
 * @param sampleBlocks sample blocks = cross-validation folds
 * @param covDf covariates (no missing values), or null
 * @throws GlowtsError `LABEL` for a trait with fewer than k + 2 observed values or zero residual
 *   variance, `COVARIATE` for a missing covariate value of an analysed sample
 */
export async function regenieLevel0(
  blockDf: BlockMatrix | readonly BlockRow[],
  labelDf: SampleTableLike,
  sampleBlocks: SampleBlocks,
  covDf: SampleTableLike | null = null,
  options: RegenieRidgeOptions = {},
): Promise<RegenieLevel0> {
  const log = loggerOf(options);
  const bm = toBlockMatrix(blockDf, "regenieRidge");
  const labels = toSampleTable(labelDf, "label DataFrame");
  const cov = toSampleTable(covDf, "covariate DataFrame");
  const h0 = options.level0Heritabilities ?? REGENIE_HERITABILITY_GRID;
  const h1 = options.level1Heritabilities ?? REGENIE_HERITABILITY_GRID;
  for (const h of [...h0, ...h1]) if (!(h > 0 && h < 1)) throw new GlowtsError("OPTION", `regenieRidge: heritabilities must be in (0, 1); got ${h}`, { option: "level0Heritabilities" });
  const folds = Object.keys(sampleBlocks).sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  if (folds.length < 2) throw new GlowtsError("OPTION", "regenieRidge: needs at least 2 sample blocks (cross-validation folds)");
  // samples in fold order
  const ids: string[] = [];
  const foldStart: number[] = [];
  for (const f of folds) { foldStart.push(ids.length); ids.push(...sampleBlocks[f]!); }
  foldStart.push(ids.length);
  const n = ids.length;
  const K = folds.length;
  const labelPos = labels.positionsOf(ids, "label DataFrame");
  const q = labels.columns.length;

  // covariates (column-major n × k) with the intercept first
  const addIntercept = options.addIntercept ?? true;
  const covCols = cov.empty ? [] : cov.columns;
  const k = covCols.length + (addIntercept ? 1 : 0);
  const C = new Float64Array(k * n);
  let o = 0;
  if (addIntercept) { C.fill(1, 0, n); o = 1; }
  if (covCols.length) {
    const cp = cov.positionsOf(ids, "covariate DataFrame");
    covCols.forEach((name, j) => {
      const col = cov.column(j);
      for (let s = 0; s < n; s++) {
        const v = col[cp[s]!]!;
        if (!Number.isFinite(v)) throw new GlowtsError("COVARIATE", `covariate '${name}' is missing or not finite for sample '${ids[s]}'`, { record: `sample ${ids[s]}, column ${name}` });
        C[(j + o) * n + s] = v;
      }
    });
  }

  // traits: residualize on the observed samples, scale to unit variance (dof n_obs − k)
  const Y = new Float64Array(q * n); // row block q × n
  const scale: Record<string, number> = {};
  const observed: (Uint8Array | null)[] = []; // per trait: 1 = phenotype observed (null: all observed)
  labels.columns.forEach((name, j) => {
    const col = labels.column(j);
    const y = new Float64Array(n);
    const mask = new Uint8Array(n);
    observed.push(mask);
    for (let s = 0; s < n; s++) { const v = col[labelPos[s]!]!; if (Number.isFinite(v)) { y[s] = v; mask[s] = 1; } }
    if (mask.every((m) => m === 1)) observed[j] = null;
    const { res, dof } = residualize(C, k, n, y, mask);
    if (dof < 2) throw new GlowtsError("LABEL", `trait '${name}' has ${dof + k} observed values for ${k} covariate column(s)`, { record: `column ${name}` });
    let ss = 0;
    for (let s = 0; s < n; s++) ss += res[s]! ** 2;
    const sd = Math.sqrt(ss / dof);
    if (!(sd > 0)) throw new GlowtsError("LABEL", `trait '${name}' has no variance left after the covariates`, { record: `column ${name}` });
    scale[name] = sd;
    for (let s = 0; s < n; s++) Y[j * n + s] = res[s]! / sd;
  });

  // header blocks in order, with their rows per sample block
  const hbOrder: string[] = [];
  const hbRows = new Map<string, Map<string, number[]>>(); // header block → header → rows
  for (let r = 0; r < bm.numRows; r++) {
    const hb = bm.headerBlock[r]!;
    let m = hbRows.get(hb);
    if (!m) { m = new Map(); hbRows.set(hb, m); hbOrder.push(hb); }
    const h = bm.header[r]!;
    let rs = m.get(h);
    if (!rs) { rs = []; m.set(h, rs); }
    rs.push(r);
  }
  let M = 0;
  for (const m of hbRows.values()) M += m.size;
  const lambda0 = h0.map((h) => (M * (1 - h)) / h);
  const R = lambda0.length;
  const foldOfBlock = new Map(folds.map((f, i) => [f, i]));
  const ctcInv = k ? invertLU((() => {
    const a = new Float64Array(k * k);
    for (let x = 0; x < k; x++) for (let y = 0; y < k; y++) { let t = 0; for (let s = 0; s < n; s++) t += C[x * n + s]! * C[y * n + s]!; a[x * k + y] = t; }
    return a;
  })(), k, "regenie covariates") : new Float64Array(0);

  const B = hbOrder.length;
  // W: level-0 out-of-fold predictions, feature index (b*R + r), per trait: features × n
  const W = Array.from({ length: q }, () => new Float64Array(B * R * n));
  const blockChrom = hbOrder.map(chromOfHeaderBlock);
  const nf = folds.map((_, f) => foldStart[f + 1]! - foldStart[f]!);
  const Yf = folds.map((_, f) => {
    const out = new Float64Array(q * nf[f]!);
    for (let j = 0; j < q; j++) out.set(Y.subarray(j * n + foldStart[f]!, j * n + foldStart[f + 1]!), j * nf[f]!);
    return out;
  });
  const full = new Float64Array(n);
  const ctx = new Float64Array(k);
  log(`regenie level 0: ${B} blocks, ${M} variants, ${K} folds, λ = ${lambda0.map((l) => l.toPrecision(4)).join(", ")}`);
  hbOrder.forEach((hb, b) => {
    const headers = [...hbRows.get(hb)!.entries()];
    // assemble, residualize and scale every variant over all samples
    const cols: Float64Array[] = [];
    for (const [h, rows] of headers) {
      full.fill(0);
      for (const r of rows) {
        const f = foldOfBlock.get(bm.sampleBlock[r]!);
        if (f === undefined) throw new GlowtsError("SAMPLE_BLOCK", `sample block '${bm.sampleBlock[r]}' is not in sample_blocks`, { record: `header ${h}` });
        const vals = bm.values[r]!;
        const idx = bm.indices?.[r];
        const base = foldStart[f]!;
        if (idx) for (let t = 0; t < idx.length; t++) full[base + idx[t]!] = vals[t]!;
        else {
          if (vals.length !== nf[f]) throw new GlowtsError("BLOCK_MATRIX", `values has ${vals.length} elements, sample block '${bm.sampleBlock[r]}' has ${nf[f]} samples`, { record: `header ${h}` });
          full.set(vals, base);
        }
      }
      // x − C (CᵀC)⁻¹ Cᵀx
      for (let a = 0; a < k; a++) { let t = 0; for (let s = 0; s < n; s++) t += C[a * n + s]! * full[s]!; ctx[a] = t; }
      const g = new Float64Array(k);
      for (let a = 0; a < k; a++) { let t = 0; for (let c = 0; c < k; c++) t += ctcInv[a * k + c]! * ctx[c]!; g[a] = t; }
      const x = new Float64Array(n);
      let ss = 0;
      for (let s = 0; s < n; s++) {
        let f = full[s]!;
        for (let a = 0; a < k; a++) f -= C[a * n + s]! * g[a]!;
        x[s] = f;
        ss += f * f;
      }
      const sd = Math.sqrt(ss / (n - 1));
      if (!(sd > 1e-8)) continue;
      for (let s = 0; s < n; s++) x[s]! /= sd;
      cols.push(x);
    }
    const m = cols.length;
    if (m === 0) return;
    // per-fold row blocks, Grams and cross products
    const xtf: Float64Array[] = [];
    const gram: Float64Array[] = [];
    const xty: Float64Array[] = [];
    const gTot = new Float64Array(m * m);
    const bTot = new Float64Array(m * q);
    for (let f = 0; f < K; f++) {
      const nn = nf[f]!;
      const xt = new Float64Array(m * nn);
      cols.forEach((c, j) => xt.set(c.subarray(foldStart[f]!, foldStart[f + 1]!), j * nn));
      xtf.push(xt);
      const gf = gramRows(xt, m, nn);
      const bf = crossRowsWith(xt, m, Yf[f]!, q, nn);
      gram.push(gf); xty.push(bf);
      for (let i = 0; i < gf.length; i++) gTot[i] += gf[i]!;
      for (let i = 0; i < bf.length; i++) bTot[i] += bf[i]!;
    }
    const gOut = new Float64Array(m * m);
    const bOut = new Float64Array(m * q);
    const diag = new Float64Array(m);
    for (let f = 0; f < K; f++) {
      for (let i = 0; i < gOut.length; i++) gOut[i] = gTot[i]! - gram[f]![i]!;
      for (let i = 0; i < bOut.length; i++) bOut[i] = bTot[i]! - xty[f]![i]!;
      const nn = nf[f]!;
      lambda0.forEach((lam, r) => {
        diag.fill(lam);
        let beta = choleskySolve(gOut, diag, m, bOut, q);
        if (!beta) {
          const a = Float64Array.from(gOut);
          for (let i = 0; i < m; i++) a[i * m + i] += lam;
          const inv = invertLU(a, m, `regenie level 0 (${hb}, fold ${folds[f]})`);
          beta = new Float64Array(m * q);
          for (let i = 0; i < m; i++) for (let c = 0; c < q; c++) { let t = 0; for (let j = 0; j < m; j++) t += inv[i * m + j]! * bOut[j * q + c]!; beta[i * q + c] = t; }
        }
        const pt = predictRows(xtf[f]!, m, nn, beta, q);
        for (let j = 0; j < q; j++) W[j]!.set(pt.subarray(j * nn, (j + 1) * nn), (b * R + r) * n + foldStart[f]!);
      });
    }
  });

  // As REGENIE: the level-0 predictions of samples whose phenotype is missing are masked (0), so
  // they take no part in the level-1 fit (their y is 0), and the features are standardized over
  // the observed samples; their predictions are then 0 (the CLI writes NA, as REGENIE).
  labels.columns.forEach((_, j) => {
    const Wj = W[j]!;
    const P = B * R;
    const obs = observed[j]!;
    const nObs = obs ? obs.reduce((a, m) => a + m, 0) : n;
    if (obs) for (let p = 0; p < P; p++) for (let s = 0; s < n; s++) if (!obs[s]) Wj[p * n + s] = 0;
    if (options.standardizeLevel1 ?? true) {
      for (let p = 0; p < P; p++) {
        let mu = 0;
        for (let s = 0; s < n; s++) mu += Wj[p * n + s]!;
        mu /= nObs;
        let ss = 0;
        for (let s = 0; s < n; s++) if (!obs || obs[s]) ss += (Wj[p * n + s]! - mu) ** 2;
        const sd = Math.sqrt(ss / (nObs - 1));
        for (let s = 0; s < n; s++) Wj[p * n + s] = sd > 0 && (!obs || obs[s]) ? (Wj[p * n + s]! - mu) / sd : 0;
      }
    }
  });
  return {
    sampleIds: ids, foldStart, folds, traits: [...labels.columns], outputIds: [...labels.index], features: W,
    blockChromosomes: blockChrom, predictorsPerBlock: R, y: Y, observed, scale,
  };
}

/**
 * REGENIE's step 1 for quantitative traits over a Glow block matrix (see the module description):
 * {@link regenieLevel0}, then the level-1 ridge.
 * @throws GlowtsError as {@link regenieLevel0}
 */
export async function regenieRidge(
  blockDf: BlockMatrix | readonly BlockRow[],
  labelDf: SampleTableLike,
  sampleBlocks: SampleBlocks,
  covDf: SampleTableLike | null = null,
  options: RegenieRidgeOptions = {},
): Promise<RegenieRidgeResult> {
  const l0 = await regenieLevel0(blockDf, labelDf, sampleBlocks, covDf, options);
  return regenieRidgeLevel1(l0, options);
}

/** REGENIE's level-1 ridge (quantitative traits) on the output of {@link regenieLevel0}. */
export function regenieRidgeLevel1(l0: RegenieLevel0, options: RegenieRidgeOptions = {}): RegenieRidgeResult {
  const log = loggerOf(options);
  const h1 = options.level1Heritabilities ?? REGENIE_HERITABILITY_GRID;
  const { sampleIds: ids, foldStart, folds, features: W, blockChromosomes: blockChrom, predictorsPerBlock: R, y: Y, scale } = l0;
  const n = ids.length;
  const K = folds.length;
  const q = l0.traits.length;
  const B = blockChrom.length;
  const nf = folds.map((_, f) => foldStart[f + 1]! - foldStart[f]!);
  // level 1 per trait
  const P = B * R;
  const lambda1 = h1.map((h) => (P * (1 - h)) / h);
  const chromosomes = [...new Set(blockChrom)];
  const locoValues = chromosomes.map(() => new Float64Array(n * q));
  const fullValues = new Float64Array(n * q);
  const cvOut: RegenieRidgeResult["cv"] = {};
  l0.traits.forEach((name, j) => {
    const Wj = W[j]!;
    const y = Y.subarray(j * n, (j + 1) * n);
    const wf: Float64Array[] = [];
    const g1: Float64Array[] = [];
    const b1: Float64Array[] = [];
    const gT = new Float64Array(P * P);
    const bT = new Float64Array(P);
    for (let f = 0; f < K; f++) {
      const nn = nf[f]!;
      const xt = new Float64Array(P * nn);
      for (let p = 0; p < P; p++) xt.set(Wj.subarray(p * n + foldStart[f]!, p * n + foldStart[f + 1]!), p * nn);
      wf.push(xt);
      const g = gramRows(xt, P, nn);
      const bb = crossRowsWith(xt, P, y.subarray(foldStart[f]!, foldStart[f + 1]!), 1, nn);
      g1.push(g); b1.push(bb);
      for (let i = 0; i < g.length; i++) gT[i] += g[i]!;
      for (let i = 0; i < P; i++) bT[i] += bb[i]!;
    }
    const coef: Float64Array[][] = lambda1.map(() => []);
    const mse = lambda1.map(() => 0);
    const sse0 = (() => { let t = 0; for (let s = 0; s < n; s++) t += y[s]! ** 2; return t; })();
    const gO = new Float64Array(P * P);
    const bO = new Float64Array(P);
    const diag = new Float64Array(P);
    for (let f = 0; f < K; f++) {
      for (let i = 0; i < gO.length; i++) gO[i] = gT[i]! - g1[f]![i]!;
      for (let i = 0; i < P; i++) bO[i] = bT[i]! - b1[f]![i]!;
      lambda1.forEach((lam, r) => {
        diag.fill(lam);
        let a = choleskySolve(gO, diag, P, bO, 1);
        if (!a) {
          const mtx = Float64Array.from(gO);
          for (let i = 0; i < P; i++) mtx[i * P + i] += lam;
          const inv = invertLU(mtx, P, `regenie level 1 (${name}, fold ${folds[f]})`);
          a = new Float64Array(P);
          for (let i = 0; i < P; i++) { let t = 0; for (let c = 0; c < P; c++) t += inv[i * P + c]! * bO[c]!; a[i] = t; }
        }
        coef[r]!.push(a);
        const pt = predictRows(wf[f]!, P, nf[f]!, a, 1);
        for (let s = 0; s < nf[f]!; s++) mse[r] += (y[foldStart[f]! + s]! - pt[s]!) ** 2;
      });
    }
    let best = 0;
    for (let r = 1; r < lambda1.length; r++) if (mse[r]! < mse[best]!) best = r;
    cvOut[name] = { lambda: lambda1, heritability: [...h1], mse: mse.map((v) => v / n), r2: mse.map((v) => 1 - v / sse0), best };
    log(`regenie level 1 '${name}': best h² ${h1[best]} (λ ${lambda1[best]!.toPrecision(4)}), out-of-fold R² ${(1 - mse[best]! / sse0).toFixed(4)}`);
    // predictions: per fold, per block term, summed over blocks not on the left-out chromosome
    for (let f = 0; f < K; f++) {
      const a = coef[best]![f]!;
      const nn = nf[f]!;
      const xt = wf[f]!;
      for (let b = 0; b < B; b++) {
        const ci = chromosomes.indexOf(blockChrom[b]!);
        for (let r = 0; r < R; r++) {
          const w = a[b * R + r]!;
          if (w === 0) continue;
          const row = (b * R + r) * nn;
          for (let s = 0; s < nn; s++) {
            const v = w * xt[row + s]!;
            const pos = j * n + foldStart[f]! + s;
            fullValues[pos] += v;
            for (let c = 0; c < chromosomes.length; c++) if (c !== ci) locoValues[c]![pos] += v;
          }
        }
      }
    }
  });
  // back to the label table's sample order (samples outside every fold: NaN)
  const outIds = l0.outputIds;
  const posOf = new Map(ids.map((s, i) => [s, i]));
  const reorder = (v: Float64Array): SampleTable => {
    const nn = outIds.length;
    const out = new Float64Array(nn * q).fill(NaN);
    outIds.forEach((s, i) => { const p = posOf.get(s); if (p !== undefined) for (let j = 0; j < q; j++) out[j * nn + i] = v[j * n + p]!; });
    return new SampleTable(outIds, [...l0.traits], out);
  };
  return {
    loco: new LocoPredictions(chromosomes, locoValues.map(reorder)),
    full: reorder(fullValues),
    scale,
    cv: cvOut,
    chromosomes,
  };
}
