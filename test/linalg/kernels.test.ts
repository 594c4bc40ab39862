/**
 * The WebAssembly (f64x2 SIMD) kernels against the plain-TypeScript reference kernels on random
 * inputs (odd and even lengths, tile remainders, more rows than one accumulator pass holds), and
 * the reference against naive loops. Tolerance: 1e-12 relative (in fact both sum in the same
 * canonical order, so they agree exactly; the test states the contract, not the implementation).
 */
import { describe, expect, test } from "vitest";
import { jsKernels, kernels, modalListLength, modalPanels, modalPanelLength, wasmKernels } from "../../dist/linalg/kernels.js";
import { genotypeStatesColumn } from "../../dist/functions/genotype-states.js";
import { meanSubstituteColumn } from "../../dist/functions/mean-substitute.js";

const REL = 1e-12;

function random(len: number, seed: number): Float64Array {
  const a = new Float64Array(len);
  let s = seed;
  for (let i = 0; i < len; i++) {
    s = (s * 16807) % 2147483647;
    a[i] = (s / 2147483647 - 0.5) * 4;
  }
  return a;
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    worst = Math.max(worst, d === 0 ? 0 : d / Math.max(Math.abs(b[i]!), 1e-300));
  }
  return worst;
}

/** Naive A·Bᵀ (or Σa²·b) in plain sequential order, and Σ|terms| of each entry (its error scale). */
function naiveCross(a: Float64Array, m: number, b: Float64Array, p: number, n: number, square = false): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * p);
  const scale = new Float64Array(m * p);
  for (let v = 0; v < m; v++) for (let j = 0; j < p; j++) {
    let s = 0;
    let abs = 0;
    for (let i = 0; i < n; i++) { const x = a[v * n + i]!; const t = (square ? x * x : x) * b[j * n + i]!; s += t; abs += Math.abs(t); }
    value[v * p + j] = s;
    scale[v * p + j] = abs;
  }
  return { value, scale };
}

/** max |got − exact| / Σ|terms|: the relative error of a sum that may cancel. */
function maxScaled(got: ArrayLike<number>, exact: { value: Float64Array; scale: Float64Array }): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - exact.value[i]!) / exact.scale[i]!);
  return worst;
}

// (m, p, n): tile remainders in rows (m % 4) and in columns (p % 2), odd and even n, n below and
// above the 1024-sample cache chunk, and an m·p large enough to need several accumulator passes.
const SHAPES: [number, number, number][] = [[1, 1, 1], [1, 1, 2], [3, 2, 7], [4, 2, 8], [5, 3, 10], [7, 5, 1025], [9, 14, 2049], [13, 1, 3000], [17000, 5, 6]];

const W = wasmKernels();
if (!W) console.warn("kernels.test: WebAssembly SIMD is not available in this runtime; only the plain kernels are tested");

describe("linear-algebra kernels", () => {
  test("the kernels in use are the WebAssembly ones when the runtime supports SIMD", () => {
    expect(kernels().kind).toBe(W ? "wasm" : "js");
  });

  test("plain crossRows (with norms) equals naive sequential sums within 1e-12 of Σ|terms|", () => {
    for (const [m, p, n] of SHAPES.slice(0, 7)) {
      const a = random(m * n, 1 + m), b = random(p * n, 2 + p);
      const out = new Float64Array(m * p), norms = new Float64Array(m);
      jsKernels.crossRows(a, m, b, p, n, out, norms);
      expect(maxScaled(out, naiveCross(a, m, b, p, n))).toBeLessThanOrEqual(1e-12);
      const ones = new Float64Array(n).fill(1);
      expect(maxScaled(norms, naiveCross(a, m, ones, 1, n, true))).toBeLessThanOrEqual(1e-12);
    }
  });

  test.skipIf(!W)("wasm crossRows and norms vs plain, workspace and copied arguments (1e-12 relative)", () => {
    for (const [m, p, n] of SHAPES) {
      const a = random(m * n, 3 + n), b = random(p * n, 4 + m);
      const ref = new Float64Array(m * p), refNorms = new Float64Array(m);
      jsKernels.crossRows(a, m, b, p, n, ref, refNorms);
      // arguments in the kernel's memory (no copies)
      const [wa, wb, wo, wn] = W!.workspace([m * n, p * n, m * p, m]);
      wa!.set(a); wb!.set(b);
      W!.crossRows(wa!, m, wb!, p, n, wo!, wn!);
      expect(maxRel(wo!, ref), `m=${m} p=${p} n=${n}`).toBeLessThanOrEqual(REL);
      expect(maxRel(wn!, refNorms)).toBeLessThanOrEqual(REL);
      // ordinary arrays (copied in and out)
      const out = new Float64Array(m * p);
      W!.crossRows(a, m, b, p, n, out);
      expect(maxRel(out, ref)).toBeLessThanOrEqual(REL);
    }
  });

  test("crossRowsShifted: plain vs naive Σ(a − h)·b and Σ(a − h)² (1e-12 of Σ|terms|); wasm vs plain (1e-12 relative)", () => {
    for (const [m, p, n] of SHAPES) {
      const a = random(m * n, 13 + n), b = random(p * n, 14 + p), h = random(m, 15);
      const ref = new Float64Array(m * p), refNorms = new Float64Array(m);
      jsKernels.crossRowsShifted(a, m, h, b, p, n, ref, refNorms);
      if (m * n < 1e6) {
        const shifted = Float64Array.from(a, (x, i) => x - h[Math.floor(i / n)]!);
        expect(maxScaled(ref, naiveCross(shifted, m, b, p, n))).toBeLessThanOrEqual(1e-12);
        expect(maxScaled(refNorms, naiveCross(shifted, m, new Float64Array(n).fill(1), 1, n, true))).toBeLessThanOrEqual(1e-12);
      }
      if (!W) continue;
      const [wa, wh, wb, wo, wn] = W.workspace([m * n, m, p * n, m * p, m]);
      wa!.set(a); wh!.set(h); wb!.set(b);
      W.crossRowsShifted(wa!, m, wh!, wb!, p, n, wo!, wn!);
      expect(maxRel(wo!, ref), `m=${m} p=${p} n=${n}`).toBeLessThanOrEqual(REL);
      expect(maxRel(wn!, refNorms)).toBeLessThanOrEqual(REL);
      const out = new Float64Array(m * p);
      W.crossRowsShifted(a, m, h, b, p, n, out);
      expect(maxRel(out, ref)).toBeLessThanOrEqual(REL);
    }
  });

  test.skipIf(!W)("wasm crossRowsSquared vs plain (1e-12 relative); plain vs naive Σ a²·b (1e-12 of Σ|terms|)", () => {
    for (const [m, p, n] of SHAPES) {
      const a = random(m * n, 5 + n), b = random(p * n, 6 + p);
      const ref = new Float64Array(m * p);
      jsKernels.crossRowsSquared(a, m, b, p, n, ref);
      if (m * n < 1e6) expect(maxScaled(ref, naiveCross(a, m, b, p, n, true))).toBeLessThanOrEqual(1e-12);
      const out = new Float64Array(m * p);
      W!.crossRowsSquared(a, m, b, p, n, out);
      expect(maxRel(out, ref), `m=${m} p=${p} n=${n}`).toBeLessThanOrEqual(REL);
    }
  });

  test.skipIf(!W)("wasm subtractCombination vs plain (1e-12 relative), and the residual is orthogonal to q", () => {
    for (const [m, k, n] of [[1, 1, 1], [3, 2, 7], [5, 3, 10], [6, 4, 1001], [2, 5, 2048]] as [number, number, number][]) {
      // q: k orthonormal rows by Gram-Schmidt
      const q = random(k * n, 7 + k);
      for (let j = 0; j < k; j++) {
        for (let i = 0; i < j; i++) {
          let d = 0;
          for (let s = 0; s < n; s++) d += q[j * n + s]! * q[i * n + s]!;
          for (let s = 0; s < n; s++) q[j * n + s]! -= d * q[i * n + s]!;
        }
        let norm = 0;
        for (let s = 0; s < n; s++) norm += q[j * n + s]! ** 2;
        for (let s = 0; s < n; s++) q[j * n + s]! /= Math.sqrt(norm);
      }
      if (n < k) continue; // no k orthonormal rows of length n
      const x = random(m * n, 8 + m);
      const coef = new Float64Array(m * k);
      jsKernels.crossRows(x, m, q, k, n, coef);
      const ref = Float64Array.from(x);
      jsKernels.subtractCombination(ref, m, coef, q, k, n);
      const got = Float64Array.from(x);
      W!.subtractCombination(got, m, coef, q, k, n);
      expect(maxRel(got, ref)).toBeLessThanOrEqual(REL);
      const after = new Float64Array(m * k);
      jsKernels.crossRows(ref, m, q, k, n, after);
      for (const c of after) expect(Math.abs(c)).toBeLessThan(1e-12 * Math.sqrt(n) * 4);

    }
  });

  test.skipIf(!W)("a row's products do not depend on its position in the block (bit for bit)", () => {
    const n = 1537, p = 3, m = 11;
    const a = random(m * n, 10), b = random(p * n, 11);
    const all = new Float64Array(m * p);
    W!.crossRows(a, m, b, p, n, all);
    for (let v = 0; v < m; v++) {
      const one = new Float64Array(p);
      W!.crossRows(a.subarray(v * n, (v + 1) * n), 1, b, p, n, one);
      expect(Array.from(one)).toEqual(Array.from(all.subarray(v * p, (v + 1) * p)));
    }
  });

  test("bedMeanSubstituted equals meanSubstitute(genotypeStates) of the packed genotypes, bit for bit (plain and wasm)", () => {
    // random codes with ~10% missing, odd sample counts (1–3 samples in the last byte), a padded
    // block size, an all-missing variant and a variant with one called sample
    for (const [n, m, pad] of [[1, 3, 0], [2, 2, 0], [3, 4, 1], [4, 3, 0], [37, 5, 0], [10001, 7, 0], [64, 3, 2]] as [number, number, number][]) {
      const bpv = Math.ceil(n / 4) + pad;
      const bytes = new Uint8Array(m * bpv);
      let s = 12345 + n;
      for (let v = 0; v < m; v++) for (let i = 0; i < n; i++) {
        s = (s * 16807) % 2147483647;
        const u = s / 2147483647;
        let code = u < 0.1 ? 1 : u < 0.4 ? 0 : u < 0.7 ? 2 : 3;
        if (v === 1) code = 1; // all missing
        if (v === 2) code = i === 0 ? 2 : 1; // one called sample
        bytes[v * bpv + (i >> 2)]! |= code << (2 * (i & 3));
      }
      // reference: the column functions on the same bytes (lazy PLINK genotypes column)
      const gcol = { type: "genotypes", nSamples: n, sampleIds: null, fields: {}, encoded: { kind: "plink-bed", bytes, bytesPerVariant: bpv, numRows: m } };
      const expected = (meanSubstituteColumn(genotypeStatesColumn(gcol as never), -1) as { child: { values: Float64Array } }).child.values;
      const got = new Float64Array(m * n);
      jsKernels.bedMeanSubstituted(bytes, n, m, bpv, got);
      expect(Array.from(got)).toEqual(Array.from(expected));
      // a sample subset (shuffled, some samples twice): the full rows' values at those samples
      const index = Int32Array.from({ length: Math.max(1, n - 2) }, (_, t) => (t * 7919) % n);
      const subset = new Float64Array(m * index.length);
      for (let v = 0; v < m; v++) for (let t = 0; t < index.length; t++) subset[v * index.length + t] = expected[v * n + index[t]!]!;
      for (const K of W ? [jsKernels, W] : [jsKernels]) {
        const sub = new Float64Array(m * index.length).fill(NaN);
        K.bedMeanSubstitutedSubset(bytes, n, m, bpv, index, sub);
        expect(Array.from(sub), `${K.kind} subset n=${n} m=${m}`).toEqual(Array.from(subset));
      }
      expect(() => jsKernels.bedMeanSubstitutedSubset(bytes, n, m, bpv, Int32Array.of(n), new Float64Array(m))).toThrow(RangeError);
      if (W) {
        const w = new Float64Array(m * n).fill(NaN);
        W.bedMeanSubstituted(bytes, n, m, bpv, w);
        expect(Array.from(w), `n=${n} m=${m}`).toEqual(Array.from(expected));
        // input and output inside the kernels' memory
        const [region, out] = W.workspace([Math.ceil(bytes.length / 8), m * n]);
        const view = W.bytesView(region!, bytes.length);
        view.set(bytes);
        W.bedMeanSubstituted(view, n, m, bpv, out!);
        expect(Array.from(out!)).toEqual(Array.from(expected));
      }
    }
  });

  test("bedMeanSubstitutedSubset beyond one scratch chunk of samples (300,001 samples): wasm = plain = decode then keep", () => {
    const n = 300_001, m = 3;
    const bpv = Math.ceil(n / 4);
    const bytes = new Uint8Array(m * bpv);
    let seed = 4242;
    for (let i = 0; i < bytes.length; i++) { seed = (seed * 16807) % 2147483647; bytes[i] = seed & 255; }
    const full = new Float64Array(m * n);
    jsKernels.bedMeanSubstituted(bytes, n, m, bpv, full);
    const index = Int32Array.from({ length: 290_000 }, (_, t) => (t * 104729) % n);
    const want = new Float64Array(m * index.length);
    for (let v = 0; v < m; v++) for (let t = 0; t < index.length; t++) want[v * index.length + t] = full[v * n + index[t]!]!;
    for (const K of W ? [jsKernels, W] : [jsKernels]) {
      const got = new Float64Array(m * index.length).fill(NaN);
      K.bedMeanSubstitutedSubset(bytes, n, m, bpv, index, got);
      let same = true;
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) { same = false; break; }
      expect(same, K.kind).toBe(true);
    }
  });

  test("modal products of genotype rows: naive x·B, Σx and Σ(x − mean)² within 1e-12 of Σ|terms|; wasm and plain, packed and decoded, agree bit for bit", () => {
    // genotype-like rows (0/1/2, ~8% missing → the row mean), modal value 0, 1 or 2, ties, an
    // all-missing row (−1), a row whose mean is exactly 1, odd n, r odd and above 8 columns; the
    // last two sizes span several sample chunks and row groups of the packed wasm kernel
    for (const [n, m, r] of [[1, 2, 1], [5, 3, 2], [37, 6, 3], [301, 9, 14], [1001, 5, 17], [64, 4, 8], [3001, 400, 14], [2050, 230, 20]] as [number, number, number][]) {
      const bpv = Math.ceil(n / 4);
      const bytes = new Uint8Array(m * bpv);
      let seed = 777 + n;
      for (let v = 0; v < m; v++) {
        const f = [0.1, 0.5, 0.9, 0.3, 0.5, 0.7, 0.2, 0.6, 0.4][v % 9]!;
        for (let i = 0; i < n; i++) {
          seed = (seed * 16807) % 2147483647;
          const u = seed / 2147483647;
          let code = u < 0.08 ? 1 : u < 0.08 + 0.92 * f * f ? 0 : u < 0.08 + 0.92 * (f * f + 2 * f * (1 - f)) ? 2 : 3;
          if (v === 1) code = 1;
          if (v === 2) code = i === 0 ? 1 : i % 2 === 0 ? 0 : 3; // mean exactly 1 (for odd n−1 ≥ 2)
          bytes[v * bpv + (i >> 2)]! |= code << (2 * (i & 3));
        }
      }
      const x = new Float64Array(m * n);
      jsKernels.bedMeanSubstituted(bytes, n, m, bpv, x);
      const rows = random(r * n, 99 + r); // B[s, j] = rows[j*n + s]
      const bt = modalPanels(rows, r, n, new Float64Array(modalPanelLength(n, r)).fill(NaN));
      const colSums = new Float64Array(r);
      for (let s = 0; s < n; s++) for (let j = 0; j < r; j++) colSums[j] += rows[j * n + s]!;
      const outRow = r + 2;
      const run = (K: typeof jsKernels, packed: boolean, f32: boolean) => {
        const out = new Float64Array(m * outRow).fill(NaN);
        const sums = new Float64Array(m);
        const norms = new Float64Array(m);
        const list = new Float64Array(modalListLength(n));
        const xs = f32 ? x.map((t) => Math.fround(t)) : x;
        if (packed) K.bedModalCross(bytes, n, m, bpv, f32, bt, r, colSums, out, outRow, sums, norms, list);
        else K.modalCross(xs, m, n, bt, r, colSums, out, outRow, sums, norms, list);
        return { out: Array.from(out), sums: Array.from(sums), norms: Array.from(norms) };
      };
      const ref = run(jsKernels, false, false);
      let worst = 0;
      for (let v = 0; v < m; v++) {
        let sx = 0;
        for (let s = 0; s < n; s++) sx += x[v * n + s]!;
        const mu = sx / n;
        let q = 0, qa = 0;
        for (let s = 0; s < n; s++) { const d = x[v * n + s]! - mu; q += d * d; qa += d * d; }
        worst = Math.max(worst, Math.abs(ref.sums[v]! - sx) / Math.max(1, n), Math.abs(ref.norms[v]! - q) / Math.max(qa, 1e-300) * (qa > 0 ? 1 : 0));
        for (let j = 0; j < r; j++) {
          let e = 0, a = 0;
          for (let s = 0; s < n; s++) { const t = x[v * n + s]! * rows[j * n + s]!; e += t; a += Math.abs(t); }
          worst = Math.max(worst, Math.abs(ref.out[v * outRow + j]! - e) / Math.max(a, 1e-300));
        }
      }
      expect(worst, `n=${n} m=${m} r=${r}`).toBeLessThan(1e-12);
      expect(run(jsKernels, true, false)).toEqual(ref);
      expect(run(jsKernels, true, true)).toEqual(run(jsKernels, false, true));
      if (W) {
        expect(run(W, false, false), `wasm n=${n} r=${r}`).toEqual(ref);
        expect(run(W, true, false), `wasm packed n=${n} r=${r}`).toEqual(ref);
        expect(run(W, true, true)).toEqual(run(jsKernels, false, true));
      }
    }
  });

  test.skipIf(!W)("a wasm workspace beyond the 4 GB address space is a RangeError (callers then fall back to the plain kernels)", () => {
    expect(() => W!.workspace([6e8])).toThrow(RangeError);
    // still usable afterwards
    const [a] = W!.workspace([4]);
    expect(a).toHaveLength(4);
  });

  test("wrong sizes are rejected with a RangeError naming the argument", () => {
    for (const K of W ? [jsKernels, W] : [jsKernels]) {
      expect(() => K.crossRows(new Float64Array(5), 2, new Float64Array(3), 1, 3, new Float64Array(2))).toThrow(/a has 5 elements, needs 6/);
    }
  });
});

/** A random symmetric positive definite p×p matrix (row-major): B·Bᵀ/k + diag, well conditioned. */
function randomSpd(p: number, seed: number): Float64Array {
  const k = p + 3;
  const b = random(p * k, seed);
  const a = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += b[i * k + t]! * b[j * k + t]!;
    a[i * p + j] = s / k + (i === j ? 1 : 0);
  }
  return a;
}

// Gram shapes: m below/above/not a multiple of the 128-column block and above the 512 rows one
// accumulator pass holds; odd and even n.
const GRAM_SHAPES: [number, number][] = [[1, 1], [2, 3], [5, 8], [129, 9], [140, 1025], [700, 6]];
// Cholesky sizes: below, at and not multiples of the 32-row panel and of the 4-row groups.
const CHOL_SIZES = [1, 2, 3, 5, 31, 32, 33, 66, 131];

describe("Gram and Cholesky kernels (GloWGR)", () => {
  test("plain gram equals naive sequential sums within 1e-12 of Σ|terms| and is exactly symmetric", () => {
    for (const [m, n] of GRAM_SHAPES) {
      const a = random(m * n, 11 + m);
      const out = new Float64Array(m * m);
      jsKernels.gram(a, m, n, out);
      expect(maxScaled(out, naiveCross(a, m, a, m, n))).toBeLessThanOrEqual(1e-12);
      for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) expect(out[i * m + j]).toBe(out[j * m + i]);
    }
  });

  test.skipIf(!W)("wasm gram vs plain, copied and workspace arguments (1e-12 relative)", () => {
    for (const [m, n] of GRAM_SHAPES) {
      const a = random(m * n, 21 + n);
      const ref = new Float64Array(m * m);
      jsKernels.gram(a, m, n, ref);
      const out = new Float64Array(m * m);
      W!.gram(a, m, n, out);
      expect(maxRel(out, ref)).toBeLessThanOrEqual(REL);
      const [wa, wout] = W!.workspace([m * n, m * m]);
      wa!.set(a);
      W!.gram(wa!, m, n, wout!);
      expect(maxRel(wout!, ref)).toBeLessThanOrEqual(REL);
    }
  });

  test("plain Cholesky: RᵀR reproduces A within 1e-12 of its scale", () => {
    for (const p of CHOL_SIZES) {
      const a = randomSpd(p, 31 + p);
      const r = Float64Array.from(a);
      expect(jsKernels.choleskyUpper(r, p)).toBe(true);
      let worst = 0;
      for (let i = 0; i < p; i++) for (let j = i; j < p; j++) {
        let s = 0;
        let abs = 0;
        for (let t = 0; t <= i; t++) { const x = r[t * p + i]! * r[t * p + j]!; s += x; abs += Math.abs(x); }
        worst = Math.max(worst, Math.abs(s - a[i * p + j]!) / abs);
      }
      expect(worst).toBeLessThanOrEqual(1e-12);
    }
  });

  test.skipIf(!W)("wasm Cholesky vs plain (upper triangle, 1e-12 relative); both reject a matrix that is not positive definite", () => {
    for (const p of CHOL_SIZES) {
      const a = randomSpd(p, 41 + p);
      const ref = Float64Array.from(a);
      expect(jsKernels.choleskyUpper(ref, p)).toBe(true);
      const got = Float64Array.from(a);
      expect(W!.choleskyUpper(got, p)).toBe(true);
      const upper = (x: Float64Array): number[] => { const u: number[] = []; for (let i = 0; i < p; i++) for (let j = i; j < p; j++) u.push(x[i * p + j]!); return u; };
      expect(maxRel(upper(got), upper(ref))).toBeLessThanOrEqual(REL);
    }
    for (const K of [jsKernels, W!]) {
      const bad = randomSpd(40, 7);
      bad[35 * 40 + 35] = -1; // a negative pivot at row 35 (after the first panel)
      expect(K.choleskyUpper(bad, 40)).toBe(false);
    }
  });

  test("wrong sizes of gram and Cholesky are rejected with a RangeError naming the argument", () => {
    for (const K of W ? [jsKernels, W] : [jsKernels]) {
      expect(() => K.gram(new Float64Array(5), 2, 3, new Float64Array(4))).toThrow(/a has 5 elements, needs 6/);
      expect(() => K.choleskyUpper(new Float64Array(8), 3)).toThrow(/r has 8 elements, needs 9/);
    }
  });
});
