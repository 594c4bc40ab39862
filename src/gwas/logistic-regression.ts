/**
 * Logistic regression GWAS: Glow's `glow.gwas.logistic_regression` (`python/glow/gwas/log_reg.py`),
 * REGENIE step 2 for binary traits, batched over a block of variants × all traits.
 *
 * Missing phenotypes: with `missingPhenotypes: 'exact'` (the default) each missingness pattern is
 * analysed on its observed samples (null model, Q, and tests); with 'glow' the null model is fitted
 * on the observed samples but approx-Firth projects x with all samples, as Glow does.
 *
 * Math (reference §2.9): per phenotype (and per contig with LOCO offsets) a covariate-only logistic
 * model μ (statsmodels IRLS, see `logistic-null.ts`; μ = 0 where the phenotype is missing),
 * y_res = y − μ, γ = μ(1 − μ), (CᵀγC)⁻¹. Per variant: with approx-Firth x ← x − QQᵀx first; then
 * x_res = x − C(CᵀγC)⁻¹Cᵀ(γx), χ² = (x_resᵀy_res)² / Σγx_res², p = χ²₁ upper tail (score test).
 * Where p < pvalueThreshold and correction = 'approx-firth', the row is replaced by the approximate
 * Firth penalized LRT (`approx-firth.ts`), which also gives effect and stderror.
 *
 * @see https://github.com/projectglow/glow/blob/main/python/glow/gwas/log_reg.py
 */
import { GlowtsError, keyword } from "../core/errors.js";
import type { Column, VariantBatch } from "../core/column.js";
import { dot, weightedGram } from "../linalg/block.js";
import { kernels, rowsPerGroup, workspaceOrFallback, type Kernels } from "../linalg/kernels.js";
import { inverse } from "../linalg/small.js";
import { chiSquaredLog10FromP, chiSquared1PValue } from "../stats/distributions.js";
import { correctApproxFirth, nullFirthOffset } from "./approx-firth.js";
import { consecutiveStart, contigGroups, doubleColumn, gatherBlock, passThroughColumns, fusedBytesLength, readFusedValuesBlock, readValuesBlock, takeFusedValues, type FusedContext, type FusedValues } from "./batch.js";
import { fitLogisticNull } from "./logistic-null.js";
import { checkOptionNames, covariateQR, prepareSamples, splitByMissingness, toShared, type GwasCommonOptions, type PreparedSamples } from "./prepare.js";
import { mapStates, patternsPartition, planStates, type PatternStates } from "./patterns.js";

/** Options of `logisticRegression` (Glow's `logistic_regression`, camelCase). */
export interface LogisticRegressionOptions extends GwasCommonOptions {
  /** 'approx-firth' or 'none'. @defaultValue 'approx-firth' */
  correction?: "approx-firth" | "none";
  /** Rows whose score-test p-value is below this are corrected. @defaultValue 0.05 */
  pvalueThreshold?: number;
  /**
   * Report `effect` and `stderror` on every row, as REGENIE does: where the Firth correction was
   * not applied (or with `correction: 'none'`), the score test's one-step estimate
   * effect = U/V and stderror = 1/√V (U = x_resᵀ(y − μ), V = Σγ x_res², REGENIE's `get_sumstats`).
   * `false` gives Glow's output: `effect` and `stderror` null where not corrected, and no such
   * columns with `correction: 'none'`.
   * @defaultValue true
   */
  scoreEffects?: boolean;
}

/** The null model of every trait for one contig (or for all contigs). */
export interface LogisticNullState {
  /** γ = μ(1−μ), trait-major p×n (0 where missing). */
  gamma: Float64Array;
  /** y − μ, trait-major p×n (0 where missing). */
  yRes: Float64Array;
  /** (CᵀγC)⁻¹ per trait, p blocks of k×k. */
  invCtGammaC: Float64Array;
  /** Cᵀ y_res per trait, p×k. */
  ctYRes: Float64Array;
  /** offset + Cβ_null(Firth) per trait, p×n; null without approx-Firth. */
  firthOffset: Float64Array | null;
}

/** Plain-data state shared by all partitions (see {@link prepareLogisticRegression}). */
export interface LogisticRegressionState {
  kind: "logisticRegression";
  traits: string[];
  n: number;
  k: number;
  /** Covariates with intercept, column-major n×k. */
  c: Float64Array;
  /** Orthonormal basis of C (approx-firth only). */
  q: Float64Array | null;
  genotypeIndex: Int32Array | null;
  nValues: number;
  valuesColumn: string;
  /**
   * Set (by `takeFusedValues`, from the frame's fused-projection rule) when the plan's `meanSubstitute(genotypeStates(genotypes))` values
   * column was dropped and the kernel computes it from the genotypes instead.
   */
  fusedValues?: FusedValues | null;
  float32: boolean;
  /** Phenotypes (missing → 0), trait-major p×n. */
  y: Float64Array;
  /** 1 where the phenotype is present, trait-major p×n. */
  mask: Uint8Array;
  correction: "approx-firth" | "none";
  pvalueThreshold: number;
  /** effect = U/V, stderror = 1/√V on the rows the Firth correction did not replace. */
  scoreEffects: boolean;
  contigs: string[] | null;
  nulls: LogisticNullState[];
}

const CALLER = "logisticRegression";

/** One state, or one per missingness pattern (see `LinearRegressionPlan`). */
export type LogisticRegressionPlan = LogisticRegressionState | PatternStates<LogisticRegressionState>;

/**
 * Validates the inputs and fits the null models (per trait, per contig with LOCO offsets).
 * @throws GlowtsError `ONE_CLASS` for a phenotype with a single class, `SEPARATION`, `NULL_FIT`,
 * `SINGULAR`, and the validation errors of `prepareSamples`.
 */
export function prepareLogisticRegression(
  phenotypeDf: unknown, options: LogisticRegressionOptions = {}, frameSampleIds: readonly string[] | null = null,
): LogisticRegressionPlan {
  checkOptionNames(CALLER, options as Record<string, unknown>, ["correction", "pvalueThreshold", "scoreEffects"]);
  const scoreEffects = options.scoreEffects ?? true;
  if (typeof scoreEffects !== "boolean") throw new GlowtsError("OPTION", `${CALLER}: option 'scoreEffects' must be a boolean`, { option: "scoreEffects" });
  if (typeof options.valuesColumn !== "undefined" && typeof options.valuesColumn !== "string") {
    throw new GlowtsError("OPTION", `${CALLER}: option 'valuesColumn' must be a column name`, { option: "valuesColumn" });
  }
  const correction = keyword(CALLER, "correction", options.correction ?? "approx-firth", ["approx-firth", "none"] as const);
  const pvalueThreshold = options.pvalueThreshold ?? 0.05;
  if (typeof pvalueThreshold !== "number" || Number.isNaN(pvalueThreshold)) {
    throw new GlowtsError("OPTION", `${CALLER}: option 'pvalueThreshold' must be a number`, { option: "pvalueThreshold" });
  }
  const all = prepareSamples(CALLER, phenotypeDf, options, frameSampleIds);
  checkBinary(all);
  const parts = splitByMissingness(all);
  if (parts.length === 1) return logisticPatternState(parts[0]!, options, correction, pvalueThreshold, scoreEffects);
  return {
    kind: "patterns", traits: all.traits,
    parts: parts.map((s) => ({ traitIndex: s.traitIndex, state: logisticPatternState(s, options, correction, pvalueThreshold, scoreEffects) })),
  };
}

/**
 * Rejects a phenotype not coded 0/1 (REGENIE's `--bt` coding; for 1/2 codes subtract 1 first).
 * @throws GlowtsError `NOT_BINARY` naming the trait and the first sample with another value.
 */
function checkBinary(s: PreparedSamples): void {
  const n = s.sampleIds.length;
  for (let j = 0; j < s.traits.length; j++) {
    for (let i = 0; i < n; i++) {
      const v = s.y[j * n + i]!;
      if (!Number.isNaN(v) && v !== 0 && v !== 1) {
        throw new GlowtsError("NOT_BINARY", `${CALLER}: phenotype '${s.traits[j]}' is not coded 0/1: sample '${s.sampleIds[i]}' has ${v} (controls 0, cases 1, NaN missing; subtract 1 from a 1/2 coding)`, { record: `sample ${s.sampleIds[i]}` });
      }
    }
  }
}

/** The state of one missingness pattern (null models on the pattern's observed samples). */
function logisticPatternState(
  s: PreparedSamples, options: LogisticRegressionOptions, correction: "approx-firth" | "none", pvalueThreshold: number, scoreEffects: boolean,
): LogisticRegressionState {
  const n = s.sampleIds.length;
  const p = s.traits.length;
  const k = s.k;
  const qr = covariateQR(CALLER, s);

  const y = new Float64Array(s.y);
  const mask = new Uint8Array(p * n);
  for (let j = 0; j < p; j++) {
    let nonBinary = 0;
    let ones = 0;
    let present = 0;
    for (let i = 0; i < n; i++) {
      const v = y[j * n + i]!;
      if (Number.isNaN(v)) { y[j * n + i] = 0; continue; }
      mask[j * n + i] = 1;
      present++;
      if (v === 1) ones++;
      else if (v !== 0) nonBinary++;
    }
    if (nonBinary === 0 && (ones === 0 || ones === present)) {
      throw new GlowtsError("ONE_CLASS", `${CALLER}: phenotype '${s.traits[j]}' has only one class (all ${ones === 0 ? 0 : 1}); logistic regression needs both 0 and 1`);
    }
  }

  const fitNulls = (offset: Float64Array | null, contig: string | null): LogisticNullState => {
    const gamma = new Float64Array(p * n);
    const yRes = new Float64Array(p * n);
    const invCtGammaC = new Float64Array(p * k * k);
    const ctYRes = new Float64Array(p * k);
    const firthOffset = correction === "approx-firth" ? new Float64Array(p * n) : null;
    const where = contig === null ? "" : ` (offsets of contig ${contig})`;
    for (let j = 0; j < p; j++) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (mask[j * n + i]) rows.push(i);
      const nm = rows.length;
      const ym = new Float64Array(nm);
      const cm = new Float64Array(nm * k);
      const om = offset ? new Float64Array(nm) : null;
      rows.forEach((r, i) => {
        ym[i] = y[j * n + r]!;
        if (om) om[i] = offset![j * n + r]!;
        for (let c = 0; c < k; c++) cm[c * nm + i] = s.c[c * n + r]!;
      });
      const trait = `${s.traits[j]}${where}`;
      const fit = fitLogisticNull(CALLER, trait, ym, cm, k, om);
      rows.forEach((r, i) => {
        const mu = fit.mu[i]!;
        gamma[j * n + r] = mu * (1 - mu);
        yRes[j * n + r] = ym[i]! - mu;
      });
      const g = weightedGram(s.c, n, k, gamma.subarray(j * n, (j + 1) * n));
      invCtGammaC.set(inverse(g, k, `${CALLER}: (CᵀγC) of phenotype '${trait}'`), j * k * k);
      for (let c = 0; c < k; c++) ctYRes[j * k + c] = dot(s.c, c * n, yRes, j * n, n);
      if (firthOffset) {
        const off = offset ? offset.subarray(j * n, (j + 1) * n) : null;
        firthOffset.set(nullFirthOffset(CALLER, trait, y.subarray(j * n, (j + 1) * n), s.c, n, k, mask.subarray(j * n, (j + 1) * n), off, options.addIntercept ?? true), j * n);
      }
    }
    return { gamma: toShared(gamma), yRes: toShared(yRes), invCtGammaC, ctYRes, firthOffset: firthOffset ? toShared(firthOffset) : null };
  };

  let contigs: string[] | null = null;
  let nulls: LogisticNullState[];
  if (s.offsets.kind === "loco") {
    contigs = s.offsets.contigs;
    const byContig = s.offsets.byContig;
    nulls = contigs.map((c) => fitNulls(byContig.get(c)!, c));
  } else {
    nulls = [fitNulls(s.offsets.kind === "single" ? s.offsets.data : null, null)];
  }

  return {
    kind: "logisticRegression",
    traits: s.traits,
    n, k,
    c: toShared(s.c),
    q: correction === "approx-firth" ? toShared(qr.q) : null,
    genotypeIndex: s.genotypeIndex,
    nValues: s.nValues,
    valuesColumn: s.valuesColumn,
    float32: s.float32,
    y: toShared(y), mask: toShared(mask), correction, pvalueThreshold, scoreEffects, contigs, nulls,
  };
}

/** Per-row results of one block, index `j*m + v` (phenotype-major). */
export interface LogisticRegressionBlockResult {
  chisq: Float64Array;
  pvalue: Float64Array;
  log10pvalue: Float64Array;
  /** approx-firth or scoreEffects (NaN where neither applies). */
  effect: Float64Array | null;
  stderror: Float64Array | null;
  /** 1 = succeeded, 0 = failed, 2 = not attempted (null). */
  correctionSucceeded: Uint8Array | null;
}

/** Kernel buffers of one block of ≤ m variants (see {@link scoreBlock}). */
interface LogisticBuffers {
  /** Q (k×n, approx-firth), then y_res (p×n), then γ (p×n), then γ_j∘c_c (p·k×n). */
  b: Float64Array;
  /** m×k: Qᵀx. */
  coef: Float64Array;
  /** m×p: xᵀy_res. */
  xy: Float64Array;
  /** m×(p·k): Cᵀ(γ_j∘x). */
  a: Float64Array;
  /** m×p: Σ γ_j x². */
  xgx: Float64Array;
}

function bufferLengths(state: LogisticRegressionState, m: number): number[] {
  const { n, k } = state;
  const p = state.traits.length;
  const kq = state.q ? k : 0;
  return [(kq + 2 * p + p * k) * n, m * kq, m * p, m * p * k, m * p];
}

function asBuffers(views: Float64Array[]): LogisticBuffers {
  return { b: views[0]!, coef: views[1]!, xy: views[2]!, a: views[3]!, xgx: views[4]! };
}

/**
 * Score test (and approx-Firth correction) of an m×n row block `x` (residualized in place when
 * approx-firth) against every trait with the null models `nullState`.
 */
export function logisticRegressionBlock(state: LogisticRegressionState, x: Float64Array, m: number, nullState: LogisticNullState): LogisticRegressionBlockResult {
  const K = kernels();
  const views = K.workspace([m * state.n, ...bufferLengths(state, m)]);
  const xw = views[0]!;
  xw.set(x.subarray(0, m * state.n));
  const r = scoreBlock(state, K, xw, m, nullState, asBuffers(views.slice(1)));
  x.set(xw);
  return r;
}

/**
 * {@link logisticRegressionBlock} on kernel buffers: the O(m·n) work is kernel passes over the
 * block (X ← X − (X·Qᵀ)·Q with approx-Firth, X·y_resᵀ, X·(γ_j∘C)ᵀ for every trait, Σγ_j x²);
 * the per-variant k×k algebra, p-values and Firth fits follow.
 */
function scoreBlock(
  state: LogisticRegressionState, K: Kernels, x: Float64Array, m: number, nullState: LogisticNullState, buf: LogisticBuffers,
): LogisticRegressionBlockResult {
  const { n, k, c, traits } = state;
  const p = traits.length;
  const kq = state.q ? k : 0;
  const { b, coef, xy, a, xgx } = buf;
  const qb = b.subarray(0, kq * n);
  const yr = b.subarray(kq * n, (kq + p) * n);
  const gb = b.subarray((kq + p) * n, (kq + 2 * p) * n);
  const gc = b.subarray((kq + 2 * p) * n, (kq + 2 * p + p * k) * n);
  if (state.q) qb.set(state.q.subarray(0, k * n));
  yr.set(nullState.yRes.subarray(0, p * n));
  gb.set(nullState.gamma.subarray(0, p * n));
  // γ_j∘c_t rows (p·k·n products: small next to the block's)
  for (let j = 0; j < p; j++) {
    for (let t = 0; t < k; t++) {
      const o = (j * k + t) * n;
      for (let s = 0; s < n; s++) gc[o + s] = gb[j * n + s]! * c[t * n + s]!;
    }
  }
  // A few rows at a time, so that a group stays in cache through its passes.
  const step = rowsPerGroup(n);
  for (let g0 = 0; g0 < m; g0 += step) {
    const g = Math.min(step, m - g0);
    const xs = x.subarray(g0 * n, (g0 + g) * n);
    if (state.q) {
      const cs = coef.subarray(g0 * k, (g0 + g) * k);
      K.crossRows(xs, g, qb, k, n, cs);
      K.subtractCombination(xs, g, cs, qb, k, n);
    }
    K.crossRows(xs, g, yr, p, n, xy.subarray(g0 * p, (g0 + g) * p)); // xᵀ y_res
    K.crossRows(xs, g, gc, p * k, n, a.subarray(g0 * p * k, (g0 + g) * p * k)); // Cᵀ(γ_j x)
    K.crossRowsSquared(xs, g, gb, p, n, xgx.subarray(g0 * p, (g0 + g) * p)); // Σ γ_j x²
  }

  const out: LogisticRegressionBlockResult = {
    chisq: new Float64Array(m * p), pvalue: new Float64Array(m * p), log10pvalue: new Float64Array(m * p),
    effect: null, stderror: null, correctionSucceeded: null,
  };
  const pk = p * k;
  const scoreEffect = state.scoreEffects ? new Float64Array(m * p) : null;
  const scoreSe = state.scoreEffects ? new Float64Array(m * p) : null;
  for (let j = 0; j < p; j++) {
    const inv = nullState.invCtGammaC.subarray(j * k * k, (j + 1) * k * k);
    for (let v = 0; v < m; v++) {
      const ao = v * pk + j * k;
      let bta = 0;
      let btc = 0;
      for (let r = 0; r < k; r++) {
        let sum = 0;
        for (let t = 0; t < k; t++) sum += inv[t * k + r]! * a[ao + t]!;
        bta += sum * a[ao + r]!;
        btc += sum * nullState.ctYRes[j * k + r]!;
      }
      const num = xy[v * p + j]! - btc;
      const denom = xgx[v * p + j]! - bta;
      const chisq = (num * num) / denom;
      const o = j * m + v;
      if (scoreEffect) { scoreEffect[o] = num / denom; scoreSe![o] = 1 / Math.sqrt(denom); }
      out.chisq[o] = chisq;
      const pv = chiSquared1PValue(chisq);
      out.pvalue[o] = pv;
      out.log10pvalue[o] = chiSquaredLog10FromP(pv, chisq, 1);
    }
  }
  if (state.correction === "approx-firth") {
    const effect = scoreEffect ?? new Float64Array(m * p).fill(NaN);
    const stderror = scoreSe ?? new Float64Array(m * p).fill(NaN);
    const ok = new Uint8Array(m * p).fill(2);
    for (let j = 0; j < p; j++) {
      for (let v = 0; v < m; v++) {
        const o = j * m + v;
        if (!(out.pvalue[o]! < state.pvalueThreshold)) continue;
        const r = correctApproxFirth(x, v * n, state.y, j * n, nullState.firthOffset!, j * n, state.mask, j * n, n);
        if (!r) { ok[o] = 0; continue; }
        ok[o] = 1;
        effect[o] = r.effect;
        stderror[o] = r.stderror;
        out.chisq[o] = r.chisq;
        out.pvalue[o] = r.pvalue;
        out.log10pvalue[o] = r.log10pvalue;
      }
    }
    out.effect = effect;
    out.stderror = stderror;
    out.correctionSucceeded = ok;
  } else if (scoreEffect) {
    out.effect = scoreEffect;
    out.stderror = scoreSe;
  }
  return out;
}

/**
 * Tests one partition: every variant of `batch` against every trait of `state`.
 *
 * @returns a batch with the input's columns except the values column, `genotypes` and `position`,
 * then (approx-firth or scoreEffects) `effect`, `stderror`, (approx-firth) `correctionSucceeded`
 * (null where not attempted), then `chisq`, `pvalue`, `phenotype`, and `negLog10pValue` (−log10 p).
 * Rows are phenotype-major per contig group (traits in the phenotype table's order).
 * NaN statistics are nulls (as in Glow's Spark output).
 */
export function logisticRegressionPartition(batch: VariantBatch, plan: LogisticRegressionPlan, ctx?: FusedContext): VariantBatch {
  const t = takeFusedValues(batch, plan, planStates, mapStates, ctx);
  return patternsPartition(CALLER, t.batch, t.plan, logisticPatternPartition);
}

function logisticPatternPartition(batch: VariantBatch, state: LogisticRegressionState): VariantBatch {
  const groups = contigGroups(CALLER, batch, state.contigs !== null);
  const n = state.n;
  // One workspace for the partition: the values block is read straight into it.
  const gather = groups.some((g) => consecutiveStart(g.rows) < 0);
  const packed = state.fusedValues ? fusedBytesLength(batch, state.fusedValues) : 0;
  const { K, views } = workspaceOrFallback([batch.numRows * n, gather ? batch.numRows * n : 0, packed, ...bufferLengths(state, batch.numRows)]);
  const x = views[0]!;
  const buffers = asBuffers(views.slice(3));
  if (state.fusedValues) readFusedValuesBlock(CALLER, batch, state.fusedValues, state.nValues, state.genotypeIndex, state.float32, x, views[2], K);
  else readValuesBlock(CALLER, batch, state.valuesColumn, state.nValues, state.genotypeIndex, state.float32, x);
  const p = state.traits.length;
  const total = batch.numRows * p;
  const order = new Int32Array(total);
  const phen: string[] = new Array(total);
  const chisq = new Float64Array(total);
  const pvalue = new Float64Array(total);
  const log10pvalue = new Float64Array(total);
  const firth = state.correction === "approx-firth";
  const effects = firth || state.scoreEffects;
  const effect = effects ? new Float64Array(total) : null;
  const stderror = effects ? new Float64Array(total) : null;
  const succeeded = firth ? new Uint8Array(total) : null;
  const succeededNulls = firth ? new Uint8Array(total) : null;
  let at = 0;
  for (const g of groups) {
    let ns = state.nulls[0]!;
    if (state.contigs) {
      const ci = state.contigs.indexOf(g.contig!);
      if (ci < 0) {
        throw new GlowtsError("MISSING_CONTIG", `${CALLER}: the offsets have no contig '${g.contig}' (they have ${state.contigs.join(", ")}); pass contigs or filter the variants`, { record: `contig ${g.contig}` });
      }
      ns = state.nulls[ci]!;
    }
    const m = g.rows.length;
    const first = consecutiveStart(g.rows);
    const xg = first >= 0 ? x.subarray(first * n, (first + m) * n) : gatherBlock(x, n, g.rows, views[1]);
    const r = scoreBlock(state, K, xg, m, ns, buffers);
    for (let j = 0; j < p; j++) {
      for (let v = 0; v < m; v++) {
        const o = j * m + v;
        order[at] = g.rows[v]!;
        phen[at] = state.traits[j]!;
        chisq[at] = r.chisq[o]!;
        pvalue[at] = r.pvalue[o]!;
        log10pvalue[at] = r.log10pvalue[o]!;
        if (effects) {
          effect![at] = r.effect![o]!;
          stderror![at] = r.stderror![o]!;
        }
        if (firth) {
          const ok = r.correctionSucceeded![o]!;
          if (ok === 2) succeededNulls![at] = 1;
          else succeeded![at] = ok;
        }
        at++;
      }
    }
  }
  const columns: Record<string, Column> = passThroughColumns(batch, state.valuesColumn, order);
  const f32 = state.float32;
  if (effects) {
    columns["effect"] = doubleColumn(effect!, f32, true);
    columns["stderror"] = doubleColumn(stderror!, f32, true);
  }
  if (firth) {
    columns["correctionSucceeded"] = { type: "boolean", values: succeeded!, nulls: succeededNulls! };
  }
  columns["chisq"] = doubleColumn(chisq, f32, true);
  columns["pvalue"] = doubleColumn(pvalue, f32, true);
  columns["phenotype"] = { type: "string", values: phen };
  columns["negLog10pValue"] = doubleColumn(log10pvalue.map((x) => -x), false, true);
  return { numRows: total, columns };
}
