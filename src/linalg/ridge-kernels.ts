/**
 * Dense kernels for GloWGR's ridge stages, over plain Float64Arrays.
 *
 * Layout conventions (all row-major):
 * - A *row block* `xt` of shape p×n holds p vectors of length n back to back (`xt[j*n + s]`). The
 *   design matrix X (n samples × p features) of a WGR block is kept transposed this way, so each
 *   feature column is contiguous, exactly like Glow's per-header `values` arrays.
 * - Small square matrices (XᵀX, its inverse) and coefficient matrices (p × k) are row-major.
 *
 * Every kernel is a tight typed-array loop with no allocation inside the loop.
 */
import { GlowtsError } from "../core/errors.js";
import { CHOLESKY_PANEL, kernels } from "./kernels.js";
import { dot } from "./block.js";

/** Dot product of `a[ao..ao+n)` and `b[bo..bo+n)`: the block kernel's `dot` (four partial sums). */
export const ridgeDot = dot;

/**
 * Gram matrix of a row block: `out[i*p + j] = Σ_s xt[i*n+s]·xt[j*n+s]` (= XᵀX for X = xtᵀ).
 * Symmetric by construction (each pair computed once and mirrored), by the kernel set in use
 * ({@link kernels}: WebAssembly SIMD, or the plain loops with the same canonical summation order).
 */
export function gramRows(xt: Float64Array, p: number, n: number, out = new Float64Array(p * p)): Float64Array {
  kernels().gram(xt, p, n, out);
  return out;
}

/**
 * Cross product of two row blocks: `out[i*q + j] = Σ_s xt[i*n+s]·yt[j*n+s]` (= XᵀY, p×q row-major),
 * by the kernel set in use ({@link kernels}: WebAssembly SIMD, or plain loops in the same
 * canonical summation order).
 */
export function crossRowsWith(
  xt: Float64Array, p: number, yt: Float64Array, q: number, n: number, out = new Float64Array(p * q),
): Float64Array {
  kernels().crossRows(xt, p, yt, q, n, out);
  return out;
}

/**
 * Predictions of a row block under a coefficient matrix, transposed: for X = xtᵀ (n×p) and
 * B (p×k row-major), returns `(X·B)ᵀ` as a k×n row block, i.e. `out[c*n + s] = Σ_j B[j,c]·xt[j*n+s]`.
 * Each output column is then contiguous (one reduced `values` array per column).
 */
export function predictRows(
  xt: Float64Array, p: number, n: number, b: Float64Array, k: number, out = new Float64Array(k * n),
): Float64Array {
  out.fill(0);
  for (let j = 0; j < p; j++) {
    const xo = j * n;
    for (let c = 0; c < k; c++) {
      const w = b[j * k + c]!;
      if (w === 0) continue;
      const oo = c * n;
      for (let s = 0; s < n; s++) out[oo + s] += w * xt[xo + s]!;
    }
  }
  return out;
}

/** Row-major product `a (m×k) · b (k×q)`. */
export function matMul(a: Float64Array, m: number, k: number, b: Float64Array, q: number, out = new Float64Array(m * q)): Float64Array {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const oo = i * q;
    for (let t = 0; t < k; t++) {
      const w = a[i * k + t]!;
      if (w === 0) continue;
      const bo = t * q;
      for (let j = 0; j < q; j++) out[oo + j] += w * b[bo + j]!;
    }
  }
  return out;
}

/**
 * Inverse of a p×p row-major matrix by LU factorization with partial pivoting (LAPACK getrf
 * followed by solving for the identity, as `scipy.linalg.inv` does with getrf/getri).
 * @throws GlowtsError `SINGULAR` when a pivot is exactly zero
 */
export function invertLU(a: Float64Array, p: number, caller = "invert"): Float64Array {
  const lu = Float64Array.from(a);
  const piv = new Int32Array(p);
  for (let k = 0; k < p; k++) {
    // pivot search
    let maxv = Math.abs(lu[k * p + k]!);
    let r = k;
    for (let i = k + 1; i < p; i++) {
      const v = Math.abs(lu[i * p + k]!);
      if (v > maxv) { maxv = v; r = i; }
    }
    piv[k] = r;
    if (lu[r * p + k] === 0) throw new GlowtsError("SINGULAR", `${caller}: the matrix is singular (zero pivot at column ${k})`);
    if (r !== k) {
      for (let j = 0; j < p; j++) {
        const t = lu[k * p + j]!;
        lu[k * p + j] = lu[r * p + j]!;
        lu[r * p + j] = t;
      }
    }
    const d = lu[k * p + k]!;
    for (let i = k + 1; i < p; i++) {
      const f = (lu[i * p + k]! /= d);
      if (f === 0) continue;
      const io = i * p;
      const ko = k * p;
      for (let j = k + 1; j < p; j++) lu[io + j] -= f * lu[ko + j]!;
    }
  }
  // Solve A · X = I:  P·A = L·U, so X = U⁻¹ L⁻¹ P. Work on columns of the identity permuted.
  const inv = new Float64Array(p * p);
  const col = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    col.fill(0);
    col[c] = 1;
    for (let k = 0; k < p; k++) {
      const r = piv[k]!;
      if (r !== k) { const t = col[k]!; col[k] = col[r]!; col[r] = t; }
    }
    // forward: L y = col (unit lower)
    for (let i = 0; i < p; i++) {
      let s = col[i]!;
      const io = i * p;
      for (let j = 0; j < i; j++) s -= lu[io + j]! * col[j]!;
      col[i] = s;
    }
    // backward: U x = y
    for (let i = p - 1; i >= 0; i--) {
      let s = col[i]!;
      const io = i * p;
      for (let j = i + 1; j < p; j++) s -= lu[io + j]! * col[j]!;
      col[i] = s / lu[io + i]!;
    }
    for (let i = 0; i < p; i++) inv[i * p + c] = col[i]!;
  }
  return inv;
}

/** `sum(x)/n` and population (ddof=0) standard deviation of `x[o..o+n)`. */
export function meanAndPopulationSd(x: Float64Array, o: number, n: number): [number, number] {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[o + i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[o + i]! - mean;
    ss += d * d;
  }
  return [mean, Math.sqrt(ss / n)];
}

/**
 * Weighted Gram matrix of a row block: `out[i*p + j] = Σ_s (xt[i*n+s]·w[s])·xt[j*n+s]`
 * (= Xᵀ·diag(w)·X, as numpy's `(X.T * w) @ X`). Symmetric (upper triangle mirrored).
 */
export function weightedGramRows(xt: Float64Array, p: number, n: number, w: Float64Array, out = new Float64Array(p * p)): Float64Array {
  const xw = new Float64Array(n);
  for (let i = 0; i < p; i++) {
    const a = i * n;
    for (let s = 0; s < n; s++) xw[s] = xt[a + s]! * w[s]!;
    for (let j = i; j < p; j++) {
      const v = ridgeDot(xw, 0, xt, j * n, n);
      out[i * p + j] = v;
      out[j * p + i] = v;
    }
  }
  return out;
}

/**
 * Solves `(A + diag(d))·X = B` for symmetric positive definite `A + diag(d)` (p×p, row-major) and
 * B (p×q, row-major) by a blocked right-looking Cholesky factorization (A = RᵀR, see
 * {@link choleskyUpperInPlace}) and two triangular solves; all inner loops run over contiguous rows. Returns null when the matrix is not
 * numerically positive definite (the caller then falls back to {@link invertLU}).
 */
export function choleskySolve(a: Float64Array, d: Float64Array, p: number, b: Float64Array, q: number, work?: Float64Array): Float64Array | null {
  // `work` (≥ p·p elements) receives the factor instead of a new array: one p×p buffer per block
  // solved for every alpha, not one per alpha (the arithmetic is the same).
  let r: Float64Array;
  if (work && work.length >= p * p) { r = work.subarray(0, p * p); r.set(a); }
  else r = Float64Array.from(a);
  for (let i = 0; i < p; i++) r[i * p + i] += d[i]!;
  if (!choleskyUpperInPlace(r, p)) return null;
  const x = Float64Array.from(b);
  // Rᵀ y = b: right-looking over the rows of R
  for (let k = 0; k < p; k++) {
    const ko = k * p;
    const dk = r[ko + k]!;
    const xo = k * q;
    for (let c = 0; c < q; c++) x[xo + c] /= dk;
    for (let j = k + 1; j < p; j++) {
      const f = r[ko + j]!;
      if (f === 0) continue;
      const jo = j * q;
      for (let c = 0; c < q; c++) x[jo + c] -= f * x[xo + c]!;
    }
  }
  // R x = y: backward, row k of R against the solved rows below it
  for (let k = p - 1; k >= 0; k--) {
    const ko = k * p;
    const xo = k * q;
    for (let j = k + 1; j < p; j++) {
      const f = r[ko + j]!;
      if (f === 0) continue;
      const jo = j * q;
      for (let c = 0; c < q; c++) x[xo + c] -= f * x[jo + c]!;
    }
    const dk = r[ko + k]!;
    for (let c = 0; c < q; c++) x[xo + c] /= dk;
  }
  return x;
}

/**
 * In-place Cholesky factorization of a symmetric p×p row-major matrix (upper triangle read):
 * afterwards its upper triangle holds R with A = RᵀR. Blocked right-looking: a panel of
 * {@link CHOLESKY_PANEL} rows is factored, then the trailing upper triangle is updated with the
 * panel four rows at a time, so the trailing matrix is streamed once per panel instead of once per
 * row. Runs on the kernel set in use ({@link kernels}: WebAssembly SIMD or plain loops, bit for
 * bit equal). Returns false when a pivot is not positive.
 */
export function choleskyUpperInPlace(r: Float64Array, p: number): boolean {
  return kernels().choleskyUpper(r, p);
}
