/**
 * Dense helpers checked against the defining identities (A = QR with QᵀQ = I, A·A⁻¹ = I, the
 * Penrose conditions, A v = λ v) and against naive triple loops. Tolerances are stated per test.
 */
import { describe, expect, test } from "vitest";
import { crossRows, projectOutRows, weightedGram, combineColumns, crossVec } from "../../dist/linalg/block.js";
import { isRankDeficient, thinQR } from "../../dist/linalg/qr.js";
import { inverse, logAbsDet, pinvSymmetric, solve, solveUpperTriangular, symmetricEigen } from "../../dist/linalg/small.js";

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
}

/** Column-major p×q product A·B (naive). */
function matmul(a: Float64Array, b: Float64Array, p: number, r: number, q: number): Float64Array {
  const out = new Float64Array(p * q);
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) {
    let s = 0;
    for (let t = 0; t < r; t++) s += a[t * p + i]! * b[j * r + t]!;
    out[j * p + i] = s;
  }
  return out;
}
const transpose = (a: Float64Array, p: number, q: number): Float64Array => {
  const out = new Float64Array(p * q);
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) out[i * q + j] = a[j * p + i]!;
  return out;
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const identity = (p: number): Float64Array => { const e = new Float64Array(p * p); for (let i = 0; i < p; i++) e[i * p + i] = 1; return e; };

describe("thinQR (Householder)", () => {
  test("A = QR, QᵀQ = I, R upper triangular for a 200×6 matrix (abs 1e-13)", () => {
    const r = rng(3);
    const n = 200, k = 6;
    const a = new Float64Array(n * k).map(() => r() * 10);
    const qr = thinQR(a, n, k);
    expect(maxAbsDiff(matmul(qr.q, qr.r, n, k, k), a)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(transpose(qr.q, n, k), qr.q, k, n, k), identity(k))).toBeLessThan(1e-13);
    for (let j = 0; j < k; j++) for (let i = j + 1; i < k; i++) expect(qr.r[j * k + i]).toBe(0);
    expect(isRankDeficient(qr)).toBe(false);
  });

  test("collinear columns are detected", () => {
    const n = 50;
    const a = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) { a[i] = 1; a[n + i] = i; a[2 * n + i] = 2 * i + 3; }
    expect(isRankDeficient(thinQR(a, n, 3))).toBe(true);
  });
});

describe("small p×p helpers", () => {
  const r = rng(11);
  const p = 5;
  const m = new Float64Array(p * p).map(() => r());
  // SPD: MᵀM + I
  const spd = matmul(transpose(m, p, p), m, p, p, p);
  for (let i = 0; i < p; i++) spd[i * p + i]! += 1;

  test("inverse: A·A⁻¹ = I (abs 1e-13); solve agrees with A⁻¹b", () => {
    expect(maxAbsDiff(matmul(spd, inverse(spd, p), p, p, p), identity(p))).toBeLessThan(1e-13);
    const b = Float64Array.from([1, 2, 3, 4, 5]);
    const x = solve(m, b, p);
    expect(maxAbsDiff(matmul(m, x, p, p, 1), b)).toBeLessThan(1e-12);
  });

  test("inverse and solve throw on an exactly singular matrix", () => {
    const s = Float64Array.from([1, 2, 2, 4]);
    expect(() => inverse(s, 2)).toThrow(/singular/);
    expect(() => solve(s, Float64Array.of(1, 1), 2)).toThrow(/singular/);
  });

  test("symmetricEigen: A v = λ v and Σλ = trace (abs 1e-12); logAbsDet = Σ ln λ", () => {
    const { w, v } = symmetricEigen(spd, p);
    let trace = 0, sumW = 0, logDet = 0;
    for (let i = 0; i < p; i++) { trace += spd[i * p + i]!; sumW += w[i]!; logDet += Math.log(w[i]!); }
    expect(Math.abs(trace - sumW)).toBeLessThan(1e-12);
    for (let e = 0; e < p; e++) {
      const ve = v.subarray(e * p, (e + 1) * p);
      const av = matmul(spd, Float64Array.from(ve), p, p, 1);
      expect(maxAbsDiff(av, ve.map((x) => x * w[e]!))).toBeLessThan(1e-12);
    }
    expect(Math.abs(logAbsDet(spd, p) - logDet)).toBeLessThan(1e-12);
  });

  test("pinvSymmetric equals the inverse of an SPD matrix and satisfies the Penrose conditions on a singular one (abs 1e-12)", () => {
    expect(maxAbsDiff(pinvSymmetric(spd, p), inverse(spd, p))).toBeLessThan(1e-12);
    // rank-2 3×3: u uᵀ + v vᵀ
    const u = [1, 2, 3], vv = [0, 1, -1];
    const s = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s[j * 3 + i] = u[i]! * u[j]! + vv[i]! * vv[j]!;
    const g = pinvSymmetric(s, 3);
    expect(maxAbsDiff(matmul(matmul(s, g, 3, 3, 3), s, 3, 3, 3), s)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(matmul(g, s, 3, 3, 3), g, 3, 3, 3), g)).toBeLessThan(1e-12);
    expect(pinvSymmetric(Float64Array.of(0), 1)[0]).toBe(0);
  });

  test("solveUpperTriangular with a leading dimension", () => {
    // 3×3 storage, solve the leading 2×2 block [[2,1],[0,4]] x = [5, 8]
    const rr = Float64Array.from([2, 0, 0, 1, 4, 0, 9, 9, 9]);
    expect(Array.from(solveUpperTriangular(rr, [5, 8], 2, 3))).toEqual([1.5, 2]);
  });
});

describe("row-block kernels", () => {
  const r = rng(7);
  const n = 37, m = 9, p = 5, k = 3;
  const x = new Float64Array(m * n).map(() => r());
  const y = new Float64Array(p * n).map(() => r());

  test("crossRows equals the naive products (abs 1e-14)", () => {
    const out = crossRows(x, m, y, p, n);
    for (let v = 0; v < m; v++) for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[v * n + i]! * y[j * n + i]!;
      expect(Math.abs(out[v * p + j]! - s)).toBeLessThan(1e-14);
    }
  });

  test("projectOutRows leaves rows orthogonal to the basis and equal to x − Q(Qᵀx) (abs 1e-14)", () => {
    const c = new Float64Array(n * k).map(() => r());
    const { q } = thinQR(c, n, k);
    const xr = Float64Array.from(x);
    projectOutRows(xr, m, q, k, n);
    const qtx = crossRows(xr, m, q, k, n);
    expect(maxAbsDiff(qtx, new Float64Array(m * k))).toBeLessThan(1e-14);
    const coef = crossRows(x, m, q, k, n);
    for (let v = 0; v < m; v++) {
      const fit = combineColumns(q, n, k, coef.subarray(v * k, (v + 1) * k));
      for (let i = 0; i < n; i++) expect(Math.abs(xr[v * n + i]! - (x[v * n + i]! - fit[i]!))).toBeLessThan(1e-14);
    }
  });

  test("weightedGram and crossVec equal CᵀWC and Cᵀy (abs 1e-13)", () => {
    const c = new Float64Array(n * k).map(() => r());
    const w = new Float64Array(n).map(() => Math.abs(r()));
    const g = weightedGram(c, n, k, w);
    const wc = new Float64Array(n * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) wc[j * n + i] = w[i]! * c[j * n + i]!;
    expect(maxAbsDiff(g, matmul(transpose(c, n, k), wc, k, n, k))).toBeLessThan(1e-13);
    expect(maxAbsDiff(crossVec(c, n, k, y), matmul(transpose(c, n, k), y.subarray(0, n), k, n, 1))).toBeLessThan(1e-13);
  });
});
