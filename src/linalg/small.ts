/**
 * Helpers for small dense p×p matrices (covariate counts: p ≲ 50), column-major Float64Array.
 * Symmetric matrices are stored full. Everything allocates only its result.
 */
import { GlowtsError } from "../core/errors.js";

/**
 * Inverse of a general p×p matrix by Gauss-Jordan elimination with partial pivoting
 * (what `np.linalg.inv` / LAPACK `getri` compute, up to rounding).
 * @throws GlowtsError `SINGULAR` when a pivot is exactly zero or not finite.
 */
export function inverse(a: Float64Array, p: number, caller = "inverse"): Float64Array {
  const m = Float64Array.from(a.subarray(0, p * p));
  const inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) inv[i * p + i] = 1;
  for (let c = 0; c < p; c++) {
    let piv = c;
    let best = Math.abs(m[c * p + c]!);
    for (let r = c + 1; r < p; r++) {
      const v = Math.abs(m[c * p + r]!);
      if (v > best) { best = v; piv = r; }
    }
    if (!(best > 0) || !Number.isFinite(best)) throw new GlowtsError("SINGULAR", `${caller}: matrix is singular`);
    if (piv !== c) {
      for (let j = 0; j < p; j++) {
        const t1 = m[j * p + c]!; m[j * p + c] = m[j * p + piv]!; m[j * p + piv] = t1;
        const t2 = inv[j * p + c]!; inv[j * p + c] = inv[j * p + piv]!; inv[j * p + piv] = t2;
      }
    }
    const d = 1 / m[c * p + c]!;
    for (let j = 0; j < p; j++) { m[j * p + c]! *= d; inv[j * p + c]! *= d; }
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = m[c * p + r]!;
      if (f === 0) continue;
      for (let j = 0; j < p; j++) {
        m[j * p + r]! -= f * m[j * p + c]!;
        inv[j * p + r]! -= f * inv[j * p + c]!;
      }
    }
  }
  return inv;
}

/** Solves `A x = b` for a general p×p `a` (LU with partial pivoting). Returns x. */
export function solve(a: Float64Array, b: Float64Array, p: number, caller = "solve"): Float64Array {
  const m = Float64Array.from(a.subarray(0, p * p));
  const x = Float64Array.from(b.subarray(0, p));
  for (let c = 0; c < p; c++) {
    let piv = c;
    let best = Math.abs(m[c * p + c]!);
    for (let r = c + 1; r < p; r++) {
      const v = Math.abs(m[c * p + r]!);
      if (v > best) { best = v; piv = r; }
    }
    if (!(best > 0) || !Number.isFinite(best)) throw new GlowtsError("SINGULAR", `${caller}: matrix is singular`);
    if (piv !== c) {
      for (let j = 0; j < p; j++) { const t = m[j * p + c]!; m[j * p + c] = m[j * p + piv]!; m[j * p + piv] = t; }
      const t = x[c]!; x[c] = x[piv]!; x[piv] = t;
    }
    const d = m[c * p + c]!;
    for (let r = c + 1; r < p; r++) {
      const f = m[c * p + r]! / d;
      if (f === 0) continue;
      for (let j = c; j < p; j++) m[j * p + r]! -= f * m[j * p + c]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = p - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let j = r + 1; j < p; j++) s -= m[j * p + r]! * x[j]!;
    x[r] = s / m[r * p + r]!;
  }
  return x;
}

/** ln |det A| of a general p×p matrix (LU). -Infinity when singular. */
export function logAbsDet(a: Float64Array, p: number): number {
  const m = Float64Array.from(a.subarray(0, p * p));
  let s = 0;
  for (let c = 0; c < p; c++) {
    let piv = c;
    let best = Math.abs(m[c * p + c]!);
    for (let r = c + 1; r < p; r++) {
      const v = Math.abs(m[c * p + r]!);
      if (v > best) { best = v; piv = r; }
    }
    if (best === 0) return -Infinity;
    if (piv !== c) for (let j = c; j < p; j++) { const t = m[j * p + c]!; m[j * p + c] = m[j * p + piv]!; m[j * p + piv] = t; }
    const d = m[c * p + c]!;
    s += Math.log(Math.abs(d));
    for (let r = c + 1; r < p; r++) {
      const f = m[c * p + r]! / d;
      if (f === 0) continue;
      for (let j = c + 1; j < p; j++) m[j * p + r]! -= f * m[j * p + c]!;
    }
  }
  return s;
}

/**
 * Eigen-decomposition of a symmetric p×p matrix by cyclic Jacobi rotations.
 * @returns eigenvalues `w` and eigenvectors `v` (column-major, column i pairs with w[i]).
 */
export function symmetricEigen(a: Float64Array, p: number): { w: Float64Array; v: Float64Array } {
  const m = Float64Array.from(a.subarray(0, p * p));
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let j = 0; j < p; j++) {
      diag += m[j * p + j]! * m[j * p + j]!;
      for (let i = 0; i < j; i++) off += m[j * p + i]! * m[j * p + i]!;
    }
    if (off <= 1e-34 * diag || off === 0) break;
    for (let q = 1; q < p; q++) {
      for (let r = 0; r < q; r++) {
        const apq = m[q * p + r]!;
        if (apq === 0) continue;
        const app = m[r * p + r]!;
        const aqq = m[q * p + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const mkr = m[r * p + k]!;
          const mkq = m[q * p + k]!;
          m[r * p + k] = c * mkr - s * mkq;
          m[q * p + k] = s * mkr + c * mkq;
        }
        for (let k = 0; k < p; k++) {
          const mrk = m[k * p + r]!;
          const mqk = m[k * p + q]!;
          m[k * p + r] = c * mrk - s * mqk;
          m[k * p + q] = s * mrk + c * mqk;
        }
        for (let k = 0; k < p; k++) {
          const vkr = v[r * p + k]!;
          const vkq = v[q * p + k]!;
          v[r * p + k] = c * vkr - s * vkq;
          v[q * p + k] = s * vkr + c * vkq;
        }
      }
    }
  }
  const w = new Float64Array(p);
  for (let i = 0; i < p; i++) w[i] = m[i * p + i]!;
  return { w, v };
}

/**
 * Moore-Penrose pseudo-inverse of a symmetric p×p matrix, as `np.linalg.pinv` (singular values
 * below `rcond · max σ` are treated as zero; numpy's default rcond is 1e-15).
 */
export function pinvSymmetric(a: Float64Array, p: number, rcond = 1e-15): Float64Array {
  if (p === 1) {
    const x = a[0]!;
    return Float64Array.of(x !== 0 && Number.isFinite(x) ? 1 / x : 0);
  }
  const { w, v } = symmetricEigen(a, p);
  let mx = 0;
  for (let i = 0; i < p; i++) mx = Math.max(mx, Math.abs(w[i]!));
  const cut = rcond * mx;
  const out = new Float64Array(p * p);
  for (let e = 0; e < p; e++) {
    const we = w[e]!;
    if (!(Math.abs(we) > cut)) continue;
    const inv = 1 / we;
    const ve = e * p;
    for (let j = 0; j < p; j++) {
      const f = inv * v[ve + j]!;
      for (let i = 0; i < p; i++) out[j * p + i]! += v[ve + i]! * f;
    }
  }
  return out;
}

/** y = A x for a p×q column-major `a`. */
export function matVec(a: Float64Array, x: ArrayLike<number>, p: number, q: number, out = new Float64Array(p)): Float64Array {
  out.fill(0);
  for (let j = 0; j < q; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    const cj = j * p;
    for (let i = 0; i < p; i++) out[i]! += a[cj + i]! * xj;
  }
  return out;
}

/** Solves `R x = b` for an upper-triangular p×p `r` (column-major, leading dimension `ld`). */
export function solveUpperTriangular(r: Float64Array, b: ArrayLike<number>, p: number, ld = p): Float64Array {
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < p; j++) s -= r[j * ld + i]! * x[j]!;
    x[i] = s / r[i * ld + i]!;
  }
  return x;
}
