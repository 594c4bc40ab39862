/**
 * Doubles as text, fast: `String(v)` (ECMAScript's Number::toString, the shortest decimal that
 * reads back as the same double) for a whole column at once, written as ASCII bytes by a
 * WebAssembly formatter (`./wasm/number-text.as`, the Schubfach algorithm) instead of one string
 * per value. The plain-TypeScript twin is `String(v)` itself: the formatter writes exactly its
 * characters (tested on millions of doubles), and it is used for what the formatter leaves out
 * (NaN, ±Infinity, subnormal doubles), where WebAssembly is unavailable, or with
 * `GLOWTS_KERNELS=js`.
 *
 * {@link layOutLines} lays out whole delimited lines in the same module: text cells copied from
 * their bytes, doubles formatted straight into the line (the TSV writer's hot path; its twin is the
 * TypeScript layout in `tsv.ts` over `String(v)` cells).
 */
import { NUMBER_TEXT_WASM_BASE64 } from "./wasm/number-text-wasm.js";

/** A column of doubles as text: value i is `bytes[starts[i] .. starts[i+1])`, or `String(v)` when that is empty. */
export interface FormattedDoubles {
  bytes: Uint8Array;
  starts: Int32Array;
}

interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
interface NumberTextExports {
  memory: WasmMemory;
  formatDoubles(src: number, count: number, out: number, starts: number): void;
  layOutRows(desc: number, ncols: number, m: number, order: number, delim: number, dl: number, out: number, lineStarts: number): number;
}

/** Longest text of one double (sign, 17 digits, point, leading zeros or exponent). */
const MAX_CHARS = 25;
const PAGE = 65536;
/** First byte of the buffers (the module's own data lies below). */
const BASE = 4 * PAGE;
/** Values formatted per call (bounds the memory used). */
const CHUNK = 1 << 16;

let loaded: NumberTextExports | null | undefined;

function formatter(): NumberTextExports | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env["GLOWTS_KERNELS"] === "js") return null;
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = Buffer.from(NUMBER_TEXT_WASM_BASE64, "base64");
    if (!wasm || !wasm.validate(bytes)) return null;
    const instance = new wasm.Instance(new wasm.Module(bytes), { env: { abort: () => { throw new Error("number-text wasm: abort"); } } });
    loaded = instance.exports as unknown as NumberTextExports;
  } catch {
    loaded = null;
  }
  return loaded;
}

/**
 * The text of `values[0 .. count)` as {@link FormattedDoubles}, or null when the WebAssembly
 * formatter is unavailable (then write `String(v)` per value).
 */
export function formatDoubles(values: Float64Array, count = values.length): FormattedDoubles | null {
  const w = formatter();
  if (!w) return null;
  const bytes = new Uint8Array(count * 12 + 16);
  let used = 0;
  const starts = new Int32Array(count + 1);
  const chunk = Math.min(CHUNK, count);
  const srcAt = BASE;
  const startsAt = srcAt + chunk * 8;
  const outAt = startsAt + (chunk + 1) * 4 + 16;
  const need = outAt + chunk * MAX_CHARS;
  const have = w.memory.buffer.byteLength;
  if (need > have) w.memory.grow(Math.ceil((need - have) / PAGE));
  let out = bytes;
  for (let i0 = 0; i0 < count; i0 += chunk) {
    const c = Math.min(chunk, count - i0);
    const buf = w.memory.buffer;
    new Float64Array(buf, srcAt, c).set(values.subarray(i0, i0 + c));
    w.formatDoubles(srcAt, c, outAt, startsAt);
    const st = new Int32Array(buf, startsAt, c + 1);
    const len = st[c]!;
    if (used + len > out.length) {
      const grown = new Uint8Array(Math.max(out.length * 2, used + len));
      grown.set(out.subarray(0, used));
      out = grown;
    }
    out.set(new Uint8Array(buf, outAt, len), used);
    for (let i = 0; i < c; i++) starts[i0 + i] = used + st[i]!;
    used += len;
  }
  starts[count] = used;
  return { bytes: out, starts };
}

/** A column of text lines: text cells (cell i is `bytes[starts[i] .. starts[i+1])`) or doubles written as `String(v)` writes them. */
export type LineColumn = { bytes: Uint8Array; starts: Int32Array } | { doubles: Float64Array };

/** Lines laid out: line r is `bytes[lineStarts[r] .. lineStarts[r+1])`, newline included. */
export interface LaidOutLines {
  bytes: Uint8Array;
  lineStarts: Int32Array;
}

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Delimited lines from columns in one WebAssembly call: line r holds the cells of row `order[r]`
 * (row r when `order` is null) joined by `delimiter`, ended by a newline. Returns `{ unformatted: c }`
 * when a double of column c is one the formatter leaves to `String` (NaN, ±Infinity, subnormal),
 * and null when WebAssembly is unavailable; the caller then gives that column as text cells, or
 * lays the lines out itself (the plain-TypeScript twin in `tsv.ts`).
 */
export function layOutLines(columns: LineColumn[], order: Int32Array | null, m: number, delimiter: Uint8Array): LaidOutLines | { unformatted: number } | null {
  const w = formatter();
  if (!w) return null;
  // where everything goes: the columns, the order, the delimiter, the descriptors, the line starts, the output
  let at = BASE;
  let outBound = 64 + m * (Math.max(0, columns.length - 1) * delimiter.length + 1);
  const places = columns.map((c) => {
    if ("doubles" in c) {
      const data = at; at = align8(at + m * 8); outBound += m * MAX_CHARS;
      return { data, starts: 0 };
    }
    const starts = at; at = align8(at + (m + 1) * 4);
    const data = at; at = align8(at + c.bytes.length + 8);
    outBound += c.starts[m]! - c.starts[0]!;
    return { data, starts };
  });
  const orderAt = at; if (order) at = align8(at + m * 4);
  const delimAt = at; at = align8(at + delimiter.length + 8);
  const descAt = at; at = align8(at + columns.length * 12);
  const linesAt = at; at = align8(at + (m + 1) * 4);
  const outAt = at; at += outBound + 8;
  const have = w.memory.buffer.byteLength;
  if (at > have) w.memory.grow(Math.ceil((at - have) / PAGE));
  const buf = w.memory.buffer;
  const bytes = new Uint8Array(buf);
  const desc = new Int32Array(buf, descAt, columns.length * 3);
  columns.forEach((c, k) => {
    const pl = places[k]!;
    if ("doubles" in c) {
      new Float64Array(buf, pl.data, m).set(c.doubles.subarray(0, m));
      desc[3 * k] = 1;
    } else {
      new Int32Array(buf, pl.starts, m + 1).set(c.starts.subarray(0, m + 1));
      bytes.set(c.bytes, pl.data);
      desc[3 * k] = 0;
    }
    desc[3 * k + 1] = pl.data;
    desc[3 * k + 2] = pl.starts;
  });
  if (order) new Int32Array(buf, orderAt, m).set(order.subarray(0, m));
  bytes.set(delimiter, delimAt);
  const len = w.layOutRows(descAt, columns.length, m, order ? orderAt : 0, delimAt, delimiter.length, outAt, linesAt);
  if (len < 0) return { unformatted: -len - 1 };
  return { bytes: bytes.slice(outAt, outAt + len), lineStarts: new Int32Array(buf, linesAt, m + 1).slice() };
}
