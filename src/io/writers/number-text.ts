/**
 * Doubles as text, fast: `String(v)` (ECMAScript's Number::toString, the shortest decimal that
 * reads back as the same double) for a whole column at once, written as ASCII bytes by a
 * WebAssembly formatter (`./wasm/number-text.as`, the Schubfach algorithm) instead of one string
 * per value. The plain-TypeScript twin is `String(v)` itself: the formatter writes exactly its
 * characters (tested on millions of doubles), and it is used for what the formatter leaves out
 * (NaN, ±Infinity, subnormal doubles), where WebAssembly is unavailable, or with
 * `GLOWTS_KERNELS=js`.
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
