/**
 * Thin QR decomposition (Householder) of a tall n×k matrix stored column-major in a Float64Array,
 * as numpy's `np.linalg.qr(C)` (mode 'reduced') computes it: `C = Q R`, Q n×k with orthonormal
 * columns, R k×k upper triangular. Signs follow LAPACK's `dgeqrf` convention (the diagonal of R
 * is `-sign(a_jj)·‖a_j‖`), which does not affect any projection `Q Qᵀ` computed from it.
 */
import { GlowtsError } from "../core/errors.js";

/** Result of {@link thinQR}. Both matrices are column-major. */
export interface ThinQR {
  /** n×k, column j at `q[j*n .. (j+1)*n)`. */
  q: Float64Array;
  /** k×k upper triangular, column-major. */
  r: Float64Array;
  n: number;
  k: number;
}

/**
 * Householder thin QR of the column-major n×k matrix `a` (not modified).
 * @throws GlowtsError `SINGULAR` when n < k.
 */
export function thinQR(a: Float64Array, n: number, k: number): ThinQR {
  if (n < k) throw new GlowtsError("SINGULAR", `thinQR: ${n} rows is fewer than ${k} columns`);
  const w = Float64Array.from(a.subarray(0, n * k));
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const cj = j * n;
    let norm2 = 0;
    for (let i = j + 1; i < n; i++) norm2 += w[cj + i]! * w[cj + i]!;
    const alpha = w[cj + j]!;
    if (norm2 === 0) {
      tau[j] = 0; // already upper triangular in this column (H = I)
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, Math.sqrt(norm2));
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < n; i++) w[cj + i]! *= scale;
    w[cj + j] = beta;
    // Apply H_j = I - tau v vᵀ (v = [1, w[j+1..n)]) to the remaining columns.
    for (let c = j + 1; c < k; c++) {
      const cc = c * n;
      let s = w[cc + j]!;
      for (let i = j + 1; i < n; i++) s += w[cj + i]! * w[cc + i]!;
      s *= tau[j]!;
      w[cc + j]! -= s;
      for (let i = j + 1; i < n; i++) w[cc + i]! -= s * w[cj + i]!;
    }
  }
  const r = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let i = 0; i <= c; i++) r[c * k + i] = w[c * n + i]!;
  // Q = H_0 H_1 ... H_{k-1} [I_k; 0], accumulated backwards.
  const q = new Float64Array(n * k);
  for (let c = 0; c < k; c++) q[c * n + c] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const t = tau[j]!;
    if (t === 0) continue;
    const cj = j * n;
    for (let c = j; c < k; c++) {
      const cc = c * n;
      let s = q[cc + j]!;
      for (let i = j + 1; i < n; i++) s += w[cj + i]! * q[cc + i]!;
      s *= t;
      q[cc + j]! -= s;
      for (let i = j + 1; i < n; i++) q[cc + i]! -= s * w[cj + i]!;
    }
  }
  return { q, r, n, k };
}

/** Rank check on R: true when some |R_jj| ≤ tol · max |R_ii| (the columns are collinear). */
export function isRankDeficient(qr: ThinQR, tol = 1e-10): boolean {
  let mx = 0;
  for (let j = 0; j < qr.k; j++) mx = Math.max(mx, Math.abs(qr.r[j * qr.k + j]!));
  if (mx === 0) return qr.k > 0;
  for (let j = 0; j < qr.k; j++) if (Math.abs(qr.r[j * qr.k + j]!) <= tol * mx) return true;
  return false;
}
