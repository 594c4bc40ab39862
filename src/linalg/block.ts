/**
 * Kernels over blocks of sample-length vectors. A "row block" is `m` vectors of length `n` stored
 * back to back (`x[v*n + s]`): a block of variants (the dense `values` column of a batch), the
 * traits of a phenotype matrix (trait-major), or the columns of a column-major n×k matrix such as
 * the Q of a covariate QR. All products are plain typed-array loops with no allocation inside.
 */

/** Dot product of `a[ao .. ao+n)` and `b[bo .. bo+n)`. */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
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
 * `out[v*p + j] = Σ_s a[v*n + s] · b[j*n + s]`: the m×p product A·Bᵀ of two row blocks
 * (e.g. genotypes × trait residuals, or genotypes × Q columns = X·Q).
 */
export function crossRows(
  a: Float64Array, m: number, b: Float64Array, p: number, n: number, out = new Float64Array(m * p),
): Float64Array {
  let v = 0;
  // Two rows of A against two rows of B at a time: each loaded element is used twice.
  for (; v + 1 < m; v += 2) {
    const a0 = v * n;
    const a1 = a0 + n;
    let j = 0;
    for (; j + 1 < p; j += 2) {
      const b0 = j * n;
      const b1 = b0 + n;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let s = 0; s < n; s++) {
        const x0 = a[a0 + s]!;
        const x1 = a[a1 + s]!;
        const y0 = b[b0 + s]!;
        const y1 = b[b1 + s]!;
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
      }
      out[v * p + j] = s00; out[v * p + j + 1] = s01;
      out[(v + 1) * p + j] = s10; out[(v + 1) * p + j + 1] = s11;
    }
    for (; j < p; j++) {
      out[v * p + j] = dotSequential(a, a0, b, j * n, n);
      out[(v + 1) * p + j] = dotSequential(a, a1, b, j * n, n);
    }
  }
  for (; v < m; v++) for (let j = 0; j < p; j++) out[v * p + j] = dotSequential(a, v * n, b, j * n, n);
  return out;
}

/**
 * Dot product summed in plain sequential order, as the blocked loops of {@link crossRows} sum, so
 * that an entry does not depend on where its row falls in the block (results are independent of
 * how variants are batched, bit for bit).
 */
function dotSequential(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ao + i]! * b[bo + i]!;
  return s;
}

/**
 * Projects the column space of an orthonormal basis out of every row of a block, in place:
 * `x_v ← x_v − Q (Qᵀ x_v)` for each of the m rows (Glow's `_residualize_in_place`, M − Q(QᵀM)).
 * `q` is n×k column-major (a row block of k basis vectors). `scratch` needs m*k entries.
 */
export function projectOutRows(
  x: Float64Array, m: number, q: Float64Array, k: number, n: number, scratch = new Float64Array(m * k),
): void {
  crossRows(x, m, q, k, n, scratch);
  for (let v = 0; v < m; v++) {
    const xo = v * n;
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const c0 = scratch[v * k + j]!;
      const c1 = scratch[v * k + j + 1]!;
      const q0 = j * n;
      const q1 = q0 + n;
      for (let s = 0; s < n; s++) x[xo + s]! -= c0 * q[q0 + s]! + c1 * q[q1 + s]!;
    }
    for (; j < k; j++) {
      const c = scratch[v * k + j]!;
      const qo = j * n;
      for (let s = 0; s < n; s++) x[xo + s]! -= c * q[qo + s]!;
    }
  }
}

/** `Σ_s w[s] · x[xo+s]²`. */
export function weightedSumSquares(x: Float64Array, xo: number, w: Float64Array, wo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a = x[xo + i]!;
    const b = x[xo + i + 1]!;
    s0 += w[wo + i]! * a * a;
    s1 += w[wo + i + 1]! * b * b;
  }
  for (; i < n; i++) { const a = x[xo + i]!; s0 += w[wo + i]! * a * a; }
  return s0 + s1;
}

/** `Σ_s x[xo+s]²`. */
export function sumSquares(x: Float64Array, xo: number, n: number): number {
  return dot(x, xo, x, xo, n);
}

/**
 * Gram matrix CᵀWC (k×k, column-major) of a column-major n×k `c` with sample weights `w`
 * (`w` omitted: CᵀC).
 */
export function weightedGram(c: Float64Array, n: number, k: number, w?: Float64Array): Float64Array {
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      const ao = a * n;
      const bo = b * n;
      if (w) for (let i = 0; i < n; i++) s += c[ao + i]! * w[i]! * c[bo + i]!;
      else for (let i = 0; i < n; i++) s += c[ao + i]! * c[bo + i]!;
      out[a * k + b] = s;
      out[b * k + a] = s;
    }
  }
  return out;
}

/** `out = Cᵀ y` for a column-major n×k `c` (a k-vector). */
export function crossVec(c: Float64Array, n: number, k: number, y: Float64Array, yo = 0, out = new Float64Array(k)): Float64Array {
  for (let j = 0; j < k; j++) out[j] = dot(c, j * n, y, yo, n);
  return out;
}

/** `out[s] = Σ_j c[j*n+s] · b[j]` (C·b for a column-major n×k `c`). */
export function combineColumns(c: Float64Array, n: number, k: number, b: ArrayLike<number>, out = new Float64Array(n)): Float64Array {
  out.fill(0);
  for (let j = 0; j < k; j++) {
    const bj = b[j]!;
    if (bj === 0) continue;
    const co = j * n;
    for (let s = 0; s < n; s++) out[s]! += c[co + s]! * bj;
  }
  return out;
}
