// AssemblyScript source of the WebAssembly (f64x2 SIMD) kernels behind src/linalg/kernels.ts.
// It is not TypeScript for tsc: `node src/linalg/wasm/build.mjs` (run by `npm run build` and
// `npm run typecheck`) compiles it with `asc` and writes src/linalg/wasm/kernels-wasm.ts (the
// binary as base64), which kernels.ts instantiates.
//
// Memory is managed by the JavaScript side: every pointer is a byte offset into this module's
// exported memory, every matrix a row block of f64 (`m` rows of `n` values back to back).
//
// Canonical summation order (shared with the plain-TypeScript reference in kernels.ts, so the two
// agree bit for bit and an entry never depends on where its row falls in a block): the dot
// product of two length-n rows is summed in two lanes, lane 0 over the even samples and lane 1
// over the odd ones, each lane strictly in sample order; then lane0 + lane1; then, if n is odd,
// + the last product. Products are rounded before they are added (no fused multiply-add).

import { BED_STATE_0, BED_STATE_1, BED_STATE_2, BED_STATE_3, BED_MISSING_CODE } from "./bed-codes";

/** Samples per cache chunk: a chunk of a 4-row tile and of every B row stays in L1/L2. */
const CHUNK: i32 = 1024;

@inline function ld(p: usize): v128 { return v128.load(p); }

// ---------------------------------------------------------------------------- products

// Micro-kernels: R rows of A against C rows of B over samples [s0, s1) (s1 even), adding into the
// lane accumulators acc[(v*P + j)] (16 bytes each) that persist across chunks. The type parameter
// `M` says what is multiplied for an element x of A: <f64> x itself, <i32> x² (for Σ w·x²), <f32>
// (x − shift) with the row's shift read from `sh` (8 bytes per row; rounded once, like any term).

@inline function tx<M>(x: v128, shift: v128): v128 {
  if (isInteger<M>()) return f64x2.mul(x, x);
  if (sizeof<M>() == 4) return f64x2.sub(x, shift);
  return x;
}

@inline function shiftOf<M>(sh: usize): v128 {
  if (!isInteger<M>() && sizeof<M>() == 4) return f64x2.splat(load<f64>(sh));
  return f64x2.splat(0);
}

function k4x2<M>(a: usize, rowA: usize, b: usize, rowB: usize, acc: usize, accRow: usize, s0: i32, s1: i32, sh: usize): void {
  const a0 = a, a1 = a0 + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
  const b0 = b, b1 = b0 + rowB;
  const c0 = acc, c1 = c0 + accRow, c2 = c1 + accRow, c3 = c2 + accRow;
  const h0 = shiftOf<M>(sh), h1 = shiftOf<M>(sh + 8), h2 = shiftOf<M>(sh + 16), h3 = shiftOf<M>(sh + 24);
  let s00 = ld(c0), s01 = ld(c0 + 16);
  let s10 = ld(c1), s11 = ld(c1 + 16);
  let s20 = ld(c2), s21 = ld(c2 + 16);
  let s30 = ld(c3), s31 = ld(c3 + 16);
  for (let s = s0; s < s1; s += 2) {
    const o = <usize>s << 3;
    const y0 = ld(b0 + o);
    const y1 = ld(b1 + o);
    let x = tx<M>(ld(a0 + o), h0);
    s00 = f64x2.add(s00, f64x2.mul(x, y0)); s01 = f64x2.add(s01, f64x2.mul(x, y1));
    x = tx<M>(ld(a1 + o), h1);
    s10 = f64x2.add(s10, f64x2.mul(x, y0)); s11 = f64x2.add(s11, f64x2.mul(x, y1));
    x = tx<M>(ld(a2 + o), h2);
    s20 = f64x2.add(s20, f64x2.mul(x, y0)); s21 = f64x2.add(s21, f64x2.mul(x, y1));
    x = tx<M>(ld(a3 + o), h3);
    s30 = f64x2.add(s30, f64x2.mul(x, y0)); s31 = f64x2.add(s31, f64x2.mul(x, y1));
  }
  v128.store(c0, s00); v128.store(c0 + 16, s01);
  v128.store(c1, s10); v128.store(c1 + 16, s11);
  v128.store(c2, s20); v128.store(c2 + 16, s21);
  v128.store(c3, s30); v128.store(c3 + 16, s31);
}

function k4x1<M>(a: usize, rowA: usize, b: usize, acc: usize, accRow: usize, s0: i32, s1: i32, sh: usize): void {
  const a0 = a, a1 = a0 + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
  const c0 = acc, c1 = c0 + accRow, c2 = c1 + accRow, c3 = c2 + accRow;
  const h0 = shiftOf<M>(sh), h1 = shiftOf<M>(sh + 8), h2 = shiftOf<M>(sh + 16), h3 = shiftOf<M>(sh + 24);
  let s0v = ld(c0), s1v = ld(c1), s2v = ld(c2), s3v = ld(c3);
  for (let s = s0; s < s1; s += 2) {
    const o = <usize>s << 3;
    const y = ld(b + o);
    s0v = f64x2.add(s0v, f64x2.mul(tx<M>(ld(a0 + o), h0), y));
    s1v = f64x2.add(s1v, f64x2.mul(tx<M>(ld(a1 + o), h1), y));
    s2v = f64x2.add(s2v, f64x2.mul(tx<M>(ld(a2 + o), h2), y));
    s3v = f64x2.add(s3v, f64x2.mul(tx<M>(ld(a3 + o), h3), y));
  }
  v128.store(c0, s0v); v128.store(c1, s1v); v128.store(c2, s2v); v128.store(c3, s3v);
}

function k1x2<M>(a: usize, b: usize, rowB: usize, acc: usize, s0: i32, s1: i32, sh: usize): void {
  const b1 = b + rowB;
  const h = shiftOf<M>(sh);
  let t0 = ld(acc), t1 = ld(acc + 16);
  for (let s = s0; s < s1; s += 2) {
    const o = <usize>s << 3;
    const x = tx<M>(ld(a + o), h);
    t0 = f64x2.add(t0, f64x2.mul(x, ld(b + o)));
    t1 = f64x2.add(t1, f64x2.mul(x, ld(b1 + o)));
  }
  v128.store(acc, t0); v128.store(acc + 16, t1);
}

function k1x1<M>(a: usize, b: usize, acc: usize, s0: i32, s1: i32, sh: usize): void {
  const h = shiftOf<M>(sh);
  let t = ld(acc);
  for (let s = s0; s < s1; s += 2) {
    const o = <usize>s << 3;
    t = f64x2.add(t, f64x2.mul(tx<M>(ld(a + o), h), ld(b + o)));
  }
  v128.store(acc, t);
}

/** Σ x² lanes (x shifted for <f32>) of 4 rows (and of 1 row) over a chunk: the row norms. */
function n4<M>(a: usize, rowA: usize, acc: usize, s0: i32, s1: i32, sh: usize): void {
  const a0 = a, a1 = a0 + rowA, a2 = a1 + rowA, a3 = a2 + rowA;
  const h0 = shiftOf<M>(sh), h1 = shiftOf<M>(sh + 8), h2 = shiftOf<M>(sh + 16), h3 = shiftOf<M>(sh + 24);
  let t0 = ld(acc), t1 = ld(acc + 16), t2 = ld(acc + 32), t3 = ld(acc + 48);
  for (let s = s0; s < s1; s += 2) {
    const o = <usize>s << 3;
    let x = tx<M>(ld(a0 + o), h0); t0 = f64x2.add(t0, f64x2.mul(x, x));
    x = tx<M>(ld(a1 + o), h1); t1 = f64x2.add(t1, f64x2.mul(x, x));
    x = tx<M>(ld(a2 + o), h2); t2 = f64x2.add(t2, f64x2.mul(x, x));
    x = tx<M>(ld(a3 + o), h3); t3 = f64x2.add(t3, f64x2.mul(x, x));
  }
  v128.store(acc, t0); v128.store(acc + 16, t1); v128.store(acc + 32, t2); v128.store(acc + 48, t3);
}

function n1<M>(a: usize, acc: usize, s0: i32, s1: i32, sh: usize): void {
  const h = shiftOf<M>(sh);
  let t = ld(acc);
  for (let s = s0; s < s1; s += 2) {
    const o = <usize>s << 3;
    const x = tx<M>(ld(a + o), h);
    t = f64x2.add(t, f64x2.mul(x, x));
  }
  v128.store(acc, t);
}

/** The scalar form of `tx` for the odd last sample. */
@inline function txs<M>(x: f64, shift: f64): f64 {
  if (isInteger<M>()) return x * x;
  if (sizeof<M>() == 4) return x - shift;
  return x;
}

function products<M>(a: usize, m: i32, b: usize, p: i32, n: i32, out: usize, norms: usize, scratch: usize, shift: usize, chunk: i32 = CHUNK): void {
  const row: usize = <usize>n << 3;
  const accRow: usize = <usize>p << 4;
  const n2 = n & ~1;
  // lane accumulators: m*p for the products, then m for the norms
  memory.fill(scratch, 0, <usize>m * accRow + (norms ? <usize>m << 4 : 0));
  const normAcc = scratch + <usize>m * accRow;
  for (let c0 = 0; c0 < n2; c0 += chunk) {
    const c1 = min(c0 + chunk, n2);
    let v = 0;
    for (; v + 3 < m; v += 4) {
      const av = a + <usize>v * row;
      const accV = scratch + <usize>v * accRow;
      const sh = shift + (<usize>v << 3);
      let j = 0;
      for (; j + 1 < p; j += 2) k4x2<M>(av, row, b + <usize>j * row, row, accV + (<usize>j << 4), accRow, c0, c1, sh);
      if (j < p) k4x1<M>(av, row, b + <usize>j * row, accV + (<usize>j << 4), accRow, c0, c1, sh);
      if (norms) n4<M>(av, row, normAcc + (<usize>v << 4), c0, c1, sh);
    }
    for (; v < m; v++) {
      const av = a + <usize>v * row;
      const accV = scratch + <usize>v * accRow;
      const sh = shift + (<usize>v << 3);
      let j = 0;
      for (; j + 1 < p; j += 2) k1x2<M>(av, b + <usize>j * row, row, accV + (<usize>j << 4), c0, c1, sh);
      if (j < p) k1x1<M>(av, b + <usize>j * row, accV + (<usize>j << 4), c0, c1, sh);
      if (norms) n1<M>(av, normAcc + (<usize>v << 4), c0, c1, sh);
    }
  }
  // lane0 + lane1, then the odd last sample
  const odd = n2 < n;
  const last: usize = <usize>n2 << 3;
  for (let v = 0; v < m; v++) {
    const av = a + <usize>v * row;
    const h = (!isInteger<M>() && sizeof<M>() == 4) ? load<f64>(shift + (<usize>v << 3)) : 0.0;
    const xl = odd ? txs<M>(load<f64>(av + last), h) : 0.0;
    for (let j = 0; j < p; j++) {
      const t = scratch + <usize>v * accRow + (<usize>j << 4);
      let r = load<f64>(t) + load<f64>(t + 8);
      if (odd) r = r + xl * load<f64>(b + <usize>j * row + last);
      store<f64>(out + ((<usize>v * <usize>p + <usize>j) << 3), r);
    }
    if (norms) {
      const t = normAcc + (<usize>v << 4);
      let r = load<f64>(t) + load<f64>(t + 8);
      if (odd) r = r + xl * xl;
      store<f64>(norms + (<usize>v << 3), r);
    }
  }
}

/**
 * `out[v*p + j] = Σ_s a[v*n+s]·b[j*n+s]` (A·Bᵀ of two row blocks, m×p) and, when `norms` ≠ 0,
 * `norms[v] = Σ_s a[v*n+s]²`. `scratch` needs (m*p + m)*16 bytes.
 */
export function crossRows(a: usize, m: i32, b: usize, p: i32, n: i32, out: usize, norms: usize, scratch: usize): void {
  products<f64>(a, m, b, p, n, out, norms, scratch, 0);
}

/**
 * {@link crossRows} without norms over sample chunks of `chunk` (even) samples: the same sums in
 * the same order (the chunking only changes which lane accumulators are in registers), for
 * products where many B rows must stay in cache together (the Gram matrix's column blocks).
 */
export function crossRowsChunked(a: usize, m: i32, b: usize, p: i32, n: i32, out: usize, scratch: usize, chunk: i32): void {
  products<f64>(a, m, b, p, n, out, 0, scratch, 0, chunk);
}

/**
 * {@link crossRows} of the shifted rows `a[v*n+s] − shift[v]` (each difference rounded once), with
 * their norms when `norms` ≠ 0: products of centred rows without writing them.
 */
export function crossRowsShifted(a: usize, m: i32, shift: usize, b: usize, p: i32, n: i32, out: usize, norms: usize, scratch: usize): void {
  products<f32>(a, m, b, p, n, out, norms, scratch, shift);
}

/** `out[v*p + j] = Σ_s a[v*n+s]²·b[j*n+s]` (e.g. Σ γ x²). `scratch` needs m*p*16 bytes. */
export function crossRowsSquared(a: usize, m: i32, b: usize, p: i32, n: i32, out: usize, scratch: usize): void {
  products<i32>(a, m, b, p, n, out, 0, scratch, 0);
}

// ---------------------------------------------------------------------------- updates

/**
 * `x[v*n+s] ← x[v*n+s] − Σ_j coef[v*k+j]·q[j*n+s]`, the j terms subtracted one after another in
 * order (each product rounded, then subtracted): removes the span of q's rows from x's rows when
 * coef = x·qᵀ and q is orthonormal.
 */
export function subtractCombination(x: usize, m: i32, coef: usize, q: usize, k: i32, n: i32): void {
  const row: usize = <usize>n << 3;
  const n2 = n & ~1;
  for (let v = 0; v < m; v++) {
    const xv = x + <usize>v * row;
    const cv = coef + ((<usize>v * <usize>k) << 3);
    let j = 0;
    // two basis rows per pass over the samples, still subtracting term j before term j+1
    for (; j + 1 < k; j += 2) {
      const ca = f64x2.splat(load<f64>(cv + (<usize>j << 3)));
      const cb = f64x2.splat(load<f64>(cv + (<usize>(j + 1) << 3)));
      const qa = q + <usize>j * row, qb = qa + row;
      for (let s = 0; s < n2; s += 2) {
        const o = <usize>s << 3;
        let t = ld(xv + o);
        t = f64x2.sub(t, f64x2.mul(ca, ld(qa + o)));
        t = f64x2.sub(t, f64x2.mul(cb, ld(qb + o)));
        v128.store(xv + o, t);
      }
      if (n2 < n) {
        const o = <usize>n2 << 3;
        let t = load<f64>(xv + o);
        t = t - f64x2.extract_lane(ca, 0) * load<f64>(qa + o);
        t = t - f64x2.extract_lane(cb, 0) * load<f64>(qb + o);
        store<f64>(xv + o, t);
      }
    }
    if (j < k) {
      const ca = f64x2.splat(load<f64>(cv + (<usize>j << 3)));
      const qa = q + <usize>j * row;
      for (let s = 0; s < n2; s += 2) {
        const o = <usize>s << 3;
        v128.store(xv + o, f64x2.sub(ld(xv + o), f64x2.mul(ca, ld(qa + o))));
      }
      if (n2 < n) {
        const o = <usize>n2 << 3;
        store<f64>(xv + o, load<f64>(xv + o) - f64x2.extract_lane(ca, 0) * load<f64>(qa + o));
      }
    }
  }
}

// ---------------------------------------------------------------------------- genotypes

/**
 * The value of the missing code in a row of `bedMeanSubstituted`: the mean of the called states
 * (counted with popcounts, divided once), or −1 when no sample is called.
 */
@inline function bedRowMean(b0: usize, nSamples: i32): f64 {
  const full = nSamples >> 2; // whole bytes
  const rest = nSamples & 3;
  const words = full >> 3; // whole 8-byte words
  const M: u64 = 0x5555555555555555;
  // per-code counts over whole words, then the remaining whole bytes, then the partial byte
  let n0: i64 = 0, n1: i64 = 0, n2: i64 = 0, n3: i64 = 0;
  for (let w = 0; w < words; w++) {
    const x = load<u64>(b0 + (<usize>w << 3));
    const lo = x & M;
    const hi = (x >> 1) & M;
    n0 += popcnt<u64>(~(lo | hi) & M); // 00
    n1 += popcnt<u64>(lo & ~hi); // 01
    n2 += popcnt<u64>(hi & ~lo); // 10
    n3 += popcnt<u64>(lo & hi); // 11
  }
  for (let j = words << 3; j < full; j++) {
    const x = <u32>load<u8>(b0 + <usize>j);
    const lo = x & 0x55;
    const hi = (x >> 1) & 0x55;
    n0 += <i64>popcnt<u32>(~(lo | hi) & 0x55);
    n1 += <i64>popcnt<u32>(lo & ~hi);
    n2 += <i64>popcnt<u32>(hi & ~lo);
    n3 += <i64>popcnt<u32>(lo & hi);
  }
  if (rest > 0) {
    const x = <u32>load<u8>(b0 + <usize>full);
    for (let k = 0; k < rest; k++) {
      const code = (x >> (<u32>k << 1)) & 3;
      if (code == 0) n0++;
      else if (code == 1) n1++;
      else if (code == 2) n2++;
      else n3++;
    }
  }
  // the missing code's state is generated as 0, so it drops out of the sum
  const missing = BED_MISSING_CODE == 0 ? n0 : BED_MISSING_CODE == 1 ? n1 : BED_MISSING_CODE == 2 ? n2 : n3;
  const called = <f64>(<i64>nSamples - missing);
  const sum = n0 * BED_STATE_0 + n1 * BED_STATE_1 + n2 * BED_STATE_2 + n3 * BED_STATE_3;
  return called > 0 ? <f64>sum / called : -1.0;
}

/**
 * PLINK .bed variants → `meanSubstitute(genotypeStates(...))` with missingValue −1, as an m×n f64
 * block: each 2-bit code becomes its alt-allele dosage (`BED_STATE_c`, generated from
 * io/plink/bed-codec.ts), the missing code the mean of the variant's called states (a sum of small
 * integers counted exactly with popcounts, divided once: the same f64 as summing in order), or −1
 * when no sample is called. `bytes` holds `numRows` blocks of `bytesPerVariant` bytes; `tab` needs
 * 256 bytes.
 */
export function bedMeanSubstituted(bytes: usize, nSamples: i32, numRows: i32, bytesPerVariant: i32, out: usize, tab: usize): void {
  const full = nSamples >> 2; // whole bytes
  const rest = nSamples & 3;
  const row: usize = <usize>nSamples << 3;
  for (let v = 0; v < numRows; v++) {
    const b0 = bytes + <usize>v * <usize>bytesPerVariant;
    const mean = bedRowMean(b0, nSamples);
    // value of each 2-bit code, then pairs of samples (a nibble) as f64x2 entries
    const c0 = BED_MISSING_CODE == 0 ? mean : <f64>BED_STATE_0;
    const c1 = BED_MISSING_CODE == 1 ? mean : <f64>BED_STATE_1;
    const c2 = BED_MISSING_CODE == 2 ? mean : <f64>BED_STATE_2;
    const c3 = BED_MISSING_CODE == 3 ? mean : <f64>BED_STATE_3;
    for (let e = 0; e < 16; e++) {
      const a = e & 3, b = e >> 2;
      const va = a == 0 ? c0 : a == 1 ? c1 : a == 2 ? c2 : c3;
      const vb = b == 0 ? c0 : b == 1 ? c1 : b == 2 ? c2 : c3;
      store<f64>(tab + (<usize>e << 4), va);
      store<f64>(tab + (<usize>e << 4) + 8, vb);
    }
    const o = out + <usize>v * row;
    for (let j = 0; j < full; j++) {
      const x = <usize>load<u8>(b0 + <usize>j);
      const d = o + (<usize>j << 5);
      v128.store(d, v128.load(tab + ((x & 15) << 4)));
      v128.store(d + 16, v128.load(tab + ((x >> 4) << 4)));
    }
    if (rest > 0) {
      const x = <u32>load<u8>(b0 + <usize>full);
      for (let k = 0; k < rest; k++) {
        const code = (x >> (<u32>k << 1)) & 3;
        store<f64>(o + ((<usize>(full << 2) + <usize>k) << 3), code == 0 ? c0 : code == 1 ? c1 : code == 2 ? c2 : c3);
      }
    }
  }
}

/**
 * {@link bedMeanSubstituted} of the samples `index[0 .. n)` (i32) only, row v at `out + v·outRow·8`:
 * each row's missing calls still take the mean over all `nSamples` samples, as evaluating
 * `meanSubstitute(genotypeStates(...))` and then keeping the listed samples does. `tab` needs 32 bytes.
 */
export function bedMeanSubstitutedSubset(bytes: usize, nSamples: i32, numRows: i32, bytesPerVariant: i32, index: usize, n: i32, out: usize, outRow: i32, tab: usize): void {
  const row: usize = <usize>outRow << 3;
  for (let v = 0; v < numRows; v++) {
    const b0 = bytes + <usize>v * <usize>bytesPerVariant;
    const mean = bedRowMean(b0, nSamples);
    store<f64>(tab, BED_MISSING_CODE == 0 ? mean : <f64>BED_STATE_0);
    store<f64>(tab + 8, BED_MISSING_CODE == 1 ? mean : <f64>BED_STATE_1);
    store<f64>(tab + 16, BED_MISSING_CODE == 2 ? mean : <f64>BED_STATE_2);
    store<f64>(tab + 24, BED_MISSING_CODE == 3 ? mean : <f64>BED_STATE_3);
    const o = out + <usize>v * row;
    for (let t = 0; t < n; t++) {
      const s = <u32>load<i32>(index + (<usize>t << 2));
      const code = (<u32>load<u8>(b0 + <usize>(s >> 2)) >> ((s & 3) << 1)) & 3;
      store<f64>(o + (<usize>t << 3), load<f64>(tab + (<usize>code << 3)));
    }
  }
}

// ---------------------------------------------------------------------------- modal products

// Products of variant rows with the columns of a block B of n samples × r columns, stored in
// panels of 16 columns (`bt[(⌊j/16⌋·n + s)·16 + j mod 16]`, one 128-byte row per sample and panel),
// skipping the samples at the row's modal value c ∈ {0, 1, 2} (the one most samples have exactly;
// ties to the smaller). With u < w the two other values of {0, 1, 2}, the samples are split into
// three lists, each in sample order: U (x_s = u), W (x_s = w) and O (any other value, e.g. a
// missing call's mean, with d_s = x_s − c rounded once). The canonical order (shared with
// modalRowJs in kernels.ts): per column j, S_U = Σ_U B[s, j] and S_W = Σ_W B[s, j] are summed in
// list order (additions only), S_O = Σ_O d_s·B[s, j] in list order (each product rounded, then
// added); then out[j] = c·colSums[j] + ((d_u·S_U + d_w·S_W) + S_O) with d_u = u − c and
// d_w = w − c (±1 or ±2, so those products are exact). Σd = (d_u·|U| + d_w·|W|) + Σ_O d_s and
// Σd² = (d_u²·|U| + d_w²·|W|) + Σ_O d_s², the O sums in list order; then Σx = c·n + Σd and
// Σ(x − Σx/n)² = Σd² − Σd·(Σd/n) (no cancellation to speak of: d is centred at the mode).

/** The modal value among 0, 1, 2 from their counts (ties to the smaller). */
@inline function modalOf(n0: i64, n1: i64, n2: i64): f64 {
  return n0 >= n1 && n0 >= n2 ? 0.0 : n1 >= n2 ? 1.0 : 2.0;
}

/** Where the lane sums S_U, S_W, S_O of one panel (16 columns each) go: 3 × 128 bytes. */
const MODAL_SUMS: usize = memory.data(3 * 128, 16);

/**
 * W (1..8) f64x2 lanes of columns summed over a list, in list order, onto the lane sums at `dst`
 * (16·W bytes, read and written back): Σ B[s, ·] when `mul` is false, else Σ d_s·B[s, ·] (each
 * product rounded, then added).
 */
@inline function modalPass(W: i32, mul: bool, cnt: i32, li: usize, lv: usize, panel: usize, dst: usize): void {
  const z = f64x2.splat(0);
  let e0 = ld(dst), e1 = z, e2 = z, e3 = z, e4 = z, e5 = z, e6 = z, e7 = z;
  if (W > 1) e1 = ld(dst + 16);
  if (W > 2) e2 = ld(dst + 32);
  if (W > 3) e3 = ld(dst + 48);
  if (W > 4) e4 = ld(dst + 64);
  if (W > 5) e5 = ld(dst + 80);
  if (W > 6) e6 = ld(dst + 96);
  if (W > 7) e7 = ld(dst + 112);
  for (let t = 0; t < cnt; t++) {
    const r0 = panel + (<usize>load<i32>(li + (<usize>t << 2)) << 7);
    if (mul) {
      const d = v128.load64_splat(lv + (<usize>t << 3));
      e0 = f64x2.add(e0, f64x2.mul(d, ld(r0)));
      if (W > 1) e1 = f64x2.add(e1, f64x2.mul(d, ld(r0 + 16)));
      if (W > 2) e2 = f64x2.add(e2, f64x2.mul(d, ld(r0 + 32)));
      if (W > 3) e3 = f64x2.add(e3, f64x2.mul(d, ld(r0 + 48)));
      if (W > 4) e4 = f64x2.add(e4, f64x2.mul(d, ld(r0 + 64)));
      if (W > 5) e5 = f64x2.add(e5, f64x2.mul(d, ld(r0 + 80)));
      if (W > 6) e6 = f64x2.add(e6, f64x2.mul(d, ld(r0 + 96)));
      if (W > 7) e7 = f64x2.add(e7, f64x2.mul(d, ld(r0 + 112)));
    } else {
      e0 = f64x2.add(e0, ld(r0));
      if (W > 1) e1 = f64x2.add(e1, ld(r0 + 16));
      if (W > 2) e2 = f64x2.add(e2, ld(r0 + 32));
      if (W > 3) e3 = f64x2.add(e3, ld(r0 + 48));
      if (W > 4) e4 = f64x2.add(e4, ld(r0 + 64));
      if (W > 5) e5 = f64x2.add(e5, ld(r0 + 80));
      if (W > 6) e6 = f64x2.add(e6, ld(r0 + 96));
      if (W > 7) e7 = f64x2.add(e7, ld(r0 + 112));
    }
  }
  v128.store(dst, e0);
  if (W > 1) v128.store(dst + 16, e1);
  if (W > 2) v128.store(dst + 32, e2);
  if (W > 3) v128.store(dst + 48, e3);
  if (W > 4) v128.store(dst + 64, e4);
  if (W > 5) v128.store(dst + 80, e5);
  if (W > 6) v128.store(dst + 96, e6);
  if (W > 7) v128.store(dst + 112, e7);
}

/** The three list passes of one panel of W lanes. */
@inline function modalPanel(W: i32, nu: i32, nw: i32, no: i32, liU: usize, liW: usize, liO: usize, lvO: usize, panel: usize, sums: usize): void {
  modalPass(W, false, nu, liU, 0, panel, sums);
  modalPass(W, false, nw, liW, 0, panel, sums + 128);
  modalPass(W, true, no, liO, lvO, panel, sums + 256);
}

/** {@link modalPanel} of the panel of `cols` columns (W = ⌈cols/2⌉ lanes). */
function modalPanelOf(cols: i32, nu: i32, nw: i32, no: i32, liU: usize, liW: usize, liO: usize, lvO: usize, panel: usize, sums: usize): void {
  const W = (cols + 1) >> 1;
  if (W == 8) modalPanel(8, nu, nw, no, liU, liW, liO, lvO, panel, sums);
  else if (W == 7) modalPanel(7, nu, nw, no, liU, liW, liO, lvO, panel, sums);
  else if (W == 6) modalPanel(6, nu, nw, no, liU, liW, liO, lvO, panel, sums);
  else if (W == 5) modalPanel(5, nu, nw, no, liU, liW, liO, lvO, panel, sums);
  else if (W == 4) modalPanel(4, nu, nw, no, liU, liW, liO, lvO, panel, sums);
  else if (W == 3) modalPanel(3, nu, nw, no, liU, liW, liO, lvO, panel, sums);
  else if (W == 2) modalPanel(2, nu, nw, no, liU, liW, liO, lvO, panel, sums);
  else modalPanel(1, nu, nw, no, liU, liW, liO, lvO, panel, sums);
}

/** The list scratch of n samples: lvO (n + 8 f64), then liU, liW, liO (n + 4 i32 each), 16-byte aligned. */
@inline function listAt(list: usize, n: i32, which: i32): usize {
  const lv = ((<usize>(n + 8) << 3) + 15) & ~(<usize>15);
  const li = ((<usize>(n + 4) << 2) + 15) & ~(<usize>15);
  return list + (which == 0 ? 0 : lv + <usize>(which - 1) * li);
}

/** The products, Σx and Σ(x − μ)² of one row from its lists (see the section comment). */
function modalFinish(c: f64, nu: i32, nw: i32, no: i32, n: i32, list: usize, bt: usize, r: i32, colSums: usize, out: usize, sum: usize, norm: usize): void {
  const lvO = listAt(list, n, 0), liU = listAt(list, n, 1), liW = listAt(list, n, 2), liO = listAt(list, n, 3);
  const u: f64 = c == 0.0 ? 1.0 : 0.0;
  const w: f64 = c == 2.0 ? 1.0 : 2.0;
  const du = u - c, dw = w - c;
  for (let j0 = 0; j0 < r; j0 += 16) {
    const cols = min(16, r - j0);
    const panel = bt + ((<usize>(j0 >> 4) * <usize>n) << 7);
    memory.fill(MODAL_SUMS, 0, 3 * 128);
    modalPanelOf(cols, nu, nw, no, liU, liW, liO, lvO, panel, MODAL_SUMS);
    const o = out + (<usize>j0 << 3);
    const cs = colSums + (<usize>j0 << 3);
    for (let j = 0; j < cols; j++) {
      const jo = <usize>j << 3;
      const su = load<f64>(MODAL_SUMS + jo), sw = load<f64>(MODAL_SUMS + 128 + jo), so = load<f64>(MODAL_SUMS + 256 + jo);
      store<f64>(o + jo, c * load<f64>(cs + jo) + ((du * su + dw * sw) + so));
    }
  }
  let sd: f64 = 0, sq: f64 = 0;
  for (let t = 0; t < no; t++) { const d = load<f64>(lvO + (<usize>t << 3)); sd += d; sq += d * d; }
  sd = (du * <f64>nu + dw * <f64>nw) + sd;
  sq = (du * du * <f64>nu + dw * dw * <f64>nw) + sq;
  store<f64>(sum, c * <f64>n + sd);
  store<f64>(norm, sq - sd * (sd / <f64>n));
}

/**
 * Modal products of `m` dense rows (`a`, m×n) with the r columns of the panel block `bt`:
 * `out[v*outRow + j]` (j < r), `sums[v]` = Σx, `norms[v]` = Σ(x − Σx/n)². `list` is the list
 * scratch (see listAt).
 */
export function modalCross(a: usize, m: i32, n: i32, bt: usize, r: i32, colSums: usize, out: usize, outRow: i32, sums: usize, norms: usize, list: usize): void {
  const row: usize = <usize>n << 3;
  const lvO = listAt(list, n, 0), liU = listAt(list, n, 1), liW = listAt(list, n, 2), liO = listAt(list, n, 3);
  for (let v = 0; v < m; v++) {
    const av = a + <usize>v * row;
    let n0: i64 = 0, n1: i64 = 0, n2: i64 = 0;
    for (let s = 0; s < n; s++) {
      const x = load<f64>(av + (<usize>s << 3));
      n0 += <i64>(x == 0.0); n1 += <i64>(x == 1.0); n2 += <i64>(x == 2.0);
    }
    const c = modalOf(n0, n1, n2);
    const u: f64 = c == 0.0 ? 1.0 : 0.0;
    const w: f64 = c == 2.0 ? 1.0 : 2.0;
    let nu = 0, nw = 0, no = 0;
    for (let s = 0; s < n; s++) {
      const x = load<f64>(av + (<usize>s << 3));
      store<i32>(liU + (<usize>nu << 2), s);
      store<i32>(liW + (<usize>nw << 2), s);
      store<i32>(liO + (<usize>no << 2), s);
      store<f64>(lvO + (<usize>no << 3), x - c);
      const isU = x == u, isW = x == w;
      nu += <i32>isU; nw += <i32>isW;
      no += <i32>(!isU && !isW && x != c);
    }
    modalFinish(c, nu, nw, no, n, list, bt, r, colSums, out + ((<usize>v * <usize>outRow) << 3), sums + (<usize>v << 3), norms + (<usize>v << 3));
  }
}

/** Bytes per entry of the list tables: 4 i32 positions of U, 4 of W, the two counts. */
const LUT_ENTRY: usize = 48;
/** The list tables (3 × 256 entries: modal state 0/1/2), built on first use. */
const LUTS: usize = memory.data(3 * 256 * <i32>LUT_ENTRY, 16);
const LUT_BUILT: usize = memory.data(8);

/** The .bed code whose state is `state` (0, 1, 2). */
@inline function codeOfState(state: i32): u32 {
  if (BED_MISSING_CODE != 0 && BED_STATE_0 == <i64>state) return 0;
  if (BED_MISSING_CODE != 1 && BED_STATE_1 == <i64>state) return 1;
  if (BED_MISSING_CODE != 2 && BED_STATE_2 == <i64>state) return 2;
  return 3;
}

/**
 * The table for modal state c: for each byte value, the positions (0..3, in order) of its samples
 * whose code has state u, then those of state w (u < w the other two states), and both counts.
 * The missing code is in neither list.
 */
function listTable(c: i32): usize {
  const t = LUTS + <usize>c * 256 * LUT_ENTRY;
  if (load<u8>(LUT_BUILT + <usize>c)) return t;
  const codeU = codeOfState(c == 0 ? 1 : 0);
  const codeW = codeOfState(c == 2 ? 1 : 2);
  for (let b: u32 = 0; b < 256; b++) {
    const e = t + <usize>b * LUT_ENTRY;
    let ku = 0, kw = 0;
    for (let q = 0; q < 8; q++) store<i32>(e + (<usize>q << 2), 0);
    for (let q: u32 = 0; q < 4; q++) {
      const code = (b >> (q << 1)) & 3;
      if (code == codeU) { store<i32>(e + (<usize>ku << 2), <i32>q); ku++; }
      else if (code == codeW) { store<i32>(e + 16 + (<usize>kw << 2), <i32>q); kw++; }
    }
    store<u8>(e + 32, <u8>ku);
    store<u8>(e + 33, <u8>kw);
  }
  store<u8>(LUT_BUILT + <usize>c, 1);
  return t;
}

/** The end of the module's static data (JavaScript places its buffers above it). */
export function staticEnd(): usize {
  return __heap_base;
}

/** Per-row state of {@link bedModalCross}: a 64-byte head (see below), then 3 × 128 bytes of lane sums per panel. */
const ROW_HEAD: usize = 64;
/** The rows' state region: rows are taken in groups that fit it. */
const STATE_BYTES: usize = 160 * 1024;
const MODAL_STATE: usize = memory.data(<i32>STATE_BYTES, 16);
/** Bytes of panel rows per sample chunk: a chunk's panel rows stay in the L2 cache while every row of the group passes over them. */
const CHUNK_PANEL_BYTES: i32 = 128 * 1024;

/**
 * {@link modalCross} of packed PLINK .bed variants, each row being `meanSubstitute(genotypeStates)`
 * (missingValue −1) of its 2-bit codes (rounded to f32 when `f32` ≠ 0), exactly as
 * bedMeanSubstituted would write it. The lists U and W are built from the codes a byte at a time
 * through a table, the missing calls (list O) from a bit scan; when the missing calls' value is
 * itself 0, 1 or 2, every sample is classified one at a time instead (same lists). `tab` needs 32
 * bytes.
 *
 * Cache blocking: the samples are taken in chunks (multiples of 32) whose panel rows fit in the
 * L2 cache, and every row of a group passes over a chunk before the next chunk: each row's lists
 * are built a chunk at a time and its lane sums continue from one chunk to the next, so every sum
 * is taken in the same order as without chunks (the canonical order, bit for bit).
 */
export function bedModalCross(bytes: usize, nSamples: i32, numRows: i32, bytesPerVariant: i32, f32: i32,
  bt: usize, r: i32, colSums: usize, out: usize, outRow: i32, sums: usize, norms: usize, list: usize, tab: usize): void {
  const full = nSamples >> 2;
  const words = full >> 3;
  const M: u64 = 0x5555555555555555;
  const n = nSamples;
  const lvO = listAt(list, n, 0), liU = listAt(list, n, 1), liW = listAt(list, n, 2), liO = listAt(list, n, 3);
  const P = (r + 15) >> 4;
  const rowBytes: usize = ROW_HEAD + <usize>P * 384;
  const G = max(1, <i32>(STATE_BYTES / rowBytes));
  const CH = max(32, ((CHUNK_PANEL_BYTES / (P * 128)) >> 5) << 5);
  for (let g0 = 0; g0 < numRows; g0 += G) {
    const g1 = min(numRows, g0 + G);
    // each row's counts, modal value and missing calls' value; its sums start at 0
    for (let v = g0; v < g1; v++) {
      const b0 = bytes + <usize>v * <usize>bytesPerVariant;
      let n0: i64 = 0, n1: i64 = 0, n2: i64 = 0, n3: i64 = 0; // samples per code
      for (let w = 0; w < words; w++) {
        const x = load<u64>(b0 + (<usize>w << 3));
        const lo = x & M;
        const hi = (x >> 1) & M;
        n0 += popcnt<u64>(~(lo | hi) & M);
        n1 += popcnt<u64>(lo & ~hi);
        n2 += popcnt<u64>(hi & ~lo);
        n3 += popcnt<u64>(lo & hi);
      }
      for (let s = words << 5; s < nSamples; s++) {
        const code = (<u32>load<u8>(b0 + <usize>(s >> 2)) >> (<u32>(s & 3) << 1)) & 3;
        if (code == 0) n0++;
        else if (code == 1) n1++;
        else if (code == 2) n2++;
        else n3++;
      }
      const missing = BED_MISSING_CODE == 0 ? n0 : BED_MISSING_CODE == 1 ? n1 : BED_MISSING_CODE == 2 ? n2 : n3;
      const called = <f64>(<i64>nSamples - missing);
      const sum = n0 * BED_STATE_0 + n1 * BED_STATE_1 + n2 * BED_STATE_2 + n3 * BED_STATE_3;
      let mean = called > 0 ? <f64>sum / called : -1.0;
      if (f32) mean = <f64><f32>mean;
      const v0 = BED_MISSING_CODE == 0 ? mean : <f64>BED_STATE_0;
      const v1 = BED_MISSING_CODE == 1 ? mean : <f64>BED_STATE_1;
      const v2 = BED_MISSING_CODE == 2 ? mean : <f64>BED_STATE_2;
      const v3 = BED_MISSING_CODE == 3 ? mean : <f64>BED_STATE_3;
      // samples per value 0, 1, 2 (the missing code counts for the mean's value)
      const c0 = (v0 == 0.0 ? n0 : 0) + (v1 == 0.0 ? n1 : 0) + (v2 == 0.0 ? n2 : 0) + (v3 == 0.0 ? n3 : 0);
      const c1 = (v0 == 1.0 ? n0 : 0) + (v1 == 1.0 ? n1 : 0) + (v2 == 1.0 ? n2 : 0) + (v3 == 1.0 ? n3 : 0);
      const c2 = (v0 == 2.0 ? n0 : 0) + (v1 == 2.0 ? n1 : 0) + (v2 == 2.0 ? n2 : 0) + (v3 == 2.0 ? n3 : 0);
      // head: c, mean, kind (0: no missing calls, 1: missing calls in O, 2: one sample at a time), nu, nw, no, Σ_O d, Σ_O d²
      const st = MODAL_STATE + <usize>(v - g0) * rowBytes;
      store<f64>(st, modalOf(c0, c1, c2));
      store<f64>(st, mean, 8);
      store<i32>(st, missing == 0 ? 0 : mean == 0.0 || mean == 1.0 || mean == 2.0 ? 2 : 1, 16);
      store<i32>(st, 0, 20); store<i32>(st, 0, 24); store<i32>(st, 0, 28);
      store<f64>(st, 0.0, 32); store<f64>(st, 0.0, 40);
      memory.fill(st + ROW_HEAD, 0, <usize>P * 384);
    }
    for (let s0 = 0; s0 < n; s0 += CH) {
      const s1 = min(n, s0 + CH);
      const last = s1 == n;
      for (let v = g0; v < g1; v++) {
        const b0 = bytes + <usize>v * <usize>bytesPerVariant;
        const st = MODAL_STATE + <usize>(v - g0) * rowBytes;
        const c = load<f64>(st);
        const mean = load<f64>(st, 8);
        const kind = load<i32>(st, 16);
        const u: f64 = c == 0.0 ? 1.0 : 0.0;
        const w: f64 = c == 2.0 ? 1.0 : 2.0;
        let nu = 0, nw = 0, no = 0;
        if (kind == 2) {
          // the missing calls join U, W or the skipped samples: one sample at a time
          store<f64>(tab, BED_MISSING_CODE == 0 ? mean : <f64>BED_STATE_0);
          store<f64>(tab + 8, BED_MISSING_CODE == 1 ? mean : <f64>BED_STATE_1);
          store<f64>(tab + 16, BED_MISSING_CODE == 2 ? mean : <f64>BED_STATE_2);
          store<f64>(tab + 24, BED_MISSING_CODE == 3 ? mean : <f64>BED_STATE_3);
          for (let s = s0; s < s1; s++) {
            const x = load<f64>(tab + (<usize>((<u32>load<u8>(b0 + <usize>(s >> 2)) >> (<u32>(s & 3) << 1)) & 3) << 3));
            store<i32>(liU + (<usize>nu << 2), s);
            store<i32>(liW + (<usize>nw << 2), s);
            nu += <i32>(x == u); nw += <i32>(x == w);
          }
        } else {
          const lut = listTable(<i32>c);
          let base = i32x4.add(i32x4.splat(s0), i32x4(0, 0, 0, 0));
          const four = i32x4.splat(4);
          const j1 = last ? full : s1 >> 2;
          for (let j = s0 >> 2; j < j1; j++) {
            const e = lut + <usize>load<u8>(b0 + <usize>j) * LUT_ENTRY;
            v128.store(liU + (<usize>nu << 2), i32x4.add(base, v128.load(e)));
            v128.store(liW + (<usize>nw << 2), i32x4.add(base, v128.load(e + 16)));
            nu += <i32>load<u8>(e + 32);
            nw += <i32>load<u8>(e + 33);
            base = i32x4.add(base, four);
          }
          if (last) {
            for (let s = full << 2; s < nSamples; s++) {
              const code = (<u32>load<u8>(b0 + <usize>(s >> 2)) >> (<u32>(s & 3) << 1)) & 3;
              const x: f64 = code == <u32>BED_MISSING_CODE ? mean : code == 0 ? <f64>BED_STATE_0 : code == 1 ? <f64>BED_STATE_1 : code == 2 ? <f64>BED_STATE_2 : <f64>BED_STATE_3;
              store<i32>(liU + (<usize>nu << 2), s);
              store<i32>(liW + (<usize>nw << 2), s);
              nu += <i32>(x == u); nw += <i32>(x == w);
            }
          }
          if (kind == 1) {
            // list O: the missing calls, in sample order, each with d = mean − c
            const d = mean - c;
            const mc: u64 = <u64>BED_MISSING_CODE;
            const pat: u64 = (mc & 1 ? M : 0) | (mc & 2 ? M << 1 : 0);
            const w1 = last ? words : s1 >> 5;
            for (let wd = s0 >> 5; wd < w1; wd++) {
              const x = load<u64>(b0 + (<usize>wd << 3)) ^ ~pat;
              let hit = x & (x >> 1) & M; // both bits equal to the missing code's
              while (hit != 0) {
                const bit = <i32>ctz<u64>(hit);
                const s = (wd << 5) + (bit >> 1);
                store<i32>(liO + (<usize>no << 2), s);
                store<f64>(lvO + (<usize>no << 3), d);
                no++;
                hit &= hit - 1;
              }
            }
            if (last) {
              for (let s = words << 5; s < nSamples; s++) {
                const code = (<u32>load<u8>(b0 + <usize>(s >> 2)) >> (<u32>(s & 3) << 1)) & 3;
                if (code == <u32>BED_MISSING_CODE) {
                  store<i32>(liO + (<usize>no << 2), s);
                  store<f64>(lvO + (<usize>no << 3), d);
                  no++;
                }
              }
            }
          }
        }
        for (let p = 0; p < P; p++) {
          const panel = bt + ((<usize>p * <usize>n) << 7);
          modalPanelOf(min(16, r - (p << 4)), nu, nw, no, liU, liW, liO, lvO, panel, st + ROW_HEAD + <usize>p * 384);
        }
        let sd = load<f64>(st, 32), sq = load<f64>(st, 40);
        for (let t = 0; t < no; t++) { const d = load<f64>(lvO + (<usize>t << 3)); sd += d; sq += d * d; }
        store<f64>(st, sd, 32); store<f64>(st, sq, 40);
        store<i32>(st, load<i32>(st, 20) + nu, 20);
        store<i32>(st, load<i32>(st, 24) + nw, 24);
        store<i32>(st, load<i32>(st, 28) + no, 28);
      }
    }
    // the products, Σx and Σ(x − μ)² of each row (as modalFinish)
    for (let v = g0; v < g1; v++) {
      const st = MODAL_STATE + <usize>(v - g0) * rowBytes;
      const c = load<f64>(st);
      const u: f64 = c == 0.0 ? 1.0 : 0.0;
      const w: f64 = c == 2.0 ? 1.0 : 2.0;
      const du = u - c, dw = w - c;
      const o = out + ((<usize>v * <usize>outRow) << 3);
      for (let j = 0; j < r; j++) {
        const a = st + ROW_HEAD + <usize>(j >> 4) * 384 + (<usize>(j & 15) << 3);
        const su = load<f64>(a), sw = load<f64>(a + 128), so = load<f64>(a + 256);
        store<f64>(o + (<usize>j << 3), c * load<f64>(colSums + (<usize>j << 3)) + ((du * su + dw * sw) + so));
      }
      const nu = load<i32>(st, 20), nw = load<i32>(st, 24);
      let sd = load<f64>(st, 32), sq = load<f64>(st, 40);
      sd = (du * <f64>nu + dw * <f64>nw) + sd;
      sq = (du * du * <f64>nu + dw * dw * <f64>nw) + sq;
      store<f64>(sums + (<usize>v << 3), c * <f64>n + sd);
      store<f64>(norms + (<usize>v << 3), sq - sd * (sd / <f64>n));
    }
  }
}

// ---------------------------------------------------------------------------- Cholesky

/** `x[j] −= f·y[j]` for j in [j0, p) (each product rounded, then subtracted), x and y rows. */
@inline function subScaled(x: usize, y: usize, j0: i32, p: i32, f: f64): void {
  const fv = f64x2.splat(f);
  let j = j0;
  for (; j + 1 < p; j += 2) {
    const o = <usize>j << 3;
    v128.store(x + o, f64x2.sub(ld(x + o), f64x2.mul(fv, ld(y + o))));
  }
  if (j < p) {
    const o = <usize>j << 3;
    store<f64>(x + o, load<f64>(x + o) - f * load<f64>(y + o));
  }
}

/**
 * In-place Cholesky factorization of a symmetric p×p row-major matrix (upper triangle read and
 * overwritten with R, A = RᵀR), blocked right-looking with panels of `nb` rows. The same
 * operations in the same order as the plain-TypeScript `choleskyUpperJs` in kernels.ts (each
 * element's arithmetic is identical; the lanes only do two columns at once), so the two agree bit
 * for bit. Returns 1, or 0 when a pivot is not positive.
 */
export function choleskyUpper(r: usize, p: i32, nb: i32): i32 {
  const row: usize = <usize>p << 3;
  for (let k0 = 0; k0 < p; k0 += nb) {
    const k1 = min(p, k0 + nb);
    for (let k = k0; k < k1; k++) {
      const ko = r + <usize>k * row;
      const kk = ko + (<usize>k << 3);
      const dk = load<f64>(kk);
      if (!(dk > 0)) return 0;
      const s = sqrt<f64>(dk);
      store<f64>(kk, s);
      const inv = 1.0 / s;
      const iv = f64x2.splat(inv);
      let j = k + 1;
      for (; j + 1 < p; j += 2) {
        const o = ko + (<usize>j << 3);
        v128.store(o, f64x2.mul(ld(o), iv));
      }
      if (j < p) { const o = ko + (<usize>j << 3); store<f64>(o, load<f64>(o) * inv); }
      for (let i = k + 1; i < k1; i++) {
        const f = load<f64>(ko + (<usize>i << 3));
        if (f == 0) continue;
        subScaled(r + <usize>i * row, ko, i, p, f);
      }
    }
    // trailing update with the panel, four panel rows at a time; two target rows share the loads
    let i = k1;
    for (; i + 1 < p; i += 2) {
      // row i's column i first (row i+1 starts at column i+1), exactly as trailRow would do it
      trailRow(r, row, k0, k1, i, i, i + 1);
      trailPair(r, row, k0, k1, i, i + 1, p);
    }
    if (i < p) trailRow(r, row, k0, k1, i, i, p);
  }
  return 1;
}

/**
 * Trailing update of row i over columns [j0, j1): `r[i,j] −= ((f0·x0 + f1·x1) + f2·x2) + f3·x3`
 * for each group of four panel rows t (f = r[t,i], x = r[t,j]), then `−= f·x` for the rest,
 * skipping zero f (the order of the plain kernel).
 */
function trailRow(r: usize, row: usize, k0: i32, k1: i32, i: i32, j0: i32, j1: i32): void {
  const io = r + <usize>i * row;
  const ib = <usize>i << 3;
  let t = k0;
  for (; t + 3 < k1; t += 4) {
    const t0 = r + <usize>t * row, t1 = t0 + row, t2 = t1 + row, t3 = t2 + row;
    const g0 = load<f64>(t0 + ib), g1 = load<f64>(t1 + ib), g2 = load<f64>(t2 + ib), g3 = load<f64>(t3 + ib);
    const f0 = f64x2.splat(g0), f1 = f64x2.splat(g1), f2 = f64x2.splat(g2), f3 = f64x2.splat(g3);
    let j = j0;
    for (; j + 1 < j1; j += 2) {
      const o = <usize>j << 3;
      let u = f64x2.add(f64x2.mul(f0, ld(t0 + o)), f64x2.mul(f1, ld(t1 + o)));
      u = f64x2.add(u, f64x2.mul(f2, ld(t2 + o)));
      u = f64x2.add(u, f64x2.mul(f3, ld(t3 + o)));
      v128.store(io + o, f64x2.sub(ld(io + o), u));
    }
    if (j < j1) {
      const o = <usize>j << 3;
      const u = g0 * load<f64>(t0 + o) + g1 * load<f64>(t1 + o) + g2 * load<f64>(t2 + o) + g3 * load<f64>(t3 + o);
      store<f64>(io + o, load<f64>(io + o) - u);
    }
  }
  for (; t < k1; t++) {
    const to = r + <usize>t * row;
    const f = load<f64>(to + ib);
    if (f == 0) continue;
    const fv = f64x2.splat(f);
    let j = j0;
    for (; j + 1 < j1; j += 2) {
      const o = <usize>j << 3;
      v128.store(io + o, f64x2.sub(ld(io + o), f64x2.mul(fv, ld(to + o))));
    }
    if (j < j1) {
      const o = <usize>j << 3;
      store<f64>(io + o, load<f64>(io + o) - f * load<f64>(to + o));
    }
  }
}

/** {@link trailRow} of rows i and i+1 over columns [j0, p), sharing the panel loads. */
function trailPair(r: usize, row: usize, k0: i32, k1: i32, i: i32, j0: i32, p: i32): void {
  const ao = r + <usize>i * row, bo = ao + row;
  const ia = <usize>i << 3, ibb = ia + 8;
  let t = k0;
  for (; t + 3 < k1; t += 4) {
    const t0 = r + <usize>t * row, t1 = t0 + row, t2 = t1 + row, t3 = t2 + row;
    const a0 = load<f64>(t0 + ia), a1 = load<f64>(t1 + ia), a2 = load<f64>(t2 + ia), a3 = load<f64>(t3 + ia);
    const b0 = load<f64>(t0 + ibb), b1 = load<f64>(t1 + ibb), b2 = load<f64>(t2 + ibb), b3 = load<f64>(t3 + ibb);
    const fa0 = f64x2.splat(a0), fa1 = f64x2.splat(a1), fa2 = f64x2.splat(a2), fa3 = f64x2.splat(a3);
    const fb0 = f64x2.splat(b0), fb1 = f64x2.splat(b1), fb2 = f64x2.splat(b2), fb3 = f64x2.splat(b3);
    let j = j0;
    for (; j + 1 < p; j += 2) {
      const o = <usize>j << 3;
      const x0 = ld(t0 + o), x1 = ld(t1 + o), x2 = ld(t2 + o), x3 = ld(t3 + o);
      let u = f64x2.add(f64x2.mul(fa0, x0), f64x2.mul(fa1, x1));
      u = f64x2.add(u, f64x2.mul(fa2, x2));
      u = f64x2.add(u, f64x2.mul(fa3, x3));
      let w = f64x2.add(f64x2.mul(fb0, x0), f64x2.mul(fb1, x1));
      w = f64x2.add(w, f64x2.mul(fb2, x2));
      w = f64x2.add(w, f64x2.mul(fb3, x3));
      v128.store(ao + o, f64x2.sub(ld(ao + o), u));
      v128.store(bo + o, f64x2.sub(ld(bo + o), w));
    }
    if (j < p) {
      const o = <usize>j << 3;
      const x0 = load<f64>(t0 + o), x1 = load<f64>(t1 + o), x2 = load<f64>(t2 + o), x3 = load<f64>(t3 + o);
      store<f64>(ao + o, load<f64>(ao + o) - (a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3));
      store<f64>(bo + o, load<f64>(bo + o) - (b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3));
    }
  }
  // remaining panel rows one by one (row i first, then row i+1: independent elements)
  if (t < k1) {
    trailTail(r, row, t, k1, i, j0, p);
    trailTail(r, row, t, k1, i + 1, j0, p);
  }
}

function trailTail(r: usize, row: usize, t0: i32, k1: i32, i: i32, j0: i32, j1: i32): void {
  const io = r + <usize>i * row;
  const ib = <usize>i << 3;
  for (let t = t0; t < k1; t++) {
    const to = r + <usize>t * row;
    const f = load<f64>(to + ib);
    if (f == 0) continue;
    subScaled(io, to, j0, j1, f);
  }
}
