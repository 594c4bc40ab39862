/**
 * Decompression of BGEN genotype data blocks with every check the formats allow, so that a
 * corrupted block raises `BGEN_DECOMPRESS` instead of decoding to other probabilities.
 *
 * - zlib (BGEN compression 1): fflate's raw inflater (small blocks; no per-call setup cost) or
 *   node:zlib (large blocks), the 2-byte zlib header checked, the output length equal to the
 *   block header's, and the stream's Adler-32 trailer compared with the output: fflate's
 *   `unzlibSync` skips that check, so it is done here.
 * - zstd (BGEN compression 2): libzstd compiled to WebAssembly (@bokuweb/zstd-wasm, already used
 *   by the BGEN writer). `ZSTD_decompress` verifies the frame's XXH64 content checksum when the
 *   frame carries one, rejects input that is not exactly whole frames (short or trailing bytes)
 *   and output beyond the capacity given. fzstd, used before, verifies none of these. Frames
 *   without a checksum (what plink2 and bgenix write) can only be checked for their declared size
 *   and stream structure; the payload checks of `probabilities.ts` then catch most corruption.
 *   The WebAssembly module loads asynchronously: call {@link ensureZstd} once before decoding.
 */
import { inflateSync as nativeInflateSync } from "node:zlib";
import { inflateSync as fflateInflateSync } from "fflate";
import { GlowtsError } from "../../core/errors.js";

/** Largest decompressed genotype block accepted (guards allocations against corrupted lengths). */
export const MAX_BLOCK_BYTES = 0x7fff0000;

/**
 * Blocks up to this many uncompressed bytes are inflated by fflate, larger ones by node:zlib:
 * native inflate is faster per byte but costs ~40 µs of setup per call.
 */
export const JS_INFLATE_MAX_BYTES = 16 << 10;

/** Adler-32 of `b` (RFC 1950 §9); fflate keeps its own private. */
export function adler32(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  const n = b.length;
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + 3800); // 3800 keeps s below 2^31 before the modulo
    for (; i < end; i++) {
      a += b[i]!;
      s += a;
    }
    a %= 65521;
    s %= 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/**
 * Inflates a zlib stream that must produce exactly `expected` bytes.
 * @param jsMaxBytes size up to which fflate is used (tests force either path).
 * @throws GlowtsError `BGEN_DECOMPRESS` (bad header, corrupt stream, wrong length or checksum).
 */
export function inflateExact(comp: Uint8Array, expected: number, jsMaxBytes = JS_INFLATE_MAX_BYTES): Uint8Array {
  if (expected > MAX_BLOCK_BYTES) {
    throw new GlowtsError("BGEN_CORRUPT", `uncompressed genotype block length ${expected} is implausible`);
  }
  if (expected > jsMaxBytes) return inflateNative(comp, expected);
  if (comp.length < 6) throw new GlowtsError("BGEN_DECOMPRESS", `zlib genotype block of ${comp.length} bytes is shorter than a zlib stream`);
  const cmf = comp[0]!;
  const flg = comp[1]!;
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || (flg & 32) !== 0) {
    throw new GlowtsError("BGEN_DECOMPRESS", "corrupted zlib genotype block (invalid zlib header)");
  }
  // One spare byte: an inflated stream longer than `expected` then shows as a wrong length
  // (fflate does not grow a buffer it is given and drops what does not fit).
  const buf = new Uint8Array(expected + 1);
  let out: Uint8Array;
  try {
    out = fflateInflateSync(comp.subarray(2, comp.length - 4), { out: buf });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new GlowtsError("BGEN_DECOMPRESS", `corrupted zlib genotype block (${why})`);
  }
  if (out.length !== expected) {
    throw new GlowtsError("BGEN_DECOMPRESS", `zlib genotype block inflated to ${out.length === expected + 1 ? "more than " + expected : out.length} bytes, expected ${expected}`);
  }
  const p = comp.length - 4;
  const stored = ((comp[p]! << 24) | (comp[p + 1]! << 16) | (comp[p + 2]! << 8) | comp[p + 3]!) >>> 0;
  if (adler32(out) !== stored) {
    throw new GlowtsError("BGEN_DECOMPRESS", "corrupted zlib genotype block (Adler-32 checksum mismatch)");
  }
  return out;
}

/** node:zlib checks the header and the Adler-32 trailer itself. */
function inflateNative(comp: Uint8Array, expected: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = nativeInflateSync(comp, { maxOutputLength: expected + 1 });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new GlowtsError("BGEN_DECOMPRESS", `corrupted zlib genotype block (${why})`);
  }
  if (out.length !== expected) {
    throw new GlowtsError("BGEN_DECOMPRESS", `zlib genotype block inflated to ${out.length} bytes, expected ${expected}`);
  }
  return out;
}

/** Frame content size from a zstd frame header, or -1 if absent/unparseable. */
export function zstdFrameContentSize(b: Uint8Array): number {
  if (b.length < 6 || b[0] !== 0x28 || b[1] !== 0xb5 || b[2] !== 0x2f || b[3] !== 0xfd) return -1;
  const fhd = b[4]!;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictFlag = fhd & 3;
  const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
  if (fcsBytes === 0) return -1;
  let p = 5 + (single ? 0 : 1) + (dictFlag === 3 ? 4 : dictFlag);
  if (p + fcsBytes > b.length) return -1;
  let v = 0;
  for (let i = 0; i < fcsBytes; i++) v += b[p + i]! * 2 ** (8 * i);
  p += fcsBytes;
  return fcsBytes === 2 ? v + 256 : v;
}

type ZstdDecompress = (buf: Uint8Array, opts: { defaultHeapSize: number }) => Uint8Array;
let zstdDecompress: ZstdDecompress | null = null;
let zstdLoading: Promise<void> | null = null;

/** Loads the zstd WebAssembly module (once per thread). */
export function ensureZstd(): Promise<void> {
  if (zstdDecompress) return Promise.resolve();
  zstdLoading ??= (async () => {
    const m = await import("@bokuweb/zstd-wasm");
    await m.init();
    zstdDecompress = m.decompress as ZstdDecompress;
  })();
  return zstdLoading;
}

/** True once {@link ensureZstd} has resolved in this thread. */
export function zstdReady(): boolean {
  return zstdDecompress !== null;
}

/** Names of libzstd's error codes that corrupted input produces (zstd_errors.h). */
const ZSTD_ERRORS: Record<number, string> = {
  1: "generic error",
  10: "unknown frame prefix",
  12: "unsupported version",
  14: "unsupported frame parameter",
  16: "window too large",
  20: "data corruption detected",
  22: "frame checksum mismatch",
  24: "invalid literals header",
  30: "dictionary corrupted",
  32: "dictionary mismatch",
  70: "output larger than the stored length",
  72: "compressed size wrong (short or trailing bytes)",
};

/**
 * Decompresses one zstd frame that must produce exactly `expected` bytes.
 * @throws GlowtsError `BGEN_DECOMPRESS`; `INTERNAL` when {@link ensureZstd} was not awaited.
 */
export function zstdExact(comp: Uint8Array, expected: number): Uint8Array {
  if (expected > MAX_BLOCK_BYTES) {
    throw new GlowtsError("BGEN_CORRUPT", `uncompressed genotype block length ${expected} is implausible`);
  }
  if (!zstdDecompress) throw new GlowtsError("INTERNAL", "zstd decoder used before ensureZstd() resolved");
  // A BGEN block is one zstd frame: checked here so that libzstd never sees a header it cannot
  // size (its size query then returns an error code that the wrapper would take as a size).
  if (comp.length < 6 || comp[0] !== 0x28 || comp[1] !== 0xb5 || comp[2] !== 0x2f || comp[3] !== 0xfd || (comp[4]! & 8) !== 0) {
    throw new GlowtsError("BGEN_DECOMPRESS", "corrupted zstd genotype block (not a zstd frame header)");
  }
  const fcs = zstdFrameContentSize(comp);
  if (fcs >= 0 && fcs !== expected) {
    throw new GlowtsError("BGEN_DECOMPRESS", `zstd frame declares ${fcs} bytes but the block says ${expected}`);
  }
  let out: Uint8Array;
  try {
    // Capacity = the stored length: a longer output is an error in libzstd, not a truncation.
    out = zstdDecompress(comp, { defaultHeapSize: Math.max(1, expected) });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const code = /code (-?\d+)/.exec(msg);
    const why = code ? (ZSTD_ERRORS[Math.abs(Number(code[1]))] ?? `zstd error ${Math.abs(Number(code[1]))}`) : msg;
    throw new GlowtsError("BGEN_DECOMPRESS", `corrupted zstd genotype block (${why})`);
  }
  if (out.length !== expected) {
    throw new GlowtsError("BGEN_DECOMPRESS", `zstd genotype block decompressed to ${out.length} bytes, expected ${expected}`);
  }
  return out;
}
