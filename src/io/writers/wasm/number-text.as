// AssemblyScript source of the WebAssembly double → text formatter behind src/io/writers/number-text.ts.
// Compiled by src/linalg/wasm/build.mjs (with the table of powers of ten it generates into
// number-text-table.as) into number-text-wasm.ts.
//
// Each double is written as ECMAScript's Number::toString writes it (the shortest decimal that
// reads back as the same double, the closest one when several are that short, ties to the even
// digit; fixed notation for decimal exponents in (−7, 21], else `d.ddde±x`). The digits come from
// the Schubfach algorithm (R. Giulietti, "The Schubfach way to render doubles", 2020): the
// rounding interval of the double is scaled by a 126-bit approximation of a power of ten so that
// it has width in [1, 10) units, and the shortest candidate in it is one of the multiples of ten
// around the scaled value, or the integer below or above it.
//
// Zero is written as `0`; NaN, ±Infinity and subnormal doubles are not handled here (length 0:
// the caller writes them with String()).

import { G_HI, G_LO, G_MIN_E } from "./number-text-table";

const MASK63: u64 = 0x7fffffffffffffff;

/** High 64 bits of the 128-bit product a·b. */
@inline function mulHigh(a: u64, b: u64): u64 {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/** ⌊g·cp / 2^127⌋ rounded to odd (sticky low bit), g = g1·2^63 + g0. */
@inline function roundToOdd(g1: u64, g0: u64, cp: u64): u64 {
  const x1 = mulHigh(g0, cp);
  const y0 = g1 * cp;
  const y1 = mulHigh(g1, cp);
  const z = (y0 >> 1) + x1;
  const vbp = y1 + (z >> 63);
  return vbp | (((z & MASK63) + MASK63) >> 63);
}

/** ⌊q·log10(2)⌋ */
@inline function floorLog10Pow2(q: i64): i64 { return (q * 661971961083) >> 41; }
/** ⌊log10(3/4 · 2^q)⌋ */
@inline function floorLog10ThreeQuartersPow2(q: i64): i64 { return (q * 661971961083 - 274743187321) >> 41; }
/** ⌊e·log2(10)⌋ */
@inline function floorLog2Pow10(e: i64): i64 { return (e * 913124641741) >> 38; }

@inline function putc(p: usize, c: i32): void { store<u8>(p, <u8>c); }

/** "00" .. "99" as little-endian byte pairs. */
const PAIRS: StaticArray<u16> = [
  0x3030, 0x3130, 0x3230, 0x3330, 0x3430, 0x3530, 0x3630, 0x3730, 0x3830, 0x3930,
  0x3031, 0x3131, 0x3231, 0x3331, 0x3431, 0x3531, 0x3631, 0x3731, 0x3831, 0x3931,
  0x3032, 0x3132, 0x3232, 0x3332, 0x3432, 0x3532, 0x3632, 0x3732, 0x3832, 0x3932,
  0x3033, 0x3133, 0x3233, 0x3333, 0x3433, 0x3533, 0x3633, 0x3733, 0x3833, 0x3933,
  0x3034, 0x3134, 0x3234, 0x3334, 0x3434, 0x3534, 0x3634, 0x3734, 0x3834, 0x3934,
  0x3035, 0x3135, 0x3235, 0x3335, 0x3435, 0x3535, 0x3635, 0x3735, 0x3835, 0x3935,
  0x3036, 0x3136, 0x3236, 0x3336, 0x3436, 0x3536, 0x3636, 0x3736, 0x3836, 0x3936,
  0x3037, 0x3137, 0x3237, 0x3337, 0x3437, 0x3537, 0x3637, 0x3737, 0x3837, 0x3937,
  0x3038, 0x3138, 0x3238, 0x3338, 0x3438, 0x3538, 0x3638, 0x3738, 0x3838, 0x3938,
  0x3039, 0x3139, 0x3239, 0x3339, 0x3439, 0x3539, 0x3639, 0x3739, 0x3839, 0x3939,
];

/** 10^0 .. 10^19. */
const POW10: StaticArray<u64> = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000,
  100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000,
  10000000000000000, 100000000000000000, 1000000000000000000, 10000000000000000000,
];

/** The `len` decimal digits of `f` at `p`, most significant first (two at a time, from the end). */
function writeDigits(p: usize, f: u64, len: i32): void {
  let i = <usize>len;
  while (f >= 100000000) {
    const d = f / 100000000;
    let r = <u32>(f - d * 100000000);
    f = d;
    for (let t = 0; t < 4; t++) {
      const r2 = r % 100;
      r /= 100;
      i -= 2;
      store<u16>(p + i, unchecked(PAIRS[r2]));
    }
  }
  let r = <u32>f;
  while (r >= 100) {
    const r2 = r % 100;
    r /= 100;
    i -= 2;
    store<u16>(p + i, unchecked(PAIRS[r2]));
  }
  if (r >= 10) { i -= 2; store<u16>(p + i, unchecked(PAIRS[r])); }
  else { i -= 1; store<u8>(p + i, <u8>(48 + r)); }
}

/** Decimal digits of f (1 for 0): from its bit length (⌊bits·log10(2)⌋ + 1 or one less), then one comparison. */
@inline function digitCount(f: u64): i32 {
  const t = ((64 - <i32>clz<u64>(f | 1)) * 1233) >> 12; // ⌊log10(2^bits)⌋, bits = bit length of f
  return t + 1 - <i32>(t > 0 && t < 20 && f < unchecked(POW10[t]));
}

/** Writes `v` at `out` (≤ 25 bytes) as Number::toString does; returns the length, 0 when not handled. */
export function formatDouble(v: f64, out: usize): i32 {
  const bits = reinterpret<u64>(v);
  const be = <i32>((bits >> 52) & 0x7ff);
  const t = bits & 0xfffffffffffff;
  if (be == 0x7ff) return 0;
  let p = out;
  if (be == 0) {
    if (t != 0) return 0;
    putc(p, 48);
    return 1;
  }
  if (bits >> 63) { putc(p, 45); p++; }
  const c: u64 = t | (<u64>1 << 52);
  const q: i64 = <i64>be - 1075;
  // integers below 2^53 (positions, counts): their digits
  if (q <= 0 && q >= -52) {
    const sh = <u64>(-q);
    if ((c & ((<u64>1 << sh) - 1)) == 0) {
      const f = c >> sh;
      const len = digitCount(f);
      writeDigits(p, f, len);
      return <i32>(p + <usize>len - out);
    }
  }
  // Schubfach: the rounding interval [cbl, cbr] (in units of 2^q / 4) scaled by 10^-k
  const odd: u64 = c & 1;
  const cb = c << 2;
  const cbr = cb + 2;
  let cbl: u64;
  let k: i64;
  if (t != 0) { cbl = cb - 2; k = floorLog10Pow2(q); }
  else { cbl = cb - 1; k = floorLog10ThreeQuartersPow2(q); }
  const h = q + floorLog2Pow10(-k) + 2;
  const gi = <i32>(-k - G_MIN_E);
  const g1 = unchecked(G_HI[gi]);
  const g0 = unchecked(G_LO[gi]);
  const vb = roundToOdd(g1, g0, cb << h);
  const vbl = roundToOdd(g1, g0, cbl << h);
  const vbr = roundToOdd(g1, g0, cbr << h);
  const s = vb >> 2;
  let f: u64 = 0;
  let done = false;
  if (s >= 100) {
    const sp10 = (s / 10) * 10;
    const tp10 = sp10 + 10;
    const upin = vbl + odd <= (sp10 << 2);
    const wpin = (tp10 << 2) + odd <= vbr;
    if (upin != wpin) { f = upin ? sp10 : tp10; done = true; }
  }
  if (!done) {
    const s1 = s + 1;
    const uin = vbl + odd <= (s << 2);
    const win = (s1 << 2) + odd <= vbr;
    if (uin != win) f = uin ? s : s1;
    else {
      const cmp = <i64>vb - <i64>((s + s1) << 1);
      f = cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : s1;
    }
  }
  // f·10^k: drop trailing zeros, then lay out the digits as Number::toString does
  let e = k;
  while (f % 10 == 0) { f /= 10; e++; }
  const len = digitCount(f);
  const n = <i32>e + len; // the decimal point sits after n digits
  if (len <= n && n <= 21) {
    writeDigits(p, f, len);
    for (let i = len; i < n; i++) putc(p + <usize>i, 48);
    p += <usize>n;
  } else if (0 < n && n <= 21) {
    writeDigits(p + 1, f, len);
    // the integer digits one byte to the left, then the point
    for (let i = 0; i < n; i++) putc(p + <usize>i, load<u8>(p + <usize>(i + 1)));
    putc(p + <usize>n, 46);
    p += <usize>(len + 1);
  } else if (-6 < n && n <= 0) {
    putc(p, 48); putc(p + 1, 46);
    p += 2;
    for (let i = 0; i < -n; i++) { putc(p, 48); p++; }
    writeDigits(p, f, len);
    p += <usize>len;
  } else {
    writeDigits(p + 1, f, len);
    putc(p, load<u8>(p + 1));
    if (len > 1) { putc(p + 1, 46); p += <usize>(len + 1); }
    else p += 1;
    putc(p, 101); p++;
    let x = n - 1;
    if (x < 0) { putc(p, 45); x = -x; } else putc(p, 43);
    p++;
    const xl = digitCount(<u64>x);
    writeDigits(p, <u64>x, xl);
    p += <usize>xl;
  }
  return <i32>(p - out);
}

/**
 * Formats `count` doubles read from `src` one after another at `out`; `starts[i]` (i32) receives
 * where value i begins and `starts[count]` the end. A value not handled gets no bytes (its start
 * equals the next one): the caller writes it itself.
 */
export function formatDoubles(src: usize, count: i32, out: usize, starts: usize): void {
  let o = out;
  for (let i = 0; i < count; i++) {
    store<i32>(starts + (<usize>i << 2), <i32>(o - out));
    o += <usize>formatDouble(load<f64>(src + (<usize>i << 3)), o);
  }
  store<i32>(starts + (<usize>count << 2), <i32>(o - out));
}

/** Copies `len` bytes from `src` to `dst` eight at a time (reads and writes up to 7 bytes beyond: both regions are padded). */
@inline function copyWords(dst: usize, src: usize, len: i32): void {
  for (let k: i32 = 0; k < len; k += 8) store<u64>(dst + <usize>k, load<u64>(src + <usize>k));
}

/**
 * Lays out delimited text lines from columns, a row at a time: the cells of row `i` (row
 * `order[r]` for line r when `order` is not 0, else row r) joined by the `dl` delimiter bytes at
 * `delim`, each line ended by a newline. `desc` holds `ncols` column descriptors of three i32:
 * kind (0: text cells, `data` bytes with cell i at `data + starts[i] .. data + starts[i+1]`, `starts`
 * i32; 1: doubles at `data`, written as {@link formatDouble} writes them). `lineStarts[r]` (i32)
 * receives where line r begins, `lineStarts[m]` the end. The text cells' bytes and `out` must have
 * 8 bytes of slack after their end. Returns the length written, or −(c + 1) when a double of column
 * c is not handled (NaN, ±Infinity, subnormal: the caller writes that column's text itself).
 */
export function layOutRows(desc: usize, ncols: i32, m: i32, order: usize, delim: usize, dl: i32, out: usize, lineStarts: usize): i32 {
  let p = out;
  const d0 = load<u8>(delim);
  for (let r: i32 = 0; r < m; r++) {
    store<i32>(lineStarts + (<usize>r << 2), <i32>(p - out));
    const i = order != 0 ? <usize>load<i32>(order + (<usize>r << 2)) : <usize>r;
    for (let c: i32 = 0; c < ncols; c++) {
      const d = desc + <usize>(c * 12);
      const data = <usize>load<u32>(d, 4);
      if (load<i32>(d) == 1) {
        const len = formatDouble(load<f64>(data + (i << 3)), p);
        if (len == 0) return -(c + 1);
        p += <usize>len;
      } else {
        const st = <usize>load<u32>(d, 8) + (i << 2);
        const a = load<i32>(st);
        const len = load<i32>(st, 4) - a;
        copyWords(p, data + <usize>a, len);
        p += <usize>len;
      }
      if (c + 1 < ncols) {
        if (dl == 1) store<u8>(p, d0);
        else memory.copy(p, delim, <usize>dl);
        p += <usize>dl;
      } else {
        store<u8>(p, 10);
        p++;
      }
    }
    if (ncols == 0) { store<u8>(p, 10); p++; }
  }
  store<i32>(lineStarts + (<usize>m << 2), <i32>(p - out));
  return <i32>(p - out);
}
