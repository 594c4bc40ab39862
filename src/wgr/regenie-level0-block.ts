/**
 * REGENIE's level 0 for one header block (see regenie-level0.ts): every variant residualized on
 * the covariates and scaled to unit variance, then per cross-validation fold a ridge fit on the
 * other folds for each λ, applied to the left-out fold. Only the out-of-fold predictions
 * (λ × traits × samples) leave the function.
 *
 * Pure and self-contained (typed arrays in, typed arrays out), so it runs unchanged on the calling
 * thread or in a fit worker (fit-worker.ts): results do not depend on where it runs. Its working set
 * is the header block as given (m × n, float32 for genotype states), one fold of it residualized
 * and scaled (m × n/K float64) and the fold Grams (K × m²) — never samples × variants.
 */
import { GlowtsError } from "../core/errors.js";
import { choleskySolve, crossRowsWith, gramRows, invertLU, predictRows } from "../linalg/ridge-kernels.js";
import { decodePackedBlock, type PackedBedBlock } from "./packed-bed-values.js";

/** What is the same for every header block of one level-0 run. */
export interface RegenieLevel0Context {
  /** Samples (in fold order). */
  n: number;
  /** Covariates, column-major n × k (intercept first when present). */
  C: Float64Array;
  k: number;
  /** (CᵀC)⁻¹, k × k row-major. */
  ctcInv: Float64Array;
  /** Per fold, the residualized unit-variance traits as a row block q × n_f. */
  Yf: Float64Array[];
  q: number;
  /** Fold boundaries in the sample order, K + 1 entries. */
  foldStart: number[];
  /** Fold names (for messages). */
  folds: string[];
  /** Level-0 ridge penalties. */
  lambda0: number[];
}

/**
 * One header block's task: its variants as full sample vectors (variant-major m × n, fold order),
 * given as values or as packed PLINK bytes that the task decodes (packed-bed-values.ts).
 */
export interface RegenieLevel0BlockTask {
  kind: "regenie-level0";
  name: string;
  /** m × n values (read only; a Float32Array when its values are exact float32s); or {@link packed}. */
  values?: Float64Array | Float32Array;
  /** The block as `.bed` bytes (a quarter of a byte per genotype), decoded here. */
  packed?: PackedBedBlock;
  m: number;
  ctx: RegenieLevel0Context;
}

/**
 * Out-of-fold level-0 predictions of one header block: `out[(j·R + r)·n + s]` for trait j, λ index
 * r, sample s (fold order); null when no variant of the block has variance left after the covariates.
 */
export function regenieLevel0Block(task: RegenieLevel0BlockTask): Float64Array | null {
  const { name, ctx } = task;
  const X = task.values ?? (task.packed ? decodePackedBlock(task.packed, task.m) : null);
  if (!X) throw new GlowtsError("BLOCK_MATRIX", `regenie level 0 (${name}): the task has neither values nor packed bytes`);
  const { n, C, k, ctcInv, Yf, q, foldStart, folds, lambda0 } = ctx;
  const K = folds.length;
  const R = lambda0.length;
  if (X.length !== task.m * n) throw new GlowtsError("BLOCK_MATRIX", `regenie level 0 (${name}): ${X.length} values for ${task.m} variants × ${n} samples`);
  // residualize and scale every variant over all samples: x − C (CᵀC)⁻¹ Cᵀx, then / sd (dof n − 1);
  // variants without variance are dropped. Only the k coefficients and the sd of each variant are
  // kept: the scaled values are recomputed (the same operations, so the same numbers) fold by fold.
  const cx = new Float64Array(k);
  const G = new Float64Array(task.m * k);
  const kept: number[] = [];
  const sds: number[] = [];
  for (let v = 0; v < task.m; v++) {
    const o = v * n;
    for (let a = 0; a < k; a++) { let t = 0; for (let s = 0; s < n; s++) t += C[a * n + s]! * X[o + s]!; cx[a] = t; }
    const g = G.subarray(v * k, v * k + k);
    for (let a = 0; a < k; a++) { let t = 0; for (let c = 0; c < k; c++) t += ctcInv[a * k + c]! * cx[c]!; g[a] = t; }
    let ss = 0;
    for (let s = 0; s < n; s++) {
      let f = X[o + s]!;
      for (let a = 0; a < k; a++) f -= C[a * n + s]! * g[a]!;
      ss += f * f;
    }
    const sd = Math.sqrt(ss / (n - 1));
    if (!(sd > 1e-8)) continue;
    kept.push(v);
    sds.push(sd);
  }
  const m = kept.length;
  if (m === 0) return null;
  // one fold of the block, residualized and scaled, as a contiguous row block m × n_f (the kernels' layout)
  const nfMax = Math.max(...folds.map((_, f) => foldStart[f + 1]! - foldStart[f]!));
  const scratch = new Float64Array(m * nfMax);
  const foldRows = (f: number): Float64Array => {
    const lo = foldStart[f]!, hi = foldStart[f + 1]!, nn = hi - lo;
    const xt = scratch.subarray(0, m * nn);
    for (let j = 0; j < m; j++) {
      const v = kept[j]!, o = v * n, sd = sds[j]!, d = j * nn - lo;
      const g = G.subarray(v * k, v * k + k);
      for (let s = lo; s < hi; s++) {
        let f = X[o + s]!;
        for (let a = 0; a < k; a++) f -= C[a * n + s]! * g[a]!;
        xt[d + s] = f / sd;
      }
    }
    return xt;
  };
  const gram: Float64Array[] = [];
  const xty: Float64Array[] = [];
  const gTot = new Float64Array(m * m);
  const bTot = new Float64Array(m * q);
  for (let f = 0; f < K; f++) {
    const nn = foldStart[f + 1]! - foldStart[f]!;
    const xt = foldRows(f);
    const gf = gramRows(xt, m, nn);
    const bf = crossRowsWith(xt, m, Yf[f]!, q, nn);
    gram.push(gf); xty.push(bf);
    for (let i = 0; i < gf.length; i++) gTot[i] += gf[i]!;
    for (let i = 0; i < bf.length; i++) bTot[i] += bf[i]!;
  }
  const out = new Float64Array(q * R * n);
  const gOut = new Float64Array(m * m);
  const bOut = new Float64Array(m * q);
  const diag = new Float64Array(m);
  const work = new Float64Array(m * m); // the Cholesky factor, one buffer for every fold and λ
  for (let f = 0; f < K; f++) {
    for (let i = 0; i < gOut.length; i++) gOut[i] = gTot[i]! - gram[f]![i]!;
    for (let i = 0; i < bOut.length; i++) bOut[i] = bTot[i]! - xty[f]![i]!;
    const lo = foldStart[f]!, nn = foldStart[f + 1]! - lo;
    const xt = foldRows(f);
    lambda0.forEach((lam, r) => {
      diag.fill(lam);
      let beta = choleskySolve(gOut, diag, m, bOut, q, work);
      if (!beta) {
        const a = Float64Array.from(gOut);
        for (let i = 0; i < m; i++) a[i * m + i] += lam;
        const inv = invertLU(a, m, `regenie level 0 (${name}, fold ${folds[f]})`);
        beta = new Float64Array(m * q);
        for (let i = 0; i < m; i++) for (let c = 0; c < q; c++) { let t = 0; for (let j = 0; j < m; j++) t += inv[i * m + j]! * bOut[j * q + c]!; beta[i * q + c] = t; }
      }
      const pt = predictRows(xt, m, nn, beta, q);
      for (let j = 0; j < q; j++) out.set(pt.subarray(j * nn, (j + 1) * nn), (j * R + r) * n + lo);
    });
  }
  return out;
}
