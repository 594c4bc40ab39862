/**
 * The one number parser of glowts, with the semantics of Glow's fast VCF line parser (Spark's
 * `UTF8String.toInt/toLong` and Java's `Double.parseDouble`, plus VCF's NaN/Inf spellings).
 * The `*Bytes` functions parse `t[a..b)` straight from bytes (the VCF decoder); {@link parseDouble}
 * and {@link parseInteger} parse a string (PLINK text, sample tables, CLI values) with the same
 * grammar; {@link cellToNumber} converts a table cell (number, boolean, text with missing markers).
 * Every function returns `undefined` when the input is not a valid number.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** True for an empty token or `.` (VCF's missing value). */
export function isMissing(t: Uint8Array, a: number, b: number): boolean {
  return b === a || (b === a + 1 && t[a] === 46);
}

/**
 * Parses an integer in `[min, max]`: optional surrounding whitespace, sign, digits, and an optional
 * fractional part of digits that is truncated (Spark's `toInt`: "12.7" → 12).
 */
export function parseIntegerBytes(t: Uint8Array, a: number, b: number, min: number, max: number): number | undefined {
  while (a < b && t[a]! <= 32) a++;
  while (b > a && t[b - 1]! <= 32) b--;
  if (a >= b) return undefined;
  let neg = false;
  const c0 = t[a];
  if (c0 === 45 || c0 === 43) { neg = c0 === 45; a++; if (a >= b) return undefined; }
  let v = 0;
  let digits = 0;
  let i = a;
  for (; i < b; i++) {
    const c = t[i]! - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    digits++;
    if (v > 9007199254740991) return undefined;
  }
  if (i < b) {
    if (t[i] !== 46) return undefined;
    for (i++; i < b; i++) { const c = t[i]! - 48; if (c < 0 || c > 9) return undefined; }
  }
  if (digits === 0) return undefined;
  const r = neg ? -v : v;
  return r < min || r > max ? undefined : r;
}

/** A 32-bit signed integer (Glow's `int`). */
export function parseInt32Bytes(t: Uint8Array, a: number, b: number): number | undefined {
  // Fast path: plain digits.
  const n = b - a;
  if (n > 0 && n <= 9) {
    let v = 0;
    let i = a;
    for (; i < b; i++) { const c = t[i]! - 48; if (c < 0 || c > 9) break; v = v * 10 + c; }
    if (i === b) return v;
  }
  return parseIntegerBytes(t, a, b, -2147483648, 2147483647);
}

/** A long (exact up to 2^53). */
export function parseLongBytes(t: Uint8Array, a: number, b: number): number | undefined {
  return parseIntegerBytes(t, a, b, -9007199254740991, 9007199254740991);
}

function lowerIs(t: Uint8Array, a: number, b: number, word: string): boolean {
  if (b - a !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((t[a + i]! | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * Parses a double: `[+-]digits[.digits][e[+-]digits]` (Java syntax, optional `f`/`d` suffix and
 * surrounding whitespace) or, case-insensitively, `nan`, `inf`, `infinity` with an optional sign
 * (VCF 4.3 §1.6.1). Decimal text with at most 15 significant digits and a small exponent is
 * converted exactly with one correctly rounded operation; anything else goes through `Number()`.
 */
export function parseDoubleBytes(t: Uint8Array, a: number, b: number): number | undefined {
  while (a < b && t[a]! <= 32) a++;
  while (b > a && t[b - 1]! <= 32) b--;
  if (a >= b) return undefined;
  let i = a;
  let neg = false;
  if (t[i] === 45 || t[i] === 43) { neg = t[i] === 45; i++; }
  const c = t[i]! | 0x20;
  if (c === 110 /* n */ || c === 105 /* i */) {
    if (lowerIs(t, i, b, "nan")) return NaN;
    if (lowerIs(t, i, b, "inf") || lowerIs(t, i, b, "infinity")) return neg ? -Infinity : Infinity;
    return undefined;
  }
  const last = t[b - 1]! | 0x20;
  if (last === 102 /* f */ || last === 100 /* d */) b--;
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let digits = 0;
  for (; i < b; i++) {
    const d = t[i]! - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig > 0 || d !== 0) { if (sig < 19) { mant = mant * 10 + d; sig++; } else exp++; }
  }
  if (i < b && t[i] === 46) {
    for (i++; i < b; i++) {
      const d = t[i]! - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig > 0 || d !== 0) { if (sig < 19) { mant = mant * 10 + d; sig++; exp--; } }
      else exp--;
    }
  }
  if (digits === 0) return undefined;
  let e10 = 0;
  if (i < b && (t[i]! | 0x20) === 101) {
    i++;
    let eneg = false;
    if (t[i] === 45 || t[i] === 43) { eneg = t[i] === 45; i++; }
    let ed = 0;
    for (; i < b; i++) {
      const d = t[i]! - 48;
      if (d < 0 || d > 9) break;
      if (e10 < 100000) e10 = e10 * 10 + d;
      ed++;
    }
    if (ed === 0) return undefined;
    if (eneg) e10 = -e10;
  }
  if (i !== b) return undefined;
  if (mant === 0) return neg ? -0 : 0;
  const e = exp + e10;
  let v: number;
  if (sig <= 15 && e >= -22 && e <= 22) {
    v = e < 0 ? mant / POW10[-e]! : mant * POW10[e]!;
  } else {
    let s = "";
    for (let k = a; k < b; k++) s += String.fromCharCode(t[k]!);
    v = Number(s.replace(/[fFdD]$/, ""));
    if (Number.isNaN(v)) return undefined;
    return v;
  }
  return neg ? -v : v;
}

let scratch = new Uint8Array(64);

/** Writes `s` as Latin-1 bytes into the scratch buffer; -1 if it holds a character above U+00FF. */
function latin1(s: string): number {
  const n = s.length;
  if (n > scratch.length) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) return -1;
    scratch[i] = c;
  }
  return n;
}

/**
 * Parses a double from text (Java's `Double.parseDouble` grammar as {@link parseDoubleBytes}:
 * decimal with optional exponent, surrounding whitespace, `nan`/`inf`/`infinity` in any case).
 * @param javaSuffix - accept Java's `f`/`d` type suffix (`1.5d`), as Glow's Scala readers do;
 *   `false` for tables and command-line values, where pandas' and REGENIE's grammar has none.
 */
export function parseDouble(s: string, javaSuffix = true): number | undefined {
  if (!javaSuffix && /[0-9.][fFdD]\s*$/.test(s)) return undefined;
  const n = latin1(s);
  return n < 0 ? undefined : parseDoubleBytes(scratch, 0, n);
}

/** Parses an integer in `[min, max]` from text (the grammar of {@link parseIntegerBytes}). */
export function parseInteger(s: string, min = -9007199254740991, max = 9007199254740991): number | undefined {
  const n = latin1(s);
  return n < 0 ? undefined : parseIntegerBytes(scratch, 0, n, min, max);
}

/** Text that stands for a missing number in sample tables (pandas' and REGENIE's spellings). */
export const MISSING_NUMBER_TEXT: ReadonlySet<string> = new Set(["", "NA", "nan", "NaN", "null"]);

/**
 * Converts one table cell to a number: `null`/`undefined` and the texts of
 * {@link MISSING_NUMBER_TEXT} (after trimming) → NaN, a boolean → 0/1, a bigint → its value,
 * number text → {@link parseDouble}; `undefined` for anything else (the caller names the cell).
 */
export function cellToNumber(v: unknown): number | undefined {
  if (v === null || v === undefined) return NaN;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  if (MISSING_NUMBER_TEXT.has(t)) return NaN;
  return parseDouble(t, false);
}
