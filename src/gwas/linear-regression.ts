/**
 * Linear regression GWAS: Glow's `glow.gwas.linear_regression` (`python/glow/gwas/lin_reg.py`),
 * the REGENIE step-2 test for quantitative traits, batched over a block of variants × all traits.
 *
 * Math (reference §2.8): C = [1 | covariates], Q = thin QR basis of C. Phenotypes: missing → 0
 * with a mask; mean-centred over all N (missing counted as 0); residualized (Y − QQᵀY)·mask;
 * scaled by sqrt(ΣY²/(n_present − k)); the offset is subtracted after scaling (not residualized)
 * and masked again. Per variant: x ← x − QQᵀx, β = Yᵀx / Σ mask·x², se = sqrt((YᵀY/Σmask·x² − β²)/dof)
 * with dof = N − k − 1 (N = all samples), t = β/se, p = 2·t_sf(|t|, dof); effect = β·scale,
 * stderror = se·scale.
 *
 * Layers: {@link prepareLinearRegression} (tables → plain state, once), {@link linearRegressionPartition}
 * (one batch → result batch, pure, worker-safe), and the frame-level `linearRegression` in `./api.ts`.
 *
 * @see https://github.com/projectglow/glow/blob/main/python/glow/gwas/lin_reg.py
 * @see Mbatchou et al. (2021), Computationally efficient whole-genome regression for quantitative
 *      and binary traits, Nat Genet 53:1097–1103 (REGENIE).
 */
import { GlowtsError } from "../errors.js";
import type { Column, VariantBatch } from "../frame/column.js";
import { crossRows, projectOutRows, sumSquares, dot } from "../linalg/block.js";
import { thinQR } from "../linalg/qr.js";
import { tTwoSidedLog10FromP, tTwoSidedPValue } from "../stats/distributions.js";
import { contigGroups, doubleColumn, gatherBlock, passThroughColumns, readValuesBlock } from "./batch.js";
import { checkOptionNames, covariateQR, prepareSamples, toShared, type GwasCommonOptions } from "./prepare.js";

/** Options of `linearRegression` (Glow's `linear_regression`, camelCase). */
export interface LinearRegressionOptions extends GwasCommonOptions {
  /** Add `n`, `sum_x` and `y_transpose_x` (from the raw inputs). @defaultValue false */
  verboseOutput?: boolean;
}

/** Per-contig (or global) phenotype state: the offset-adjusted residual phenotypes. */
export interface YState {
  /** Trait-major p×n. */
  y: Float64Array;
  /** Σ y² per trait. */
  ydoty: Float64Array;
}

/**
 * Everything a worker needs to test a batch: plain data only (typed arrays, strings, numbers), so
 * it can be posted to worker threads once and reused for every partition.
 */
export interface LinearRegressionState {
  kind: "linearRegression";
  traits: string[];
  /** Analysed samples. */
  n: number;
  k: number;
  /** Orthonormal basis of the covariates, column-major n×k. */
  q: Float64Array;
  genotypeIndex: Int32Array | null;
  nValues: number;
  valuesColumn: string;
  float32: boolean;
  /** Missing samples per trait: `missingIndex[missingOffsets[j] .. missingOffsets[j+1])`. */
  missingOffsets: Int32Array;
  missingIndex: Int32Array;
  scale: Float64Array;
  dof: number;
  /** null: one state for all contigs; else the LOCO contigs, parallel to `ys`. */
  contigs: string[] | null;
  ys: YState[];
  /** Present with `verboseOutput`: raw phenotypes (missing → 0), trait-major, and present counts. */
  verbose: { yRaw: Float64Array; count: Float64Array } | null;
}

const CALLER = "linearRegression";

/**
 * Validates the inputs and computes the per-trait state (covariate basis, residualized scaled
 * phenotypes minus offsets, per contig for LOCO offsets).
 * @param frameSampleIds the genotype sample ids (the frame's), or null when unknown.
 */
export function prepareLinearRegression(
  phenotypeDf: unknown, options: LinearRegressionOptions = {}, frameSampleIds: readonly string[] | null = null,
): LinearRegressionState {
  checkOptionNames(CALLER, options as Record<string, unknown>, ["verboseOutput"]);
  const s = prepareSamples(CALLER, phenotypeDf, options, frameSampleIds);
  const n = s.sampleIds.length;
  const p = s.traits.length;
  const k = s.k;
  const qr = covariateQR(CALLER, s);
  const q = qr.q;

  // Mask, zero-filled phenotypes, missing lists.
  const y = new Float64Array(s.y);
  const offsetsArr = new Int32Array(p + 1);
  const missing: number[] = [];
  const count = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(y[j * n + i]!)) { y[j * n + i] = 0; missing.push(i); }
      else count[j]!++;
    }
    offsetsArr[j + 1] = missing.length;
  }
  const missingIndex = Int32Array.from(missing);
  const yRaw = options.verboseOutput ? new Float64Array(y) : null;

  // Mean-centre over all n (missing counted as 0), residualize, mask, scale.
  for (let j = 0; j < p; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y[j * n + i]!;
    const mean = sum / n;
    for (let i = 0; i < n; i++) y[j * n + i]! -= mean;
  }
  projectOutRows(y, p, q, k, n);
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    for (let t = offsetsArr[j]!; t < offsetsArr[j + 1]!; t++) y[j * n + missingIndex[t]!] = 0;
    scale[j] = Math.sqrt(sumSquares(y, j * n, n) / (count[j]! - k));
    const inv = scale[j]!;
    for (let i = 0; i < n; i++) y[j * n + i]! /= inv;
  }

  const makeState = (offset: Float64Array | null): YState => {
    const yc = new Float64Array(y);
    if (offset) for (let i = 0; i < yc.length; i++) yc[i]! -= offset[i]!;
    for (let j = 0; j < p; j++) for (let t = offsetsArr[j]!; t < offsetsArr[j + 1]!; t++) yc[j * n + missingIndex[t]!]! *= 0;
    const ydoty = new Float64Array(p);
    for (let j = 0; j < p; j++) ydoty[j] = sumSquares(yc, j * n, n);
    return { y: toShared(yc), ydoty };
  };
  let contigs: string[] | null = null;
  let ys: YState[];
  if (s.offsets.kind === "loco") {
    contigs = s.offsets.contigs;
    const byContig = s.offsets.byContig;
    ys = contigs.map((c) => makeState(byContig.get(c)!));
  } else {
    ys = [makeState(s.offsets.kind === "single" ? s.offsets.data : null)];
  }

  return {
    kind: "linearRegression",
    traits: s.traits,
    n, k,
    q: toShared(q),
    genotypeIndex: s.genotypeIndex,
    nValues: s.nValues,
    valuesColumn: s.valuesColumn,
    float32: s.float32,
    missingOffsets: offsetsArr,
    missingIndex,
    scale,
    dof: n - k - 1,
    contigs,
    ys,
    verbose: yRaw ? { yRaw: toShared(yRaw), count } : null,
  };
}

/** Result columns of one block of variants against all traits (phenotype-major rows). */
export interface LinearRegressionBlockResult {
  effect: Float64Array;
  stderror: Float64Array;
  tvalue: Float64Array;
  pvalue: Float64Array;
  log10pvalue: Float64Array;
  /** Verbose only. */
  n?: Float64Array;
  sumX?: Float64Array;
  yTransposeX?: Float64Array;
}

/**
 * The regression kernel: `x` is an m×n row block of variants (modified: residualized in place),
 * `yState` the phenotypes of the variants' contig. Output index `j*m + v` (phenotype-major).
 */
export function linearRegressionBlock(state: LinearRegressionState, x: Float64Array, m: number, yState: YState): LinearRegressionBlockResult {
  const { n, k, q, traits, missingOffsets, missingIndex, scale, dof } = state;
  const p = traits.length;
  const out: LinearRegressionBlockResult = {
    effect: new Float64Array(m * p), stderror: new Float64Array(m * p), tvalue: new Float64Array(m * p),
    pvalue: new Float64Array(m * p), log10pvalue: new Float64Array(m * p),
  };
  if (state.verbose) {
    const { yRaw, count } = state.verbose;
    out.n = new Float64Array(m * p);
    out.sumX = new Float64Array(m * p);
    out.yTransposeX = new Float64Array(m * p);
    const yx = crossRows(x, m, yRaw, p, n);
    for (let v = 0; v < m; v++) {
      let total = 0;
      for (let s = 0; s < n; s++) total += x[v * n + s]!;
      for (let j = 0; j < p; j++) {
        let miss = 0;
        for (let t = missingOffsets[j]!; t < missingOffsets[j + 1]!; t++) miss += x[v * n + missingIndex[t]!]!;
        out.n[j * m + v] = count[j]!;
        out.sumX[j * m + v] = total - miss;
        out.yTransposeX[j * m + v] = yx[v * p + j]!;
      }
    }
  }
  projectOutRows(x, m, q, k, n);
  const xdy = crossRows(x, m, yState.y, p, n);
  for (let v = 0; v < m; v++) {
    const xo = v * n;
    const full = sumSquares(x, xo, n);
    for (let j = 0; j < p; j++) {
      let xdx = full;
      const a = missingOffsets[j]!;
      const b = missingOffsets[j + 1]!;
      if (b > a) {
        let miss = 0;
        for (let t = a; t < b; t++) { const e = x[xo + missingIndex[t]!]!; miss += e * e; }
        xdx = full - miss;
      }
      const recip = 1 / xdx;
      const beta = xdy[v * p + j]! * recip;
      const se = Math.sqrt((yState.ydoty[j]! * recip - beta * beta) / dof);
      const t = beta / se;
      const o = j * m + v;
      out.effect[o] = beta * scale[j]!;
      out.stderror[o] = se * scale[j]!;
      out.tvalue[o] = t;
      const pv = tTwoSidedPValue(t, dof);
      out.pvalue[o] = pv;
      out.log10pvalue[o] = tTwoSidedLog10FromP(pv, t, dof);
    }
  }
  return out;
}

/**
 * Tests one partition: every variant of `batch` against every trait of `state`.
 *
 * @returns a batch with the input's columns except the values column and `genotypes`, then
 * `effect`, `stderror`, `tvalue`, `pvalue` (two-sided t-test), `phenotype`, (with verboseOutput:
 * `n`, `sum_x`, `y_transpose_x`), and `log10pvalue` (exact where `pvalue` underflows). Rows are
 * phenotype-major (all variants for the first phenotype, then the second, …), per contig group.
 * @throws GlowtsError `MISSING_CONTIG` when LOCO offsets have no entry for a variant's contig.
 */
export function linearRegressionPartition(batch: VariantBatch, state: LinearRegressionState): VariantBatch {
  const x = readValuesBlock(CALLER, batch, state.valuesColumn, state.nValues, state.genotypeIndex, state.float32);
  const groups = contigGroups(CALLER, batch, state.contigs !== null);
  const p = state.traits.length;
  const total = batch.numRows * p;
  const order = new Int32Array(total);
  const phen: string[] = new Array(total);
  const cols = {
    effect: new Float64Array(total), stderror: new Float64Array(total), tvalue: new Float64Array(total),
    pvalue: new Float64Array(total), log10pvalue: new Float64Array(total),
    n: state.verbose ? new Float64Array(total) : null, sumX: state.verbose ? new Float64Array(total) : null,
    yTransposeX: state.verbose ? new Float64Array(total) : null,
  };
  let at = 0;
  for (const g of groups) {
    let yState = state.ys[0]!;
    if (state.contigs) {
      const ci = state.contigs.indexOf(g.contig!);
      if (ci < 0) {
        throw new GlowtsError("MISSING_CONTIG", `${CALLER}: the offsets have no contig '${g.contig}' (they have ${state.contigs.join(", ")}); pass contigs or filter the variants`, { record: `contig ${g.contig}` });
      }
      yState = state.ys[ci]!;
    }
    const m = g.rows.length;
    const xg = gatherBlock(x, state.n, g.rows);
    const r = linearRegressionBlock(state, xg, m, yState);
    for (let j = 0; j < p; j++) {
      for (let v = 0; v < m; v++) {
        const o = j * m + v;
        order[at] = g.rows[v]!;
        phen[at] = state.traits[j]!;
        cols.effect[at] = r.effect[o]!;
        cols.stderror[at] = r.stderror[o]!;
        cols.tvalue[at] = r.tvalue[o]!;
        cols.pvalue[at] = r.pvalue[o]!;
        cols.log10pvalue[at] = r.log10pvalue[o]!;
        if (cols.n) { cols.n[at] = r.n![o]!; cols.sumX![at] = r.sumX![o]!; cols.yTransposeX![at] = r.yTransposeX![o]!; }
        at++;
      }
    }
  }
  const columns: Record<string, Column> = passThroughColumns(batch, state.valuesColumn, order);
  const f32 = state.float32;
  columns["effect"] = doubleColumn(cols.effect, f32, true);
  columns["stderror"] = doubleColumn(cols.stderror, f32, true);
  columns["tvalue"] = doubleColumn(cols.tvalue, f32, true);
  columns["pvalue"] = doubleColumn(cols.pvalue, f32, true);
  columns["phenotype"] = { type: "string", values: phen };
  if (cols.n) {
    columns["n"] = { type: "int", values: Int32Array.from(cols.n) };
    columns["sum_x"] = doubleColumn(cols.sumX!, f32);
    columns["y_transpose_x"] = doubleColumn(cols.yTransposeX!, f32);
  }
  columns["log10pvalue"] = doubleColumn(cols.log10pvalue, false, true);
  return { numRows: total, columns };
}

/**
 * Glow's SQL function `linear_regression_gwas(genotypes, phenotypes, covariates)` for one
 * variant: OLS t-test of y on [covariates | x], where `covariates` (n×k column-major, or rows)
 * must contain the intercept if wanted. dof = n − k − 1.
 * @returns `{beta, standardError, pValue}`.
 */
export function linearRegressionGwas(
  genotypes: ArrayLike<number>, phenotypes: ArrayLike<number>, covariates: CovariateMatrixLike,
): { beta: number; standardError: number; pValue: number } {
  return makeLinearRegressionGwas(phenotypes, covariates)(genotypes);
}

/** A covariate matrix: rows (`number[][]`, one per sample) or `{data (column-major), nRows, nCols}`. */
export type CovariateMatrixLike = ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; nRows: number; nCols: number };

/** Column-major copy of a covariate matrix. */
export function covariateMatrix(c: CovariateMatrixLike, n: number, caller: string): { data: Float64Array; k: number } {
  if ("data" in c && "nRows" in c) {
    if (c.nRows !== n) throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: number of samples do not match between phenotype vector and covariate matrix (${n} != ${c.nRows})`);
    return { data: Float64Array.from(c.data), k: c.nCols };
  }
  const rows = c as ArrayLike<ArrayLike<number>>;
  if (rows.length !== n) throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: number of samples do not match between phenotype vector and covariate matrix (${n} != ${rows.length})`);
  const k = n > 0 ? rows[0]!.length : 0;
  const data = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.length !== k) throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: covariate row ${i} has ${r.length} values, expected ${k}`);
    for (let j = 0; j < k; j++) data[j * n + i] = r[j]!;
  }
  return { data, k };
}

/**
 * Prepared form of {@link linearRegressionGwas}: the QR of the covariates is computed once and
 * the returned function tests one genotype vector at a time.
 */
export function makeLinearRegressionGwas(
  phenotypes: ArrayLike<number>, covariates: CovariateMatrixLike,
): (genotypes: ArrayLike<number>) => { beta: number; standardError: number; pValue: number } {
  const caller = "linearRegressionGwas";
  const n = phenotypes.length;
  const { data, k } = covariateMatrix(covariates, n, caller);
  if (!(n > k)) throw new GlowtsError("TOO_FEW_SAMPLES", `${caller}: number of covariates must be less than number of samples`);
  const { q } = thinQR(data, n, k);
  const y = Float64Array.from(phenotypes);
  const qty = new Float64Array(k);
  for (let j = 0; j < k; j++) qty[j] = dot(q, j * n, y, 0, n);
  const ydoty = dot(y, 0, y, 0, n) - dot(qty, 0, qty, 0, k);
  const dof = n - k - 1;
  const qtx = new Float64Array(k);
  return (genotypes) => {
    if (genotypes.length !== n) throw new GlowtsError("SAMPLE_MISMATCH", `${caller}: number of samples differs between genotype and phenotype arrays (${genotypes.length} != ${n})`);
    const x = genotypes instanceof Float64Array ? genotypes : Float64Array.from(genotypes);
    for (let j = 0; j < k; j++) qtx[j] = dot(q, j * n, x, 0, n);
    const xdoty = dot(y, 0, x, 0, n) - dot(qty, 0, qtx, 0, k);
    const xdotx = dot(x, 0, x, 0, n) - dot(qtx, 0, qtx, 0, k);
    const beta = xdoty / xdotx;
    const standardError = Math.sqrt((ydoty / xdotx - beta * beta) / dof);
    return { beta, standardError, pValue: tTwoSidedPValue(beta / standardError, dof) };
  };
}
