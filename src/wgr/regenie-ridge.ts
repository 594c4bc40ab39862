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
import type { RegenieLevel0Options } from "./regenie-level0.js";
import { GlowtsError } from "../core/errors.js";
import { choleskySolve, crossRowsWith, gramRows, invertLU, predictRows } from "../linalg/ridge-kernels.js";
import type { BlockMatrix, BlockRow, SampleBlocks } from "./block-matrix.js";
import { LocoPredictions } from "./loco.js";
import { loggerOf, type WgrCommonOptions } from "./options.js";
import { REGENIE_HERITABILITY_GRID, regenieLevel0Predictions } from "./regenie-level0.js";
import { SampleTable, toSampleTable, type SampleTableLike } from "./sample-table.js";
import type { StreamedBlockMatrix } from "./streamed-blocks.js";

export { REGENIE_HERITABILITY_GRID };

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
  /** Fit threads for level 0's header blocks (default `glow.config().workers`; 0 or 1: this thread). */
  workers?: number;
  /** Progress over level 0's header blocks (see {@link RegenieLevel0Options.onProgress}); `false` for none. */
  onProgress?: RegenieLevel0Options["onProgress"];
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
  blockDf: BlockMatrix | StreamedBlockMatrix | readonly BlockRow[],
  labelDf: SampleTableLike,
  sampleBlocks: SampleBlocks,
  covDf: SampleTableLike | null = null,
  options: RegenieRidgeOptions = {},
): Promise<RegenieLevel0> {
  const labels = toSampleTable(labelDf, "label DataFrame");
  const h1 = options.level1Heritabilities ?? REGENIE_HERITABILITY_GRID;
  for (const h of h1) if (!(h > 0 && h < 1)) throw new GlowtsError("OPTION", `regenieRidge: heritabilities must be in (0, 1); got ${h}`, { option: "level0Heritabilities" });
  // per header block, from a materialized or a streamed block matrix (regenie-level0.ts)
  const p0 = await regenieLevel0Predictions(blockDf, labels, sampleBlocks, covDf, options);
  const { ids, foldStart, folds, scale } = p0;
  const n = ids.length;
  const W = p0.predictions;
  const B = p0.blocks.length;
  const R = p0.lambda.length;
  const Y = p0.Y;
  const blockChrom = p0.blockChromosomes;
  const observed: (Uint8Array | null)[] = labels.columns.map((_, j) => {
    const mask = p0.observed.slice(j * n, (j + 1) * n);
    return mask.every((m) => m === 1) ? null : mask;
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
  blockDf: BlockMatrix | StreamedBlockMatrix | readonly BlockRow[],
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
  const reorder = outputOrder(l0, ids);
  return {
    loco: new LocoPredictions(chromosomes, locoValues.map(reorder)),
    full: reorder(fullValues),
    scale,
    cv: cvOut,
    chromosomes,
  };
}

/**
 * Level-1 predictions (trait-major, `v[j·n + s]` for sample `ids[s]`) back in the label table's sample
 * order as a SampleTable (samples outside every fold: NaN). Shared by the linear and logistic level 1.
 */
export function outputOrder(l0: Pick<RegenieLevel0, "outputIds" | "traits">, ids: readonly string[]): (v: Float64Array) => SampleTable {
  const outIds = l0.outputIds;
  const n = ids.length;
  const q = l0.traits.length;
  const posOf = new Map(ids.map((s, i) => [s, i]));
  return (v: Float64Array): SampleTable => {
    const nn = outIds.length;
    const out = new Float64Array(nn * q).fill(NaN);
    outIds.forEach((s, i) => { const p = posOf.get(s); if (p !== undefined) for (let j = 0; j < q; j++) out[j * nn + i] = v[j * n + p]!; });
    return new SampleTable(outIds, [...l0.traits], out);
  };
}
