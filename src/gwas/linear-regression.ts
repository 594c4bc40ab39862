/**
 * Linear regression GWAS: Glow's `glow.gwas.linear_regression` (`python/glow/gwas/lin_reg.py`),
 * the REGENIE step-2 test for quantitative traits, batched over a block of variants × all traits.
 *
 * Missing phenotypes: with `missingPhenotypes: 'exact'` (the default) the traits are split by
 * missingness pattern and each pattern is analysed on its observed samples only (its own C, Q,
 * centring and dof = n_pattern − k − 1), as plink2 --glm and REGENIE; the math below then has no
 * missing values. With 'glow', Glow's shortcut below applies to all samples.
 *
 * Math (reference §2.8): C = [1 | covariates], Q = thin QR basis of C. Phenotypes: missing → 0
 * with a mask; mean-centred over all N (missing counted as 0); residualized (Y − QQᵀY)·mask;
 * scaled by sqrt(ΣY²/(n_present − k)); the offset is subtracted after scaling (not residualized)
 * and masked again. Per variant: x ← x − QQᵀx, β = Yᵀx / Σ mask·x², se = sqrt((YᵀY/Σmask·x² − β²)/dof)
 * with dof = N − k − 1 (N = all samples), t = β/se, p = 2·t_sf(|t|, dof); effect = β·scale,
 * stderror = se·scale.
 *
 * Computation: the O(variants × samples) work runs in the kernels of `linalg/kernels.ts`
 * (WebAssembly SIMD), a group of variants at a time. With an intercept among the covariates each
 * variant is centred (x̃ = x − mean, so x_res = x̃ − Q(Qᵀx̃)) and one product pass X·[1 | Q | Y]ᵀ
 * plus Σx̃² gives everything: x_resᵀy = x̃ᵀy − (Qᵀx̃)ᵀ(Qᵀy), Σx_res² = Σx̃² − ‖Qᵀx̃‖², less the
 * residuals of the samples whose phenotype is missing. With 8 or more covariate and trait columns
 * (e.g. 10 traits) and no missing phenotype inside the state, that pass is the kernels' modal
 * products instead (`Kernels.modalCross`, `bedModalCross`): each genotype row is written as its
 * modal value c ∈ {0, 1, 2} plus the deviations of the other samples (about 40 % of them), so
 * xᵀ[Q | Y] = c·1ᵀ[Q | Y] + Σ_{x_s ≠ c} (x_s − c)·[Q | Y]_s, with Σx and Σ(x − mean)² from the
 * same list. Without an intercept, the block is residualized first, as Glow does. When the plan's values column is `meanSubstitute(genotypeStates(genotypes))` of
 * packed PLINK genotypes, the frame's fused-projection rule (`frame/optimize.ts`, taken over by
 * `takeFusedValues` in ./batch.ts) lets the kernel decode them group by
 * group instead (same values, bit for bit).
 *
 * Layers: {@link prepareLinearRegression} (tables → plain state, once), {@link linearRegressionPartition}
 * (one batch → result batch, pure, worker-safe), and the frame-level `linearRegression` in `./api.ts`.
 *
 * @see https://github.com/projectglow/glow/blob/main/python/glow/gwas/lin_reg.py
 * @see Mbatchou et al. (2021), Computationally efficient whole-genome regression for quantitative
 *      and binary traits, Nat Genet 53:1097–1103 (REGENIE).
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, VariantBatch } from "../core/column.js";
import type { Col } from "../core/expr.js";
import { projectOutRows, sumSquares, dot } from "../linalg/block.js";
import { kernels, modalListLength, modalPanelLength, modalPanels, rowsPerGroup, workspaceOrFallback, type Kernels } from "../linalg/kernels.js";
import { thinQR } from "../linalg/qr.js";
import { tTwoSidedLog10FromP, tTwoSidedPValue } from "../stats/t-distribution.js";
import { consecutiveStart, contigGroups, doubleColumn, gatherBlock, passThroughColumns, fusedBytesLength, packedGenotypes, readFusedValuesBlock, readValuesBlock, takeFusedValues, type FusedContext, type FusedValues } from "./batch.js";
import { checkNoConstantTrait, checkOptionNames, covariateQR, prepareSamples, splitByMissingness, toShared, type GwasCommonOptions, type PreparedSamples } from "./prepare.js";
import { mapStates, patternsPartition, planStates, type PatternStates } from "./patterns.js";
import { observedSamples } from "./observed.js";

/** Options of `linearRegression` (Glow's `linear_regression`, camelCase). */
export interface LinearRegressionOptions extends Omit<GwasCommonOptions, "valuesColumn"> {
  /**
   * The list<double> column of per-sample values to test, or a column expression computing it
   * (e.g. `meanSubstitute(expectedDosage("genotypes"))`). @defaultValue 'values'
   */
  valuesColumn?: string | Col;
  /** Add `n`, `sum_x` and `y_transpose_x` (from the raw inputs). @defaultValue false */
  verboseOutput?: boolean;
}

/** Per-contig (or global) phenotype state: the offset-adjusted residual phenotypes. */
export interface YState {
  /** Trait-major p×n. */
  y: Float64Array;
  /** Σ y² per trait. */
  ydoty: Float64Array;
  /** Qᵀy per trait, p×k (`qty[j*k + t]`). */
  qty: Float64Array;
  /**
   * Identifies this state across the copies the workers receive (one per task), for the
   * per-thread cache of its modal panels (see {@link modalPanelsOf}).
   */
  id: string;
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
  /**
   * True when the constant vector lies in the span of the covariates (an intercept): the kernels
   * then centre each variant and use x_resᵀy = x̃ᵀy − (Qᵀx̃)ᵀQᵀy, ‖x_res‖² = ‖x̃‖² − ‖Qᵀx̃‖² (one
   * product pass over the block); otherwise they residualize the block first.
   */
  centred: boolean;
  genotypeIndex: Int32Array | null;
  nValues: number;
  valuesColumn: string;
  /**
   * Set (by `takeFusedValues`, from the frame's fused-projection rule) when the plan's `meanSubstitute(genotypeStates(genotypes))` values
   * column was dropped and the kernel computes it from the genotypes instead.
   */
  fusedValues?: FusedValues | null;
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

let stateCounter = 0;

/** Per thread: the modal panels of [Q | Y] and the row sums of [1 | Q | Y] of recent states, by `YState.id`. */
const panelCache = new Map<string, { panels: Float64Array; rowSums: Float64Array }>();

/**
 * The panels of [Q | Y] (`modalPanels` layout) and the row sums of b = [1 | Q | Y] for a state,
 * computed once per thread and state (they are the same for every partition).
 */
function modalPanelsOf(yState: YState, K: Kernels, b: Float64Array, r: number, n: number, rowSums: Float64Array, len: number): { panels: Float64Array; rowSums: Float64Array } {
  let e = panelCache.get(yState.id);
  if (!e) {
    K.crossRows(b, r, b.subarray(0, n), 1, n, rowSums);
    e = { panels: modalPanels(b.subarray(n, r * n), r - 1, n, new Float64Array(len)), rowSums: Float64Array.from(rowSums) };
    if (panelCache.size >= 4) panelCache.delete(panelCache.keys().next().value!);
    panelCache.set(yState.id, e);
  }
  return e;
}

/**
 * What {@link prepareLinearRegression} returns: one state when every trait has the same observed
 * samples (or with `missingPhenotypes: 'glow'`), else one state per missingness pattern.
 */
export type LinearRegressionPlan = LinearRegressionState | PatternStates<LinearRegressionState>;

/**
 * Validates the inputs and computes the per-trait state (covariate basis, residualized scaled
 * phenotypes minus offsets, per contig for LOCO offsets).
 * @param frameSampleIds the genotype sample ids (the frame's), or null when unknown.
 */
export function prepareLinearRegression(
  phenotypeDf: unknown, options: LinearRegressionOptions = {}, frameSampleIds: readonly string[] | null = null,
): LinearRegressionPlan {
  checkOptionNames(CALLER, options as Record<string, unknown>, ["verboseOutput"]);
  const all = prepareSamples(CALLER, phenotypeDf, options as GwasCommonOptions, frameSampleIds);
  checkNoConstantTrait(CALLER, all);
  const parts = splitByMissingness(all);
  if (parts.length === 1) return linearPatternState(parts[0]!, options);
  return { kind: "patterns", traits: all.traits, parts: parts.map((s) => ({ traitIndex: s.traitIndex, state: linearPatternState(s, options) })) };
}

/** The state of one missingness pattern (or of all traits with `missingPhenotypes: 'glow'`). */
function linearPatternState(s: PreparedSamples, options: LinearRegressionOptions): LinearRegressionState {
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
    const qty = new Float64Array(p * k);
    kernels().crossRows(yc, p, q, k, n, qty);
    return { y: toShared(yc), ydoty, qty, id: `${process.pid}-${Date.now()}-${++stateCounter}-${Math.random().toString(36).slice(2)}` };
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
    centred: spansConstant(q, n, k),
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

/** True when the constant vector is in the span of the orthonormal columns of `q` (n×k). */
function spansConstant(q: Float64Array, n: number, k: number): boolean {
  if (k === 0 || n === 0) return false;
  const c = new Float64Array(k);
  for (let t = 0; t < k; t++) { let s = 0; for (let i = 0; i < n; i++) s += q[t * n + i]!; c[t] = s; }
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    let r = 1;
    for (let t = 0; t < k; t++) r -= q[t * n + i]! * c[t]!;
    r2 += r * r;
  }
  return r2 <= 1e-18 * n;
}

/** Rows `r0 .. r0+g` of a values block (a view, valid until the next call). */
type RowSource = (r0: number, g: number) => Float64Array;

/** The packed PLINK bytes of rows `r0 .. r0+g` (in the kernels' memory), when the values are decoded from them. */
type PackedRows = { bytes: (r0: number, g: number) => Uint8Array; bytesPerVariant: number; f32: boolean };

/** Kernel buffers of one block of ≤ m variants (see {@link regressBlock}). */
interface LinearBuffers {
  /** [1 (a row of ones) | Q (k×n) | Y (p×n)], then (verbose) [Y_raw (p×n) | a row of ones]. */
  b: Float64Array;
  /** m×(1+k+p): Σx, Qᵀx, xᵀy (centred), or Qᵀx in the first m×k (residualizing). */
  c: Float64Array;
  /** m×p: x_resᵀy (residualizing). */
  xy: Float64Array;
  /** m: Σ(x − mean)² (centred) or Σ x_res². */
  norms: Float64Array;
  /** m: row means (centred). */
  means: Float64Array;
  /** m×(p+1), verbose only: raw xᵀy_raw and Σx. */
  raw: Float64Array;
  /** 1+k+p: Σ of each row of b's first part (centred). */
  rowSums: Float64Array;
  /** Modal products only: [Q | Y] as the kernels' panels of 8 columns (`modalPanels`), 64-byte aligned inside. */
  bt: Float64Array;
  /** Modal products only: Σ of each column of bt (k+p). */
  colSums: Float64Array;
  /** Modal products only: Σx of each row (m). */
  sums: Float64Array;
  /** Modal products only: the kernels' list scratch. */
  list: Float64Array;
}

/** Columns of [Q | Y] from which the modal products beat the dense ones (their list costs about 8 dense rows). */
const MODAL_MIN_COLUMNS = 8;

/**
 * True when the block takes the modal products (`Kernels.modalCross` / `bedModalCross`: genotype
 * rows skip the samples at their most common value, ~60 % of them): centred, without missing
 * phenotypes inside the state, not verbose, and with at least {@link MODAL_MIN_COLUMNS} covariate
 * and trait columns (e.g. 10 traits; 1 trait keeps the dense products).
 */
function usesModal(state: LinearRegressionState): boolean {
  return state.centred && !state.verbose && state.missingIndex.length === 0 && state.k + state.traits.length >= MODAL_MIN_COLUMNS;
}

function bufferLengths(state: LinearRegressionState, m: number): number[] {
  const { n, k } = state;
  const p = state.traits.length;
  const vb = state.verbose ? p + 1 : 0;
  const modal = usesModal(state);
  return [(1 + k + p + vb) * n, m * (1 + k + p), m * p, m, m, m * vb, 1 + k + p,
    modal ? modalPanelLength(n, k + p) + 8 : 0, modal ? k + p : 0, modal ? m : 0, modal ? modalListLength(n) : 0];
}

function asBuffers(views: Float64Array[]): LinearBuffers {
  return {
    b: views[0]!, c: views[1]!, xy: views[2]!, norms: views[3]!, means: views[4]!, raw: views[5]!, rowSums: views[6]!,
    bt: views[7]!, colSums: views[8]!, sums: views[9]!, list: views[10]!,
  };
}

/**
 * The regression kernel: `x` is an m×n row block of variants (residualized in place when the
 * covariates do not span the constant), `yState` the phenotypes of the variants' contig. Output
 * index `j*m + v` (phenotype-major).
 */
export function linearRegressionBlock(state: LinearRegressionState, x: Float64Array, m: number, yState: YState): LinearRegressionBlockResult {
  const K = kernels();
  const n = state.n;
  const views = K.workspace([m * n, ...bufferLengths(state, m)]);
  const xw = views[0]!;
  xw.set(x.subarray(0, m * n));
  const r = regressBlock(state, K, (r0, g) => xw.subarray(r0 * n, (r0 + g) * n), null, m, yState, asBuffers(views.slice(1)));
  x.set(xw);
  return r;
}

/**
 * {@link linearRegressionBlock} over a row source, a few rows at a time (so that a group of rows
 * stays in cache, and packed genotypes are decoded group by group). Per variant, with c = Qᵀx̃ of
 * the centred row x̃ = x − mean (when the covariates span the constant, so x_res = x̃ − Qc):
 * x_resᵀy = x̃ᵀy − cᵀ(Qᵀy) and Σx_res² = Σx̃² − ‖c‖², all from one kernel pass; the samples whose
 * phenotype is missing are taken out with their residuals x̃_i − Σ_t Q_it c_t. Otherwise, as Glow:
 * X ← X − (X·Qᵀ)·Q, then X·Yᵀ and Σx_res². Every entry is the same whatever the grouping.
 */
function regressBlock(
  state: LinearRegressionState, K: Kernels, rows: RowSource, packed: PackedRows | null, m: number, yState: YState, buf: LinearBuffers,
): LinearRegressionBlockResult {
  const { n, k, q, traits, missingOffsets, missingIndex, scale, dof, centred } = state;
  const p = traits.length;
  const out: LinearRegressionBlockResult = {
    effect: new Float64Array(m * p), stderror: new Float64Array(m * p), tvalue: new Float64Array(m * p),
    pvalue: new Float64Array(m * p), log10pvalue: new Float64Array(m * p),
  };
  const { b, c, xy, norms, means, raw, rowSums } = buf;
  const r = 1 + k + p;
  const ones = b.subarray(0, n);
  const qb = b.subarray(n, (1 + k) * n);
  const yb = b.subarray((1 + k) * n, r * n);
  const modal = usesModal(state);
  const cached = modal ? panelCache.get(yState.id) : undefined;
  if (!cached) {
    ones.fill(1);
    qb.set(q.subarray(0, k * n));
    yb.set(yState.y.subarray(0, p * n));
    if (centred && !modal) K.crossRows(b, r, ones, 1, n, rowSums);
  }
  let bt = buf.bt;
  if (modal) {
    // [Q | Y] in the kernels' panels (each sample's 128-byte panel row in two cache lines), and its
    // column sums (the Σ of rows 1.. of b): built once per thread and state, copied in per block
    const skip = ((64 - (bt.byteOffset & 63)) & 63) >> 3;
    const len = modalPanelLength(n, r - 1);
    const e = cached ?? modalPanelsOf(yState, K, b, r, n, rowSums, len);
    bt = bt.subarray(skip, skip + len);
    bt.set(e.panels);
    rowSums.set(e.rowSums);
    buf.colSums.set(rowSums.subarray(1, r));
  }
  let vb: Float64Array | null = null;
  if (state.verbose) {
    vb = b.subarray(r * n, (r + p + 1) * n);
    vb.set(state.verbose.yRaw.subarray(0, p * n));
    vb.fill(1, p * n, (p + 1) * n);
    out.n = new Float64Array(m * p);
    out.sumX = new Float64Array(m * p);
    out.yTransposeX = new Float64Array(m * p);
  }
  const qty = yState.qty;
  // packed modal rows in one call: the kernel blocks over samples itself (its panel chunks stay in
  // the L2 cache while every row passes over them); dense rows in groups that stay in the caches
  const step = modal && packed ? Math.max(1, m) : rowsPerGroup(n);
  const none = new Float64Array(0);
  for (let g0 = 0; g0 < m; g0 += step) {
    const g = Math.min(step, m - g0);
    if (modal) {
      // one kernel call: Σx, Qᵀx, xᵀy and Σ(x − mean)², the genotype rows skipping their modal samples
      const cs = c.subarray(g0 * r, (g0 + g) * r);
      const sums = buf.sums.subarray(g0, g0 + g);
      const nm = norms.subarray(g0, g0 + g);
      if (packed) K.bedModalCross(packed.bytes(g0, g), n, g, packed.bytesPerVariant, packed.f32, bt, r - 1, buf.colSums, cs.subarray(1), r, sums, nm, buf.list);
      else K.modalCross(rows(g0, g), g, n, bt, r - 1, buf.colSums, cs.subarray(1), r, sums, nm, buf.list);
      const mu = means.subarray(g0, g0 + g);
      for (let v = 0; v < g; v++) { cs[v * r] = sums[v]!; mu[v] = sums[v]! / n; }
      for (let v = 0; v < g; v++) for (let t = 1; t < r; t++) cs[v * r + t]! -= mu[v]! * rowSums[t]!;
    }
    const xs = modal ? none : rows(g0, g);
    if (vb) verboseColumns(state, K, xs, g, g0, m, vb, raw, out);
    if (modal) { /* done above */ } else if (centred) {
      // one pass: Σx, Qᵀx, xᵀy; then Σ(x − mean)² (centred, so that it does not cancel)
      const cs = c.subarray(g0 * r, (g0 + g) * r);
      K.crossRows(xs, g, b, r, n, cs);
      const mu = means.subarray(g0, g0 + g);
      for (let v = 0; v < g; v++) mu[v] = cs[v * r]! / n;
      K.crossRowsShifted(xs, g, mu, none, 0, n, none, norms.subarray(g0, g0 + g));
      // c ← Qᵀx̃ = Qᵀx − mean·Σq and x̃ᵀy = xᵀy − mean·Σy (x̃ = x − mean)
      for (let v = 0; v < g; v++) for (let t = 1; t < r; t++) cs[v * r + t]! -= mu[v]! * rowSums[t]!;
    } else {
      const cs = c.subarray(g0 * k, (g0 + g) * k);
      K.crossRows(xs, g, qb, k, n, cs);
      K.subtractCombination(xs, g, cs, qb, k, n);
      K.crossRows(xs, g, yb, p, n, xy.subarray(g0 * p, (g0 + g) * p), norms.subarray(g0, g0 + g));
    }
    for (let gv = 0; gv < g; gv++) {
      const v = g0 + gv;
      const xo = gv * n;
      let full = norms[v]!;
      const co = centred ? v * r + 1 : v * k;
      const mu = centred ? means[v]! : 0;
      if (centred) {
        let cc = 0;
        for (let t = 0; t < k; t++) cc += c[co + t]! * c[co + t]!;
        full -= cc;
      }
      for (let j = 0; j < p; j++) {
        let xdx = full;
        const a = missingOffsets[j]!;
        const e = missingOffsets[j + 1]!;
        if (e > a) {
          let miss = 0;
          for (let t = a; t < e; t++) {
            const i = missingIndex[t]!;
            let res = xs[xo + i]!;
            if (centred) {
              res -= mu;
              for (let u = 0; u < k; u++) res -= q[u * n + i]! * c[co + u]!;
            }
            miss += res * res;
          }
          xdx = full - miss;
        }
        let xdy: number;
        if (centred) {
          xdy = c[co + k + j]!;
          for (let u = 0; u < k; u++) xdy -= c[co + u]! * qty[j * k + u]!;
        } else {
          xdy = xy[v * p + j]!;
        }
        const recip = 1 / xdx;
        const beta = xdy * recip;
        const se = Math.sqrt((yState.ydoty[j]! * recip - beta * beta) / dof);
        const tv = beta / se;
        const o = j * m + v;
        out.effect[o] = beta * scale[j]!;
        out.stderror[o] = se * scale[j]!;
        out.tvalue[o] = tv;
        const pv = tTwoSidedPValue(tv, dof);
        out.pvalue[o] = pv;
        out.log10pvalue[o] = tTwoSidedLog10FromP(pv, tv, dof);
      }
    }
  }
  return out;
}

/** The verbose columns (n, Σx, xᵀy over the present samples, from the raw values) of a row group. */
function verboseColumns(
  state: LinearRegressionState, K: Kernels, xs: Float64Array, g: number, g0: number, m: number, vb: Float64Array, raw: Float64Array,
  out: LinearRegressionBlockResult,
): void {
  const { n, missingOffsets, missingIndex } = state;
  const p = state.traits.length;
  const count = state.verbose!.count;
  const rg = raw.subarray(g0 * (p + 1), (g0 + g) * (p + 1));
  K.crossRows(xs, g, vb, p + 1, n, rg);
  for (let gv = 0; gv < g; gv++) {
    const v = g0 + gv;
    const total = rg[gv * (p + 1) + p]!;
    for (let j = 0; j < p; j++) {
      let miss = 0;
      for (let t = missingOffsets[j]!; t < missingOffsets[j + 1]!; t++) miss += xs[gv * n + missingIndex[t]!]!;
      out.n![j * m + v] = count[j]!;
      out.sumX![j * m + v] = total - miss;
      out.yTransposeX![j * m + v] = rg[gv * (p + 1) + j]!;
    }
  }
}

/**
 * The values of a partition as row sources per contig group, and the kernel buffers (one
 * workspace). Packed PLINK genotypes of a fused plan are decoded a row group at a time (the block
 * is never materialized); otherwise the block is read (or computed) once into the workspace.
 */
function valuesRows(
  batch: VariantBatch, state: LinearRegressionState, groups: { rows: Int32Array }[], bufferLens: number[],
): { K: Kernels; group: (rows: Int32Array) => RowSource; packed: ((rows: Int32Array) => PackedRows) | null; buffers: Float64Array[] } {
  const n = state.n;
  const m = batch.numRows;
  const consecutive = groups.every((g) => consecutiveStart(g.rows) >= 0);
  const packed = state.fusedValues && consecutive ? packedGenotypes(batch, state.fusedValues, state.nValues, state.genotypeIndex) : null;
  if (packed) {
    const step = rowsPerGroup(n);
    const bpv = packed.bytesPerVariant;
    const { K, views } = workspaceOrFallback([step * n, Math.ceil((m * bpv) / 8), ...bufferLens]);
    const xbuf = views[0]!;
    const bytes = K.bytesView(views[1]!, m * bpv);
    bytes.set(packed.bytes.subarray(0, m * bpv));
    const f32 = state.float32;
    return {
      K,
      buffers: views.slice(2),
      packed: (rows) => {
        const first = consecutiveStart(rows);
        return { bytesPerVariant: bpv, f32, bytes: (r0, g) => bytes.subarray((first + r0) * bpv, (first + r0 + g) * bpv) };
      },
      group: (rows) => {
        const first = consecutiveStart(rows);
        return (r0, g) => {
          const xs = xbuf.subarray(0, g * n);
          K.bedMeanSubstituted(bytes.subarray((first + r0) * bpv, (first + r0 + g) * bpv), n, g, bpv, xs);
          if (f32) for (let i = 0; i < xs.length; i++) xs[i] = Math.fround(xs[i]!);
          return xs;
        };
      },
    };
  }
  const fusedBytes = state.fusedValues ? fusedBytesLength(batch, state.fusedValues) : 0;
  const { K, views } = workspaceOrFallback([m * n, consecutive ? 0 : m * n, fusedBytes, ...bufferLens]);
  const x = views[0]!;
  if (state.fusedValues) readFusedValuesBlock(CALLER, batch, state.fusedValues, state.nValues, state.genotypeIndex, state.float32, x, views[2], K);
  else readValuesBlock(CALLER, batch, state.valuesColumn, state.nValues, state.genotypeIndex, state.float32, x);
  return {
    K,
    buffers: views.slice(3),
    packed: null,
    group: (rows) => {
      const first = consecutiveStart(rows);
      const block = first >= 0 ? x.subarray(first * n, (first + rows.length) * n) : gatherBlock(x, n, rows, views[1]);
      return (r0, g) => block.subarray(r0 * n, (r0 + g) * n);
    },
  };
}

/**
 * Tests one partition: every variant of `batch` against every trait of `state`.
 *
 * @returns a batch with the input's columns except the values column and `genotypes`, then
 * `effect`, `stderror`, `tvalue`, `pvalue` (two-sided t-test), `phenotype`, (with verboseOutput:
 * `n`, `sum_x`, `y_transpose_x`), and `negLog10pValue` (−log10 p, exact where `pvalue` underflows). Rows are
 * phenotype-major (all variants for the first phenotype, then the second, …), per contig group.
 * @throws GlowtsError `MISSING_CONTIG` when LOCO offsets have no entry for a variant's contig.
 */
export function linearRegressionPartition(batch: VariantBatch, plan: LinearRegressionPlan, ctx?: FusedContext): VariantBatch {
  const t = takeFusedValues(batch, plan, planStates, mapStates, ctx);
  return patternsPartition(CALLER, t.batch, t.plan, linearPatternPartition);
}

function linearPatternPartition(batch: VariantBatch, state: LinearRegressionState): VariantBatch {
  const groups = contigGroups(CALLER, batch, state.contigs !== null);
  const m = batch.numRows;
  const source = valuesRows(batch, state, groups, bufferLengths(state, m));
  const K = source.K;
  const p = state.traits.length;
  const total = batch.numRows * p;
  const order = new Int32Array(total);
  const phen: string[] = new Array(total);
  // one contig group (no LOCO, or one contig): the block's phenotype-major columns are the output's
  const single = groups.length === 1;
  const alloc = (on: boolean): Float64Array | null => (on && !single ? new Float64Array(total) : null);
  let cols = {
    effect: alloc(true)!, stderror: alloc(true)!, tvalue: alloc(true)!, pvalue: alloc(true)!, log10pvalue: alloc(true)!,
    n: alloc(!!state.verbose), sumX: alloc(!!state.verbose), yTransposeX: alloc(!!state.verbose),
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
    const mg = g.rows.length;
    const res = regressBlock(state, K, source.group(g.rows), source.packed ? source.packed(g.rows) : null, mg, yState, asBuffers(source.buffers));
    if (single) {
      cols = {
        effect: res.effect, stderror: res.stderror, tvalue: res.tvalue, pvalue: res.pvalue, log10pvalue: res.log10pvalue,
        n: res.n ?? null, sumX: res.sumX ?? null, yTransposeX: res.yTransposeX ?? null,
      };
      for (let j = 0; j < p; j++) {
        const trait = state.traits[j]!;
        for (let v = 0; v < mg; v++) { order[at] = g.rows[v]!; phen[at] = trait; at++; }
      }
      continue;
    }
    for (let j = 0; j < p; j++) {
      for (let v = 0; v < mg; v++) {
        const o = j * mg + v;
        order[at] = g.rows[v]!;
        phen[at] = state.traits[j]!;
        cols.effect[at] = res.effect[o]!;
        cols.stderror[at] = res.stderror[o]!;
        cols.tvalue[at] = res.tvalue[o]!;
        cols.pvalue[at] = res.pvalue[o]!;
        cols.log10pvalue[at] = res.log10pvalue[o]!;
        if (cols.n) { cols.n[at] = res.n![o]!; cols.sumX![at] = res.sumX![o]!; cols.yTransposeX![at] = res.yTransposeX![o]!; }
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
  const lp = cols.log10pvalue;
  for (let i = 0; i < total; i++) lp[i] = -lp[i]!;
  columns["negLog10pValue"] = doubleColumn(lp, false, true);
  return { numRows: total, columns };
}

/**
 * Glow's SQL function `linear_regression_gwas(genotypes, phenotypes, covariates)` for one
 * variant: OLS t-test of y on [covariates | x], where `covariates` (n×k column-major, or rows)
 * must contain the intercept if wanted. dof = n − k − 1. Samples with a NaN phenotype are left
 * out (as plink2 and REGENIE do).
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
  const obs = observedSamples(phenotypes, covariates, null, caller);
  if (obs) {
    const inner = makeLinearRegressionGwas(obs.phenotypes, obs.covariates);
    return (g) => inner(obs.pick(g));
  }
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
