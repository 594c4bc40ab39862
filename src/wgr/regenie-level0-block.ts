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
import { PackedRows, type PackedBedBlock } from "./packed-bed-values.js";

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

/** Reads the block's variants a row at a time (its values, or its packed `.bed` bytes decoded on the fly). */
interface RowSource {
  /** Variant v over every sample into `out` (length n). */
  full(v: number, out: Float64Array): void;
  /** Variant v, samples [lo, hi), into `out[0 .. hi − lo)` (after {@link full} saw v). */
  range(v: number, lo: number, hi: number, out: Float64Array): void;
}

function valueRows(X: Float64Array | Float32Array, n: number): RowSource {
  return {
    full: (v, out) => { for (let s = 0; s < n; s++) out[s] = X[v * n + s]!; },
    range: (v, lo, hi, out) => { const o = v * n; for (let s = lo; s < hi; s++) out[s - lo] = X[o + s]!; },
  };
}

/**
 * Buffers reused by every header block fitted on this thread (a fit worker runs one block at a
 * time): the working set is allocated once per thread, not once per block, so freed blocks do not
 * pile up between garbage collections. Contents are not cleared: each user overwrites what it reads.
 */
const workspace = new Map<string, Float64Array>();
function buffer(name: string, length: number): Float64Array {
  let b = workspace.get(name);
  if (!b || b.length < length) { b = new Float64Array(length); workspace.set(name, b); }
  return b.subarray(0, length);
}

/** Frees this thread's level-0 buffers (the calling thread, after a level 0 run without workers). */
export function releaseLevel0Workspace(): void {
  workspace.clear();
}

/**
 * Out-of-fold level-0 predictions of one header block: `out[(j·R + r)·n + s]` for trait j, λ index
 * r, sample s (fold order); null when no variant of the block has variance left after the covariates.
 *
 * Memory: the block as given (values, or packed bytes decoded a row at a time), one fold of it
 * residualized and scaled (m × n/K), the fold Grams as lower triangles (K × m(m+1)/2), and three
 * m × m matrices (their sum, the training Gram of a fold, the Cholesky factor) — all reused from
 * one block to the next.
 */
export function regenieLevel0Block(task: RegenieLevel0BlockTask): Float64Array | null {
  const { name, ctx } = task;
  const { n, C, k, ctcInv, Yf, q, foldStart, folds, lambda0 } = ctx;
  const K = folds.length;
  const R = lambda0.length;
  let rows: RowSource;
  if (task.values) {
    if (task.values.length !== task.m * n) throw new GlowtsError("BLOCK_MATRIX", `regenie level 0 (${name}): ${task.values.length} values for ${task.m} variants × ${n} samples`);
    rows = valueRows(task.values, n);
  } else if (task.packed) {
    if (task.packed.keep.length !== n) throw new GlowtsError("BLOCK_MATRIX", `regenie level 0 (${name}): packed block of ${task.packed.keep.length} samples, expected ${n}`);
    rows = new PackedRows(task.packed, task.m);
  } else {
    throw new GlowtsError("BLOCK_MATRIX", `regenie level 0 (${name}): the task has neither values nor packed bytes`);
  }
  // residualize and scale every variant over all samples: x − C (CᵀC)⁻¹ Cᵀx, then / sd (dof n − 1);
  // variants without variance are dropped. Only the k coefficients and the sd of each variant are
  // kept: the scaled values are recomputed (the same operations, so the same numbers) fold by fold.
  const cx = new Float64Array(k);
  const G = new Float64Array(task.m * k);
  const kept: number[] = [];
  const sds: number[] = [];
  const row = buffer("row", n);
  for (let v = 0; v < task.m; v++) {
    rows.full(v, row);
    for (let a = 0; a < k; a++) { let t = 0; for (let s = 0; s < n; s++) t += C[a * n + s]! * row[s]!; cx[a] = t; }
    const g = G.subarray(v * k, v * k + k);
    for (let a = 0; a < k; a++) { let t = 0; for (let c = 0; c < k; c++) t += ctcInv[a * k + c]! * cx[c]!; g[a] = t; }
    let ss = 0;
    for (let s = 0; s < n; s++) {
      let f = row[s]!;
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
  const scratch = buffer("fold", m * nfMax);
  const part = buffer("part", nfMax);
  const foldRows = (f: number): Float64Array => {
    const lo = foldStart[f]!, hi = foldStart[f + 1]!, nn = hi - lo;
    const xt = scratch.subarray(0, m * nn);
    for (let j = 0; j < m; j++) {
      const v = kept[j]!, sd = sds[j]!, d = j * nn - lo;
      const g = G.subarray(v * k, v * k + k);
      rows.range(v, lo, hi, part);
      for (let s = lo; s < hi; s++) {
        let f = part[s - lo]!;
        for (let a = 0; a < k; a++) f -= C[a * n + s]! * g[a]!;
        xt[d + s] = f / sd;
      }
    }
    return xt;
  };
  // Fold Grams are symmetric bit for bit (the kernel mirrors one triangle): kept as lower triangles.
  const tri = (m * (m + 1)) / 2;
  const gramLower = buffer("gramLower", K * tri);
  const gTot = buffer("gTot", m * m).fill(0);
  const gf = buffer("gf", m * m);
  const xty: Float64Array[] = [];
  const bTot = new Float64Array(m * q);
  for (let f = 0; f < K; f++) {
    const nn = foldStart[f + 1]! - foldStart[f]!;
    const xt = foldRows(f);
    gramRows(xt, m, nn, gf);
    const bf = crossRowsWith(xt, m, Yf[f]!, q, nn);
    xty.push(bf);
    const low = gramLower.subarray(f * tri, (f + 1) * tri);
    for (let i = 0, t = 0; i < m; i++) for (let j = 0; j <= i; j++, t++) low[t] = gf[i * m + j]!;
    for (let i = 0; i < gf.length; i++) gTot[i] += gf[i]!;
    for (let i = 0; i < bf.length; i++) bTot[i] += bf[i]!;
  }
  const out = new Float64Array(q * R * n);
  const gOut = gf; // the fold Gram's buffer, now the training Gram of each fold in turn
  const bOut = new Float64Array(m * q);
  const diag = new Float64Array(m);
  const work = buffer("work", m * m); // the Cholesky factor, one buffer for every fold and λ
  const pt = buffer("pred", q * nfMax);
  for (let f = 0; f < K; f++) {
    const low = gramLower.subarray(f * tri, (f + 1) * tri);
    for (let i = 0, t = 0; i < m; i++) {
      for (let j = 0; j <= i; j++, t++) {
        const x = gTot[i * m + j]! - low[t]!;
        gOut[i * m + j] = x;
        gOut[j * m + i] = x;
      }
    }
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
      const p = predictRows(xt, m, nn, beta, q, pt.subarray(0, q * nn));
      for (let j = 0; j < q; j++) out.set(p.subarray(j * nn, (j + 1) * nn), (j * R + r) * n + lo);
    });
  }
  return out;
}
