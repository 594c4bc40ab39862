/**
 * The hot kernels of the GWAS (row-block products A·Bᵀ with row norms, centred and weighted
 * variants, the rank-k residualization update, and packed PLINK genotypes → mean-substituted
 * values), behind one small interface with two implementations:
 *
 * - `wasm`: WebAssembly with f64x2 SIMD, compiled from AssemblyScript (`./wasm/kernels.as`, built
 *   into `./wasm/kernels-wasm.ts` by `./wasm/build.mjs`). Several times faster than plain loops.
 * - `js`: plain TypeScript loops, the reference the wasm kernels are tested against, and the
 *   fallback where WebAssembly SIMD is unavailable (or with `GLOWTS_KERNELS=js`).
 *
 * Both sum every dot product in the same canonical order (two lanes: even samples and odd
 * samples, each in sample order; lane0 + lane1; then the last product when n is odd; no fused
 * multiply-add), so they agree bit for bit and an entry never depends on where its row falls in a
 * block (results do not depend on batching).
 *
 * Layout: a "row block" is `m` rows of `n` f64 stored back to back (`a[v*n + s]`), e.g. a block of
 * variants × samples, trait-major phenotypes, or the columns of a column-major n×k matrix.
 *
 * Memory: the wasm kernels work in their own linear memory. Arrays obtained from
 * {@link Kernels.workspace} live there and are used without copying; any other array is copied
 * in (and the outputs back out), which is correct but slower and may move the memory (detaching
 * earlier workspace views). So pass either only workspace arrays, or none.
 */
import { KERNELS_WASM_BASE64 } from "./wasm/kernels-wasm.js";
import { BED_BYTE_CALLED, BED_BYTE_CALLED_SUM, BED_CODE_MISSING, BED_CODE_STATES } from "../io/plink/bed-codec.js";

/** The kernel set (see the module documentation). */
export interface Kernels {
  /** Which implementation this is. */
  readonly kind: "wasm" | "js";
  /**
   * Float64Array buffers of the given lengths that the kernels use without copying (views of the
   * WebAssembly memory for `wasm`). Their contents are unspecified (stale data from an earlier
   * use): callers overwrite them. They stay valid until the next `workspace` call of this kernel
   * set on this thread.
   */
  workspace(lengths: readonly number[]): Float64Array[];
  /**
   * `out[v*p + j] = Σ_s a[v*n+s]·b[j*n+s]` (A·Bᵀ of an m×n and a p×n row block) and, when `norms`
   * is given, `norms[v] = Σ_s a[v*n+s]²`.
   */
  crossRows(a: Float64Array, m: number, b: Float64Array, p: number, n: number, out: Float64Array, norms?: Float64Array | null): void;
  /**
   * {@link Kernels.crossRows} of the shifted rows `a[v*n+s] − shift[v]` (each difference rounded
   * once, then multiplied), and their sums of squares in `norms` when given: products of centred
   * rows without writing them.
   */
  crossRowsShifted(a: Float64Array, m: number, shift: Float64Array, b: Float64Array, p: number, n: number, out: Float64Array, norms?: Float64Array | null): void;
  /** `out[v*p + j] = Σ_s a[v*n+s]²·b[j*n+s]` (weighted sums of squares, e.g. Σ γ x²). */
  crossRowsSquared(a: Float64Array, m: number, b: Float64Array, p: number, n: number, out: Float64Array): void;
  /**
   * In place, `x[v*n+s] −= coef[v*k+j]·q[j*n+s]` for j = 0..k−1 in order (each product rounded
   * and subtracted): with `coef = x·qᵀ` and orthonormal rows `q`, removes their span from x.
   */
  subtractCombination(x: Float64Array, m: number, coef: Float64Array, q: Float64Array, k: number, n: number): void;
  /**
   * `meanSubstitute(genotypeStates(g))` (missingValue −1) of `numRows` packed PLINK .bed variants
   * (`bytesPerVariant` bytes each, 2 bits per sample, Glow's codes 00 → 2, 10 → 1, 11 → 0,
   * 01 → missing) as an m×n f64 block: missing samples get the mean of the called states, or −1
   * when none is called. Exact: equal to the two column functions' result.
   */
  bedMeanSubstituted(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, out: Float64Array): void;
  /**
   * {@link Kernels.bedMeanSubstituted} keeping only the samples `index` (row v at `out[v·index.length ..]`);
   * the missing calls still take the mean over all `nSamples`. Equal bit for bit to decoding every
   * sample and then keeping the listed ones.
   */
  bedMeanSubstitutedSubset(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, index: Int32Array, out: Float64Array): void;
  /**
   * A byte buffer inside the kernels' memory (for `bedMeanSubstituted`'s input), carved from a
   * Float64Array obtained from {@link Kernels.workspace} with ≥ ⌈bytes/8⌉ elements.
   */
  bytesView(region: Float64Array, bytes: number): Uint8Array;
  /**
   * Modal products of `m` dense rows `a` (m×n) with the `r` columns of the block B (n samples × r)
   * stored in panels of 16 columns, `bt[(⌊j/16⌋·n + s)·16 + j mod 16]` = B[s, j] (see
   * {@link modalPanels}): with c the row's modal value among 0, 1, 2 (the one most samples have
   * exactly; ties to the smaller), `out[v*outRow + j] = c·colSums[j] + Σ_{s: x_s ≠ c} (x_s − c)·B[s, j]`, `sums[v]` = Σx and `norms[v]` = Σ(x − Σx/n)², summed in the
   * canonical order of the modal products (kernels.as): genotype rows skip most samples. `list` is
   * scratch of ≥ {@link modalListLength}(n) elements.
   */
  modalCross(a: Float64Array, m: number, n: number, bt: Float64Array, r: number, colSums: Float64Array,
    out: Float64Array, outRow: number, sums: Float64Array, norms: Float64Array, list: Float64Array): void;
  /**
   * {@link Kernels.modalCross} of the rows `meanSubstitute(genotypeStates)` (missingValue −1, each
   * value rounded to f32 when `f32`) of `numRows` packed PLINK .bed variants, without writing them:
   * the same results bit for bit as decoding them with {@link Kernels.bedMeanSubstituted} first.
   */
  bedModalCross(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, f32: boolean,
    bt: Float64Array, r: number, colSums: Float64Array, out: Float64Array, outRow: number,
    sums: Float64Array, norms: Float64Array, list: Float64Array): void;
  /**
   * Gram matrix of a row block: `out[i*m + j] = Σ_s a[i*n+s]·a[j*n+s]` (A·Aᵀ, m×m, symmetric:
   * each pair computed once in the canonical order and stored at both places).
   */
  gram(a: Float64Array, m: number, n: number, out: Float64Array): void;
  /**
   * In-place Cholesky factorization of a symmetric p×p row-major matrix (upper triangle read;
   * afterwards it holds R with A = RᵀR), blocked right-looking with panels of {@link CHOLESKY_PANEL}
   * rows. Both implementations do each element's arithmetic identically (bit-for-bit equal).
   * Returns false when a pivot is not positive (the matrix is then partly overwritten).
   */
  choleskyUpper(r: Float64Array, p: number): boolean;
}

/** Panel width (rows) of the blocked Cholesky factorization. */
export const CHOLESKY_PANEL = 32;

/** Columns of the Gram matrix computed per pass (their rows stay in L2 across a sample chunk). */
const GRAM_COLS = 128;
/** Samples per cache chunk of the wasm Gram product (GRAM_COLS rows of it fit in L2). */
const GRAM_CHUNK = 128;

function checkSizes(what: string, pairs: [Float64Array, number, string][]): void {
  for (const [arr, need, name] of pairs) {
    if (arr.length < need) throw new RangeError(`${what}: ${name} has ${arr.length} elements, needs ${need}`);
  }
}

// ------------------------------------------------------------------------------------ plain TS

/** Canonical dot product of `a[ao..ao+n)`·`b[bo..bo+n)`. */
function dotCanonical(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  const n2 = n & ~1;
  for (let s = 0; s < n2; s += 2) {
    s0 += a[ao + s]! * b[bo + s]!;
    s1 += a[ao + s + 1]! * b[bo + s + 1]!;
  }
  let r = s0 + s1;
  if (n2 < n) r += a[ao + n2]! * b[bo + n2]!;
  return r;
}

function dotSquaredCanonical(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  const n2 = n & ~1;
  for (let s = 0; s < n2; s += 2) {
    const x0 = a[ao + s]!;
    const x1 = a[ao + s + 1]!;
    s0 += (x0 * x0) * b[bo + s]!;
    s1 += (x1 * x1) * b[bo + s + 1]!;
  }
  let r = s0 + s1;
  if (n2 < n) { const x = a[ao + n2]!; r += (x * x) * b[bo + n2]!; }
  return r;
}

/** Two rows of A against two rows of B at once (each loaded element used twice), canonical order. */
function crossRowsJs(a: Float64Array, m: number, b: Float64Array, p: number, n: number, out: Float64Array, norms?: Float64Array | null): void {
  checkSizes("crossRows", [[a, m * n, "a"], [b, p * n, "b"], [out, m * p, "out"], ...(norms ? [[norms, m, "norms"] as [Float64Array, number, string]] : [])]);
  const n2 = n & ~1;
  let v = 0;
  for (; v + 1 < m; v += 2) {
    const a0 = v * n;
    const a1 = a0 + n;
    let j = 0;
    for (; j + 1 < p; j += 2) {
      const b0 = j * n;
      const b1 = b0 + n;
      let e00 = 0, o00 = 0, e01 = 0, o01 = 0, e10 = 0, o10 = 0, e11 = 0, o11 = 0;
      for (let s = 0; s < n2; s += 2) {
        const x0 = a[a0 + s]!, x0o = a[a0 + s + 1]!;
        const x1 = a[a1 + s]!, x1o = a[a1 + s + 1]!;
        const y0 = b[b0 + s]!, y0o = b[b0 + s + 1]!;
        const y1 = b[b1 + s]!, y1o = b[b1 + s + 1]!;
        e00 += x0 * y0; o00 += x0o * y0o;
        e01 += x0 * y1; o01 += x0o * y1o;
        e10 += x1 * y0; o10 += x1o * y0o;
        e11 += x1 * y1; o11 += x1o * y1o;
      }
      let r00 = e00 + o00, r01 = e01 + o01, r10 = e10 + o10, r11 = e11 + o11;
      if (n2 < n) {
        r00 += a[a0 + n2]! * b[b0 + n2]!; r01 += a[a0 + n2]! * b[b1 + n2]!;
        r10 += a[a1 + n2]! * b[b0 + n2]!; r11 += a[a1 + n2]! * b[b1 + n2]!;
      }
      out[v * p + j] = r00; out[v * p + j + 1] = r01;
      out[(v + 1) * p + j] = r10; out[(v + 1) * p + j + 1] = r11;
    }
    for (; j < p; j++) {
      out[v * p + j] = dotCanonical(a, a0, b, j * n, n);
      out[(v + 1) * p + j] = dotCanonical(a, a1, b, j * n, n);
    }
  }
  for (; v < m; v++) for (let j = 0; j < p; j++) out[v * p + j] = dotCanonical(a, v * n, b, j * n, n);
  if (norms) for (let r = 0; r < m; r++) norms[r] = dotCanonical(a, r * n, a, r * n, n);
}

/** Canonical Σ (a − h)·b over `a[ao..ao+n)`, `b[bo..bo+n)`. */
function dotShiftedCanonical(a: Float64Array, ao: number, h: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  const n2 = n & ~1;
  for (let s = 0; s < n2; s += 2) {
    s0 += (a[ao + s]! - h) * b[bo + s]!;
    s1 += (a[ao + s + 1]! - h) * b[bo + s + 1]!;
  }
  let r = s0 + s1;
  if (n2 < n) r += (a[ao + n2]! - h) * b[bo + n2]!;
  return r;
}

/** Canonical Σ (a − h)². */
function sumSquaresShiftedCanonical(a: Float64Array, ao: number, h: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  const n2 = n & ~1;
  for (let s = 0; s < n2; s += 2) {
    const d0 = a[ao + s]! - h;
    const d1 = a[ao + s + 1]! - h;
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  let r = s0 + s1;
  if (n2 < n) { const d = a[ao + n2]! - h; r += d * d; }
  return r;
}

function crossRowsShiftedJs(a: Float64Array, m: number, shift: Float64Array, b: Float64Array, p: number, n: number, out: Float64Array, norms?: Float64Array | null): void {
  checkSizes("crossRowsShifted", [[a, m * n, "a"], [shift, m, "shift"], [b, p * n, "b"], [out, m * p, "out"], ...(norms ? [[norms, m, "norms"] as [Float64Array, number, string]] : [])]);
  for (let v = 0; v < m; v++) {
    const h = shift[v]!;
    for (let j = 0; j < p; j++) out[v * p + j] = dotShiftedCanonical(a, v * n, h, b, j * n, n);
    if (norms) norms[v] = sumSquaresShiftedCanonical(a, v * n, h, n);
  }
}

function crossRowsSquaredJs(a: Float64Array, m: number, b: Float64Array, p: number, n: number, out: Float64Array): void {
  checkSizes("crossRowsSquared", [[a, m * n, "a"], [b, p * n, "b"], [out, m * p, "out"]]);
  for (let v = 0; v < m; v++) for (let j = 0; j < p; j++) out[v * p + j] = dotSquaredCanonical(a, v * n, b, j * n, n);
}

function subtractCombinationJs(x: Float64Array, m: number, coef: Float64Array, q: Float64Array, k: number, n: number): void {
  checkSizes("subtractCombination", [[x, m * n, "x"], [coef, m * k, "coef"], [q, k * n, "q"]]);
  for (let v = 0; v < m; v++) {
    const xo = v * n;
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const ca = coef[v * k + j]!;
      const cb = coef[v * k + j + 1]!;
      const qa = j * n;
      const qb = qa + n;
      for (let s = 0; s < n; s++) {
        let t = x[xo + s]!;
        t -= ca * q[qa + s]!;
        t -= cb * q[qb + s]!;
        x[xo + s] = t;
      }
    }
    if (j < k) {
      const ca = coef[v * k + j]!;
      const qa = j * n;
      for (let s = 0; s < n; s++) x[xo + s]! -= ca * q[qa + s]!;
    }
  }
}

// PLINK codes per packed byte: Σ states of the called samples, and the number called (the codec's tables).
const BED_SUM = BED_BYTE_CALLED_SUM;
const BED_CALLED = BED_BYTE_CALLED;

/** The missing code's value in a row of bedMeanSubstituted: the mean of the called states over all samples, or −1 when none is called. */
function bedRowMeanJs(bytes: Uint8Array, b0: number, nSamples: number): number {
  const full = nSamples >> 2;
  const rest = nSamples & 3;
  let sum = 0;
  let called = 0;
  for (let j = 0; j < full; j++) { const b = bytes[b0 + j]!; sum += BED_SUM[b]!; called += BED_CALLED[b]!; }
  const last = rest > 0 ? bytes[b0 + full]! : 0;
  for (let k = 0; k < rest; k++) {
    const code = (last >> (2 * k)) & 3;
    if (code !== BED_CODE_MISSING) { called++; sum += BED_CODE_STATES[code]!; }
  }
  return called > 0 ? sum / called : -1;
}

function bedMeanSubstitutedJs(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, out: Float64Array): void {
  if (bytesPerVariant < Math.ceil(nSamples / 4)) throw new RangeError(`bedMeanSubstituted: ${bytesPerVariant} bytes per variant cannot hold ${nSamples} samples`);
  if (bytes.length < numRows * bytesPerVariant) throw new RangeError(`bedMeanSubstituted: bytes has ${bytes.length} elements, needs ${numRows * bytesPerVariant}`);
  checkSizes("bedMeanSubstituted", [[out, numRows * nSamples, "out"]]);
  const full = nSamples >> 2;
  const rest = nSamples & 3;
  const table = Float64Array.from(BED_CODE_STATES); // table[BED_CODE_MISSING] is set per variant
  for (let v = 0; v < numRows; v++) {
    const b0 = v * bytesPerVariant;
    table[BED_CODE_MISSING] = bedRowMeanJs(bytes, b0, nSamples);
    const last = rest > 0 ? bytes[b0 + full]! : 0;
    let o = v * nSamples;
    for (let j = 0; j < full; j++, o += 4) {
      const b = bytes[b0 + j]!;
      out[o] = table[b & 3]!;
      out[o + 1] = table[(b >> 2) & 3]!;
      out[o + 2] = table[(b >> 4) & 3]!;
      out[o + 3] = table[b >> 6]!;
    }
    for (let k = 0; k < rest; k++) out[o + k] = table[(last >> (2 * k)) & 3]!;
  }
}

/** The argument checks of bedMeanSubstitutedSubset. */
function subsetSizes(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, index: Int32Array, out: Float64Array): void {
  if (bytesPerVariant < Math.ceil(nSamples / 4)) throw new RangeError(`bedMeanSubstitutedSubset: ${bytesPerVariant} bytes per variant cannot hold ${nSamples} samples`);
  if (bytes.length < numRows * bytesPerVariant) throw new RangeError(`bedMeanSubstitutedSubset: bytes has ${bytes.length} elements, needs ${numRows * bytesPerVariant}`);
  checkSizes("bedMeanSubstitutedSubset", [[out, numRows * index.length, "out"]]);
  for (const s of index) if (!(s >= 0 && s < nSamples)) throw new RangeError(`bedMeanSubstitutedSubset: sample ${s} is outside 0..${nSamples - 1}`);
}

function bedMeanSubstitutedSubsetJs(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, index: Int32Array, out: Float64Array): void {
  subsetSizes(bytes, nSamples, numRows, bytesPerVariant, index, out);
  const n = index.length;
  const table = Float64Array.from(BED_CODE_STATES); // table[BED_CODE_MISSING] is set per variant
  for (let v = 0; v < numRows; v++) {
    const b0 = v * bytesPerVariant;
    table[BED_CODE_MISSING] = bedRowMeanJs(bytes, b0, nSamples);
    const o = v * n;
    for (let t = 0; t < n; t++) { const s = index[t]!; out[o + t] = table[(bytes[b0 + (s >> 2)]! >> (2 * (s & 3))) & 3]!; }
  }
}

/**
 * Gram matrix by column blocks of {@link GRAM_COLS}: rows [0, j1) against rows [j0, j1) with
 * `cross` (canonical order), stored in the upper triangle and mirrored.
 */
function gramByBlocks(
  a: Float64Array, m: number, n: number, out: Float64Array,
  cross: (a0: number, rows: number, j0: number, cols: number) => Float64Array,
): void {
  for (let j0 = 0; j0 < m; j0 += GRAM_COLS) {
    const j1 = Math.min(m, j0 + GRAM_COLS);
    const cols = j1 - j0;
    const t = cross(0, j1, j0, cols);
    for (let v = 0; v < j1; v++) {
      const to = v * cols;
      for (let j = Math.max(j0, v); j < j1; j++) {
        const x = t[to + j - j0]!;
        out[v * m + j] = x;
        out[j * m + v] = x;
      }
    }
  }
}

function gramJs(a: Float64Array, m: number, n: number, out: Float64Array): void {
  checkSizes("gram", [[a, m * n, "a"], [out, m * m, "out"]]);
  if (m === 0) return;
  const tmp = new Float64Array(m * GRAM_COLS);
  gramByBlocks(a, m, n, out, (a0, rows, j0, cols) => {
    crossRowsJs(a.subarray(a0 * n, (a0 + rows) * n), rows, a.subarray(j0 * n, (j0 + cols) * n), cols, n, tmp);
    return tmp;
  });
}

/** The plain Cholesky factorization (see {@link Kernels.choleskyUpper}; the wasm one mirrors it). */
function choleskyUpperJs(r: Float64Array, p: number): boolean {
  checkSizes("choleskyUpper", [[r, p * p, "r"]]);
  for (let k0 = 0; k0 < p; k0 += CHOLESKY_PANEL) {
    const k1 = Math.min(p, k0 + CHOLESKY_PANEL);
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
    // trailing update: r[i, j] -= Σ_{t in panel} r[t, i]·r[t, j] for k1 ≤ i ≤ j, four panel rows
    // at a time (((f0·x0 + f1·x1) + f2·x2) + f3·x3 subtracted), then the remaining rows one by one
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

/**
 * f64 elements of the list scratch of the modal products for n samples: the O list's values
 * (n + 8 f64), then the U, W and O lists' samples (n + 4 i32 each), each part 16-byte aligned.
 */
export function modalListLength(n: number): number {
  return n + 8 + 3 * 2 * Math.ceil((n + 4) / 4) + 2;
}

/** f64 elements of the panel block of n samples × r columns of the modal products (panels of 16 columns). */
export function modalPanelLength(n: number, r: number): number {
  return n * 16 * Math.ceil(r / 16);
}

/**
 * The panel block of the modal products from r rows of n samples (`rows[j*n + s]` = B[s, j]), into
 * `out` (≥ {@link modalPanelLength} elements; the padding columns are set to 0).
 */
export function modalPanels(rows: Float64Array, r: number, n: number, out: Float64Array): Float64Array {
  const len = modalPanelLength(n, r);
  checkSizes("modalPanels", [[rows, r * n, "rows"], [out, len, "out"]]);
  out.fill(0, 0, len);
  for (let j = 0; j < r; j++) {
    const base = (j >> 4) * n * 16 + (j & 15);
    const ro = j * n;
    for (let s = 0; s < n; s++) out[base + s * 16] = rows[ro + s]!;
  }
  return out;
}

function modalSizes(what: string, m: number, n: number, bt: Float64Array, r: number, colSums: Float64Array, out: Float64Array, outRow: number, sums: Float64Array, norms: Float64Array, list: Float64Array): void {
  if (outRow < r) throw new RangeError(`${what}: outRow (${outRow}) must be ≥ r (${r})`);
  checkSizes(what, [[bt, modalPanelLength(n, r), "bt"], [colSums, r, "colSums"], [out, m > 0 ? (m - 1) * outRow + r : 0, "out"], [sums, m, "sums"], [norms, m, "norms"], [list, modalListLength(n), "list"]]);
}

/** The modal value among 0, 1, 2 of a row (ties to the smaller). */
function modalOfRow(a: Float64Array, ao: number, n: number): number {
  let n0 = 0, n1 = 0, n2 = 0;
  for (let s = 0; s < n; s++) { const x = a[ao + s]!; if (x === 0) n0++; else if (x === 1) n1++; else if (x === 2) n2++; }
  return n0 >= n1 && n0 >= n2 ? 0 : n1 >= n2 ? 1 : 2;
}

/**
 * One row of the modal products in the canonical order (kernels.as, "modal products"): with c the
 * modal value and u < w the two other values of {0, 1, 2}, the samples are listed in U (x = u),
 * W (x = w) and O (any other value ≠ c, with d = x − c); per column S_U and S_W are summed in list
 * order, S_O = Σ d·B in list order, then out = c·colSums + ((d_u·S_U + d_w·S_W) + S_O).
 */
function modalRowJs(a: Float64Array, ao: number, n: number, bt: Float64Array, r: number, colSums: Float64Array,
  out: Float64Array, oo: number, sums: Float64Array, norms: Float64Array, v: number, idx: Int32Array, val: Float64Array, acc: Float64Array): void {
  const c = modalOfRow(a, ao, n);
  const u = c === 0 ? 1 : 0;
  const w = c === 2 ? 1 : 2;
  const du = u - c, dw = w - c;
  // acc: S_U (r), S_W (r), S_O (r); idx/val: the O list
  acc.fill(0, 0, 3 * r);
  let nu = 0, nw = 0, no = 0;
  for (let s = 0; s < n; s++) {
    const x = a[ao + s]!;
    if (x === c) continue;
    const so = s * 16;
    if (x === u) {
      nu++;
      for (let j = 0; j < r; j++) acc[j] += bt[(j >> 4) * n * 16 + (j & 15) + so]!;
    } else if (x === w) {
      nw++;
      for (let j = 0; j < r; j++) acc[r + j] += bt[(j >> 4) * n * 16 + (j & 15) + so]!;
    } else {
      idx[no] = s; val[no] = x - c; no++;
    }
  }
  for (let t = 0; t < no; t++) {
    const d = val[t]!;
    const so = idx[t]! * 16;
    for (let j = 0; j < r; j++) acc[2 * r + j] += d * bt[(j >> 4) * n * 16 + (j & 15) + so]!;
  }
  for (let j = 0; j < r; j++) out[oo + j] = c * colSums[j]! + ((du * acc[j]! + dw * acc[r + j]!) + acc[2 * r + j]!);
  let sd = 0, sq = 0;
  for (let t = 0; t < no; t++) { const d = val[t]!; sd += d; sq += d * d; }
  sd = (du * nu + dw * nw) + sd;
  sq = (du * du * nu + dw * dw * nw) + sq;
  sums[v] = c * n + sd;
  norms[v] = sq - sd * (sd / n);
}

function modalCrossJs(a: Float64Array, m: number, n: number, bt: Float64Array, r: number, colSums: Float64Array,
  out: Float64Array, outRow: number, sums: Float64Array, norms: Float64Array, list: Float64Array): void {
  modalSizes("modalCross", m, n, bt, r, colSums, out, outRow, sums, norms, list);
  checkSizes("modalCross", [[a, m * n, "a"]]);
  const idx = new Int32Array(n);
  const val = new Float64Array(n);
  const acc = new Float64Array(3 * r);
  for (let v = 0; v < m; v++) modalRowJs(a, v * n, n, bt, r, colSums, out, v * outRow, sums, norms, v, idx, val, acc);
}

function bedModalCrossJs(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, f32: boolean,
  bt: Float64Array, r: number, colSums: Float64Array, out: Float64Array, outRow: number,
  sums: Float64Array, norms: Float64Array, list: Float64Array): void {
  modalSizes("bedModalCross", numRows, nSamples, bt, r, colSums, out, outRow, sums, norms, list);
  const n = nSamples;
  const x = new Float64Array(n);
  const idx = new Int32Array(n);
  const val = new Float64Array(n);
  const acc = new Float64Array(3 * r);
  for (let v = 0; v < numRows; v++) {
    bedMeanSubstitutedJs(bytes.subarray(v * bytesPerVariant, (v + 1) * bytesPerVariant), n, 1, bytesPerVariant, x);
    if (f32) for (let s = 0; s < n; s++) x[s] = Math.fround(x[s]!);
    modalRowJs(x, 0, n, bt, r, colSums, out, v * outRow, sums, norms, v, idx, val, acc);
  }
}

/** The plain-TypeScript kernels (reference and fallback). */
export const jsKernels: Kernels = {
  kind: "js",
  workspace: (lengths) => lengths.map((l) => new Float64Array(l)),
  crossRows: crossRowsJs,
  crossRowsShifted: crossRowsShiftedJs,
  crossRowsSquared: crossRowsSquaredJs,
  subtractCombination: subtractCombinationJs,
  bedMeanSubstituted: bedMeanSubstitutedJs,
  bedMeanSubstitutedSubset: bedMeanSubstitutedSubsetJs,
  modalCross: modalCrossJs,
  bedModalCross: bedModalCrossJs,
  gram: gramJs,
  choleskyUpper: choleskyUpperJs,
  bytesView: (region, bytes) => {
    if (region.length * 8 < bytes) throw new RangeError(`bytesView: the region holds ${region.length * 8} bytes, needs ${bytes}`);
    return new Uint8Array(region.buffer, region.byteOffset, bytes);
  },
};

// ------------------------------------------------------------------------------------ wasm

/** The part of the WebAssembly JS API used here (the project's `lib` has no DOM/wasm typings). */
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

interface WasmExports {
  memory: WasmMemory;
  crossRows(a: number, m: number, b: number, p: number, n: number, out: number, norms: number, scratch: number): void;
  crossRowsShifted(a: number, m: number, shift: number, b: number, p: number, n: number, out: number, norms: number, scratch: number): void;
  crossRowsSquared(a: number, m: number, b: number, p: number, n: number, out: number, scratch: number): void;
  subtractCombination(x: number, m: number, coef: number, q: number, k: number, n: number): void;
  bedMeanSubstituted(bytes: number, nSamples: number, numRows: number, bytesPerVariant: number, out: number, tab: number): void;
  bedMeanSubstitutedSubset(bytes: number, nSamples: number, numRows: number, bytesPerVariant: number, index: number, n: number, out: number, outRow: number, tab: number): void;
  choleskyUpper(r: number, p: number, nb: number): number;
  crossRowsChunked(a: number, m: number, b: number, p: number, n: number, out: number, scratch: number, chunk: number): void;
  modalCross(a: number, m: number, n: number, bt: number, r: number, colSums: number, out: number, outRow: number, sums: number, norms: number, list: number): void;
  bedModalCross(bytes: number, nSamples: number, numRows: number, bytesPerVariant: number, f32: number,
    bt: number, r: number, colSums: number, out: number, outRow: number, sums: number, norms: number, list: number, tab: number): void;
  staticEnd(): number;
}

const PAGE = 65536;
/** Where the products' lane accumulators go (the first four pages are left to the module's static data). */
const SCRATCH_AT = 4 * PAGE;
/** Bytes of the accumulator region. */
const SCRATCH_BYTES = 1 << 20;
/** Upper bound of the wasm32 address space we use. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024 - PAGE;

class WasmKernels implements Kernels {
  readonly kind = "wasm" as const;
  private readonly memory: WasmMemory;
  /** First byte after the scratch region: where workspace arrays start. */
  private readonly base = SCRATCH_AT + SCRATCH_BYTES;
  /** End of the current workspace (temporary copies go after it). */
  private top = SCRATCH_AT + SCRATCH_BYTES;

  constructor(private readonly w: WasmExports) {
    this.memory = w.memory;
    if (w.staticEnd() > SCRATCH_AT) throw new Error(`wasm kernels: the module's static data (${w.staticEnd()} bytes) overlaps the scratch region`);
  }

  private ensure(bytes: number): void {
    if (bytes > MAX_BYTES) throw new RangeError(`wasm kernels: ${bytes} bytes exceed the 4 GB WebAssembly memory`);
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      // grow by at least 25% to avoid many small moves
      const want = Math.min(MAX_BYTES, Math.max(bytes, Math.floor(have * 1.25)));
      this.memory.grow(Math.ceil((want - have) / PAGE));
    }
  }

  workspace(lengths: readonly number[]): Float64Array[] {
    let bytes = this.base;
    const offsets = lengths.map((l) => { const o = bytes; bytes += align16(l * 8); return o; });
    this.ensure(bytes);
    this.top = bytes;
    const buf = this.memory.buffer;
    return lengths.map((l, i) => new Float64Array(buf, offsets[i], l));
  }

  /**
   * Byte offsets of the arguments in the wasm memory, copying those that are not there (inputs
   * copied in; `outputs` marks which are written by the kernel and must be copied back).
   */
  private place(args: (Float64Array | Uint8Array)[], lengths: number[], outputs: boolean[]): { offsets: number[]; finish: () => void } {
    const buf0 = this.memory.buffer;
    // empty arguments are never read or written: no copy
    const resident = args.map((a, i) => a.buffer === buf0 || lengths[i] === 0);
    const offsets = args.map((a, i) => (a.buffer === buf0 ? a.byteOffset : resident[i] ? 0 : -1));
    if (resident.every(Boolean)) return { offsets, finish: () => {} };
    const viewOf = (a: Float64Array | Uint8Array, buf: ArrayBuffer, offset: number, length: number): Float64Array | Uint8Array =>
      a instanceof Uint8Array ? new Uint8Array(buf, offset, length) : new Float64Array(buf, offset, length);
    let bytes = this.top;
    args.forEach((a, i) => { if (!resident[i]) { offsets[i] = bytes; bytes += align16(lengths[i]! * a.BYTES_PER_ELEMENT); } });
    this.ensure(bytes);
    const buf = this.memory.buffer;
    args.forEach((a, i) => {
      if (resident[i] || outputs[i]) return;
      viewOf(a, buf, offsets[i]!, lengths[i]!).set(a.subarray(0, lengths[i]) as never);
    });
    return {
      offsets,
      finish: () => {
        const b = this.memory.buffer;
        args.forEach((a, i) => { if (!resident[i] && outputs[i]) a.set(viewOf(a, b, offsets[i]!, lengths[i]!) as never); });
      },
    };
  }

  crossRows(a: Float64Array, m: number, b: Float64Array, p: number, n: number, out: Float64Array, norms?: Float64Array | null): void {
    const withNorms = !!norms;
    checkSizes("crossRows", [[a, m * n, "a"], [b, p * n, "b"], [out, m * p, "out"], ...(norms ? [[norms, m, "norms"] as [Float64Array, number, string]] : [])]);
    if (m === 0) return;
    if (p === 0 && !withNorms) return;
    const args = withNorms ? [a, b, out, norms!] : [a, b, out];
    const lens = withNorms ? [m * n, p * n, m * p, m] : [m * n, p * n, m * p];
    const { offsets, finish } = this.place(args, lens, withNorms ? [false, false, true, true] : [false, false, true]);
    // rows per call so that the lane accumulators fit in the scratch region
    const rowsPerCall = Math.max(1, Math.floor(SCRATCH_BYTES / ((p + 1) * 16)));
    for (let v = 0; v < m; v += rowsPerCall) {
      const mm = Math.min(rowsPerCall, m - v);
      this.w.crossRows(offsets[0]! + v * n * 8, mm, offsets[1]!, p, n, offsets[2]! + v * p * 8, withNorms ? offsets[3]! + v * 8 : 0, SCRATCH_AT);
    }
    finish();
  }

  crossRowsShifted(a: Float64Array, m: number, shift: Float64Array, b: Float64Array, p: number, n: number, out: Float64Array, norms?: Float64Array | null): void {
    const withNorms = !!norms;
    checkSizes("crossRowsShifted", [[a, m * n, "a"], [shift, m, "shift"], [b, p * n, "b"], [out, m * p, "out"], ...(norms ? [[norms, m, "norms"] as [Float64Array, number, string]] : [])]);
    if (m === 0) return;
    if (p === 0 && !withNorms) return;
    const args = withNorms ? [a, shift, b, out, norms!] : [a, shift, b, out];
    const lens = withNorms ? [m * n, m, p * n, m * p, m] : [m * n, m, p * n, m * p];
    const { offsets, finish } = this.place(args, lens, withNorms ? [false, false, false, true, true] : [false, false, false, true]);
    const rowsPerCall = Math.max(1, Math.floor(SCRATCH_BYTES / ((p + 1) * 16)));
    for (let v = 0; v < m; v += rowsPerCall) {
      const mm = Math.min(rowsPerCall, m - v);
      this.w.crossRowsShifted(offsets[0]! + v * n * 8, mm, offsets[1]! + v * 8, offsets[2]!, p, n, offsets[3]! + v * p * 8, withNorms ? offsets[4]! + v * 8 : 0, SCRATCH_AT);
    }
    finish();
  }

  crossRowsSquared(a: Float64Array, m: number, b: Float64Array, p: number, n: number, out: Float64Array): void {
    checkSizes("crossRowsSquared", [[a, m * n, "a"], [b, p * n, "b"], [out, m * p, "out"]]);
    if (m === 0 || p === 0) return;
    const { offsets, finish } = this.place([a, b, out], [m * n, p * n, m * p], [false, false, true]);
    const rowsPerCall = Math.max(1, Math.floor(SCRATCH_BYTES / (p * 16)));
    for (let v = 0; v < m; v += rowsPerCall) {
      const mm = Math.min(rowsPerCall, m - v);
      this.w.crossRowsSquared(offsets[0]! + v * n * 8, mm, offsets[1]!, p, n, offsets[2]! + v * p * 8, SCRATCH_AT);
    }
    finish();
  }

  subtractCombination(x: Float64Array, m: number, coef: Float64Array, q: Float64Array, k: number, n: number): void {
    checkSizes("subtractCombination", [[x, m * n, "x"], [coef, m * k, "coef"], [q, k * n, "q"]]);
    if (m === 0 || k === 0) return;
    // x is read and written: copied in and back out when it is not resident
    const { offsets, finish } = this.place([x, coef, q], [m * n, m * k, k * n], [false, false, false]);
    this.w.subtractCombination(offsets[0]!, m, offsets[1]!, offsets[2]!, k, n);
    if (x.buffer !== this.memory.buffer) x.set(new Float64Array(this.memory.buffer, offsets[0], m * n));
    finish();
  }

  bedMeanSubstituted(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, out: Float64Array): void {
    if (bytesPerVariant < Math.ceil(nSamples / 4)) throw new RangeError(`bedMeanSubstituted: ${bytesPerVariant} bytes per variant cannot hold ${nSamples} samples`);
    if (bytes.length < numRows * bytesPerVariant) throw new RangeError(`bedMeanSubstituted: bytes has ${bytes.length} elements, needs ${numRows * bytesPerVariant}`);
    checkSizes("bedMeanSubstituted", [[out, numRows * nSamples, "out"]]);
    if (numRows === 0 || nSamples === 0) return;
    const { offsets, finish } = this.place([bytes, out], [numRows * bytesPerVariant, numRows * nSamples], [false, true]);
    this.w.bedMeanSubstituted(offsets[0]!, nSamples, numRows, bytesPerVariant, offsets[1]!, SCRATCH_AT);
    finish();
  }

  bedMeanSubstitutedSubset(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, index: Int32Array, out: Float64Array): void {
    subsetSizes(bytes, nSamples, numRows, bytesPerVariant, index, out);
    const n = index.length;
    if (numRows === 0 || n === 0) return;
    const { offsets, finish } = this.place([bytes, out], [numRows * bytesPerVariant, numRows * n], [false, true]);
    // the samples go through the scratch region a chunk at a time (placing them in the workspace
    // could grow the memory, detaching the caller's views of it)
    const chunk = (SCRATCH_BYTES - 64) >> 2;
    for (let t0 = 0; t0 < n; t0 += chunk) {
      const c = Math.min(chunk, n - t0);
      new Int32Array(this.memory.buffer, SCRATCH_AT + 64, c).set(index.subarray(t0, t0 + c));
      this.w.bedMeanSubstitutedSubset(offsets[0]!, nSamples, numRows, bytesPerVariant, SCRATCH_AT + 64, c, offsets[1]! + t0 * 8, n, SCRATCH_AT);
    }
    finish();
  }

  modalCross(a: Float64Array, m: number, n: number, bt: Float64Array, r: number, colSums: Float64Array,
    out: Float64Array, outRow: number, sums: Float64Array, norms: Float64Array, list: Float64Array): void {
    modalSizes("modalCross", m, n, bt, r, colSums, out, outRow, sums, norms, list);
    checkSizes("modalCross", [[a, m * n, "a"]]);
    if (m === 0) return;
    const outLen = (m - 1) * outRow + r;
    const { offsets, finish } = this.place([a, bt, colSums, out, sums, norms, list], [m * n, modalPanelLength(n, r), r, outLen, m, m, modalListLength(n)], [false, false, false, false, true, true, false]);
    this.w.modalCross(offsets[0]!, m, n, offsets[1]!, r, offsets[2]!, offsets[3]!, outRow, offsets[4]!, offsets[5]!, align16(offsets[6]!));
    finish();
    // out is written only at its first r entries of each row: copied in, and back
    if (out.buffer !== this.memory.buffer) out.set(new Float64Array(this.memory.buffer, offsets[3], outLen));
  }

  bedModalCross(bytes: Uint8Array, nSamples: number, numRows: number, bytesPerVariant: number, f32: boolean,
    bt: Float64Array, r: number, colSums: Float64Array, out: Float64Array, outRow: number,
    sums: Float64Array, norms: Float64Array, list: Float64Array): void {
    modalSizes("bedModalCross", numRows, nSamples, bt, r, colSums, out, outRow, sums, norms, list);
    if (bytesPerVariant < Math.ceil(nSamples / 4)) throw new RangeError(`bedModalCross: ${bytesPerVariant} bytes per variant cannot hold ${nSamples} samples`);
    if (bytes.length < numRows * bytesPerVariant) throw new RangeError(`bedModalCross: bytes has ${bytes.length} elements, needs ${numRows * bytesPerVariant}`);
    if (numRows === 0) return;
    const n = nSamples;
    const outLen = (numRows - 1) * outRow + r;
    const { offsets, finish } = this.place([bytes, bt, colSums, out, sums, norms, list], [numRows * bytesPerVariant, modalPanelLength(n, r), r, outLen, numRows, numRows, modalListLength(n)], [false, false, false, false, true, true, false]);
    this.w.bedModalCross(offsets[0]!, n, numRows, bytesPerVariant, f32 ? 1 : 0, offsets[1]!, r, offsets[2]!, offsets[3]!, outRow, offsets[4]!, offsets[5]!, align16(offsets[6]!), SCRATCH_AT);
    finish();
    if (out.buffer !== this.memory.buffer) out.set(new Float64Array(this.memory.buffer, offsets[3], outLen));
  }

  bytesView(region: Float64Array, bytes: number): Uint8Array {
    return jsKernels.bytesView(region, bytes);
  }

  gram(a: Float64Array, m: number, n: number, out: Float64Array): void {
    checkSizes("gram", [[a, m * n, "a"], [out, m * m, "out"]]);
    if (m === 0) return;
    // rows per crossRows call so that the lane accumulators fit in the scratch region
    const rowsPerCall = Math.max(1, Math.floor(SCRATCH_BYTES / (GRAM_COLS * 16)));
    const tmpLen = Math.min(m, rowsPerCall) * GRAM_COLS;
    // a is copied in once (unless resident); the block products go to a temporary region
    const { offsets } = this.place([a], [m * n], [false]);
    const tmpAt = align16(Math.max(this.top, offsets[0]! + m * n * 8));
    this.ensure(tmpAt + tmpLen * 8);
    const aAt = offsets[0]!;
    const full = new Float64Array(m * GRAM_COLS);
    gramByBlocks(a, m, n, out, (a0, rows, j0, cols) => {
      for (let r0 = a0; r0 < a0 + rows; r0 += rowsPerCall) {
        const rr = Math.min(rowsPerCall, a0 + rows - r0);
        this.w.crossRowsChunked(aAt + r0 * n * 8, rr, aAt + j0 * n * 8, cols, n, tmpAt, SCRATCH_AT, GRAM_CHUNK);
        full.set(new Float64Array(this.memory.buffer, tmpAt, rr * cols), (r0 - a0) * cols);
      }
      return full;
    });
  }

  choleskyUpper(r: Float64Array, p: number): boolean {
    checkSizes("choleskyUpper", [[r, p * p, "r"]]);
    if (p === 0) return true;
    const { offsets } = this.place([r], [p * p], [false]);
    const ok = this.w.choleskyUpper(offsets[0]!, p, CHOLESKY_PANEL) !== 0;
    if (r.buffer !== this.memory.buffer) r.set(new Float64Array(this.memory.buffer, offsets[0], p * p));
    return ok;
  }
}

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

let wasmLoaded: WasmKernels | null | undefined;

/**
 * The WebAssembly kernels of this thread (one instance per thread, created on first use), or null
 * when this runtime cannot run them (no WebAssembly SIMD).
 */
export function wasmKernels(): Kernels | null {
  if (wasmLoaded !== undefined) return wasmLoaded;
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = Buffer.from(KERNELS_WASM_BASE64, "base64");
    if (!wasm || !wasm.validate(bytes)) { wasmLoaded = null; return null; }
    const instance = new wasm.Instance(new wasm.Module(bytes), {
      env: { abort: () => { throw new Error("wasm kernels: abort"); } },
    });
    const w = instance.exports as unknown as WasmExports;
    const k = new WasmKernels(w);
    k.workspace([]); // reserve the scratch region
    wasmLoaded = k;
  } catch {
    wasmLoaded = null;
  }
  return wasmLoaded;
}

/**
 * Rows of an n-sample block to run through consecutive kernel passes at a time so that they stay
 * in the core's caches (about 1.3 MB of rows; a multiple of 4, the products' tile height).
 */
export function rowsPerGroup(n: number): number {
  return Math.max(4, 4 * Math.floor(40960 / Math.max(1, n)));
}

/**
 * {@link Kernels.workspace} of the kernels in use, falling back to the plain kernels (ordinary
 * arrays, same results bit for bit) when the WebAssembly memory cannot hold the buffers (over its
 * 4 GB address space, or the system refuses to grow it).
 */
export function workspaceOrFallback(lengths: readonly number[]): { K: Kernels; views: Float64Array[] } {
  const K = kernels();
  try {
    return { K, views: K.workspace(lengths) };
  } catch (e) {
    if (!(e instanceof RangeError) || K === jsKernels) throw e;
    return { K: jsKernels, views: jsKernels.workspace(lengths) };
  }
}

let chosen: Kernels | undefined;

/**
 * The kernels to use: WebAssembly when available, else plain TypeScript. The environment variable
 * `GLOWTS_KERNELS=js` forces the plain ones (e.g. to compare).
 */
export function kernels(): Kernels {
  if (chosen) return chosen;
  chosen = process.env["GLOWTS_KERNELS"] === "js" ? jsKernels : wasmKernels() ?? jsKernels;
  return chosen;
}
