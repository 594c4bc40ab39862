/**
 * Bounds-checked little-endian reads over a byte array, used by the BGEN header and variant
 * header decoders (the probability hot loop reads bytes directly). Every read past the end
 * throws a `GlowtsError` `BGEN_TRUNCATED`; callers add the file and record.
 */
import { GlowtsError, type GlowtsErrorContext } from "../../core/errors.js";

const utf8 = new TextDecoder("utf-8");

/** Decodes `bytes[from, to)` as UTF-8 (invalid sequences become U+FFFD, as Java's `new String`). */
export function decodeUtf8(bytes: Uint8Array, from: number, to: number): string {
  const n = to - from;
  if (n <= 0) return "";
  if (n <= 32) {
    let ascii = true;
    for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
  }
  return utf8.decode(bytes.subarray(from, to));
}

/** A read cursor over `bytes` starting at `pos`. `what` names the structure in error messages. */
export class ByteCursor {
  constructor(readonly bytes: Uint8Array, public pos: number, readonly what: string) {}

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new GlowtsError(
        "BGEN_TRUNCATED",
        `truncated ${this.what}: needs ${n} byte(s) at +${this.pos}, only ${Math.max(0, this.bytes.length - this.pos)} left`,
      );
    }
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 2;
    return b[p]! | (b[p + 1]! << 8);
  }
  u32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }
  /** A string with a 2-byte length prefix. */
  str16(): string {
    const n = this.u16();
    this.need(n);
    const s = decodeUtf8(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  /** A string with a 4-byte length prefix. */
  str32(): string {
    const n = this.u32();
    this.need(n);
    const s = decodeUtf8(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  /** Skips a string with a 2-byte (or 4-byte) length prefix; returns its byte length. */
  skipStr(fourBytes: boolean): number {
    const n = fourBytes ? this.u32() : this.u16();
    this.need(n);
    this.pos += n;
    return n;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** Reads an unsigned 32-bit little-endian integer at `p` (caller checks bounds). */
export function u32At(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

/**
 * Returns `e` as a GlowtsError carrying `file` and `record` (when it has none yet). Non-Glowts
 * errors (RangeError from a short buffer, zlib/zstd errors) get `code`.
 */
export function withContext(e: unknown, code: string, ctx: GlowtsErrorContext): GlowtsError {
  if (e instanceof GlowtsError) {
    if ((e.file === undefined && ctx.file !== undefined) || (e.record === undefined && ctx.record !== undefined)) {
      const c: GlowtsErrorContext = { file: e.file ?? ctx.file, record: e.record ?? ctx.record };
      if (e.option !== undefined) c.option = e.option;
      return new GlowtsError(e.code, e.rawMessage, c);
    }
    return e;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new GlowtsError(code, msg, ctx);
}
