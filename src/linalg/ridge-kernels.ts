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
import { GlowtsError } from "../errors.js";

/** Dot product of `a[ao..ao+n)` and `b[bo..bo+n)` (four partial sums). */
export function ridgeDot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < n; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Gram matrix of a row block: `out[i*p + j] = Σ_s xt[i*n+s]·xt[j*n+s]` (= XᵀX for X = xtᵀ).
 * Symmetric by construction (the upper triangle is computed and mirrored). The bulk runs as 4×4
 * register tiles (16 accumulators, 8 loads per 16 multiply-adds); edges fall back to dots.
 */
export function gramRows(xt: Float64Array, p: number, n: number, out = new Float64Array(p * p)): Float64Array {
  const p4 = p - (p % 4);
  for (let i = 0; i < p4; i += 4) {
    const a0 = i * n;
    const a1 = a0 + n;
    const a2 = a1 + n;
    const a3 = a2 + n;
    for (let j = i; j < p4; j += 4) {
      const b0 = j * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let s = 0; s < n; s++) {
        const y0 = xt[b0 + s]!;
        const y1 = xt[b1 + s]!;
        const y2 = xt[b2 + s]!;
        const y3 = xt[b3 + s]!;
        let x = xt[a0 + s]!;
        s00 += x * y0; s01 += x * y1; s02 += x * y2; s03 += x * y3;
        x = xt[a1 + s]!;
        s10 += x * y0; s11 += x * y1; s12 += x * y2; s13 += x * y3;
        x = xt[a2 + s]!;
        s20 += x * y0; s21 += x * y1; s22 += x * y2; s23 += x * y3;
        x = xt[a3 + s]!;
        s30 += x * y0; s31 += x * y1; s32 += x * y2; s33 += x * y3;
      }
      put4(out, p, i, j, s00, s01, s02, s03);
      put4(out, p, i + 1, j, s10, s11, s12, s13);
      put4(out, p, i + 2, j, s20, s21, s22, s23);
      put4(out, p, i + 3, j, s30, s31, s32, s33);
    }
  }
  // remaining rows/columns (p % 4 of them) against everything
  for (let j = p4; j < p; j++) {
    for (let i = 0; i <= j; i++) {
      const v = ridgeDot(xt, i * n, xt, j * n, n);
      out[i * p + j] = v;
      out[j * p + i] = v;
    }
  }
  return out;
}

/** Stores row `i`, columns j..j+3 of a symmetric matrix and their mirror images. */
function put4(out: Float64Array, p: number, i: number, j: number, v0: number, v1: number, v2: number, v3: number): void {
  const o = i * p + j;
  out[o] = v0;
  out[o + 1] = v1;
  out[o + 2] = v2;
  out[o + 3] = v3;
  out[j * p + i] = v0;
  out[(j + 1) * p + i] = v1;
  out[(j + 2) * p + i] = v2;
  out[(j + 3) * p + i] = v3;
}

/**
 * Cross product of two row blocks: `out[i*q + j] = Σ_s xt[i*n+s]·yt[j*n+s]` (= XᵀY, p×q row-major).
 */
export function crossRowsWith(
  xt: Float64Array, p: number, yt: Float64Array, q: number, n: number, out = new Float64Array(p * q),
): Float64Array {
  for (let i = 0; i < p; i++) {
    const a = i * n;
    let j = 0;
    for (; j + 1 < q; j += 2) {
      const b0 = j * n;
      const b1 = b0 + n;
      let s0 = 0;
      let s1 = 0;
      for (let s = 0; s < n; s++) {
        const x = xt[a + s]!;
        s0 += x * yt[b0 + s]!;
        s1 += x * yt[b1 + s]!;
      }
      out[i * q + j] = s0;
      out[i * q + j + 1] = s1;
    }
    for (; j < q; j++) out[i * q + j] = ridgeDot(xt, a, yt, j * n, n);
  }
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
export function choleskySolve(a: Float64Array, d: Float64Array, p: number, b: Float64Array, q: number): Float64Array | null {
  const r = Float64Array.from(a);
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

/** Panel width of the blocked Cholesky factorization. */
const CHOL_NB = 32;

/**
 * In-place Cholesky factorization of a symmetric p×p row-major matrix (upper triangle read):
 * afterwards its upper triangle holds R with A = RᵀR. Blocked right-looking: a panel of
 * {@link CHOL_NB} rows is factored, then the trailing upper triangle is updated with the panel
 * four rows at a time (4 multiply-adds per 5 loads), so the trailing matrix is streamed once per
 * panel instead of once per row. Returns false when a pivot is not positive.
 */
export function choleskyUpperInPlace(r: Float64Array, p: number): boolean {
  for (let k0 = 0; k0 < p; k0 += CHOL_NB) {
    const k1 = Math.min(p, k0 + CHOL_NB);
    // factor the panel rows k0..k1 across all trailing columns
    for (let k = k0; k < k1; k++) {
      const ko = k * p;
      const dk = r[ko + k]!;
      if (!(dk > 0)) return false;
      const s = Math.sqrt(dk);
      r[ko + k] = s;
      const inv = 1 / s;
      for (let j = k + 1; j < p; j++) r[ko + j] *= inv;
      for (let i = k + 1; i < k1; i++) {
        const f = r[ko + i]!;
        if (f === 0) continue;
        const io = i * p;
        for (let j = i; j < p; j++) r[io + j] -= f * r[ko + j]!;
      }
    }
    // trailing update: r[i, j] -= Σ_{t in panel} r[t, i]·r[t, j] for k1 ≤ i ≤ j
    for (let i = k1; i < p; i++) {
      const io = i * p;
      let t = k0;
      for (; t + 3 < k1; t += 4) {
        const t0 = t * p;
        const t1 = t0 + p;
        const t2 = t1 + p;
        const t3 = t2 + p;
        const f0 = r[t0 + i]!;
        const f1 = r[t1 + i]!;
        const f2 = r[t2 + i]!;
        const f3 = r[t3 + i]!;
        for (let j = i; j < p; j++) r[io + j] -= f0 * r[t0 + j]! + f1 * r[t1 + j]! + f2 * r[t2 + j]! + f3 * r[t3 + j]!;
      }
      for (; t < k1; t++) {
        const to = t * p;
        const f = r[to + i]!;
        if (f === 0) continue;
        for (let j = i; j < p; j++) r[io + j] -= f * r[to + j]!;
      }
    }
  }
  return true;
}
