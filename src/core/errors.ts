/**
 * The one error type of glowts. Every failure that a user can cause (bad input file, bad option,
 * mismatched sample ids) is a `GlowtsError` carrying a machine-readable `code` and, where known,
 * the `file` and `record` (line number, variant index or byte offset) that caused it.
 *
 * @example
 * ```ts
 * try { await glow.read("vcf", "x.vcf").count(); }
 * catch (e) { if (e instanceof glow.GlowtsError) console.log(e.code, e.file, e.record); }
 * ```
 */
export class GlowtsError extends Error {
  /** Stable machine-readable code, e.g. `VCF_PARSE`, `BGEN_MAGIC`, `FILE_NOT_FOUND`, `OPTION`. */
  readonly code: string;
  /** The file that caused the error, if any. */
  readonly file?: string;
  /** Where in the file: e.g. `line 1042`, `variant 17 (offset 123456)`. */
  readonly record?: string;
  /** The option that was invalid, if the error is about an option. */
  readonly option?: string;

  constructor(code: string, message: string, context: GlowtsErrorContext = {}) {
    const where = [context.file, context.record].filter((x) => x !== undefined && x !== "").join(" ");
    super(where ? `${where}: ${message}` : message);
    this.name = "GlowtsError";
    this.code = code;
    if (context.file !== undefined) this.file = context.file;
    if (context.record !== undefined) this.record = context.record;
    if (context.option !== undefined) this.option = context.option;
    this.rawMessage = message;
  }

  /** The message without the file/record prefix. */
  readonly rawMessage: string;

  /** A structured-clone-safe description, used to carry the error across worker threads. */
  toJSON(): SerializedGlowtsError {
    return {
      __glowtsError: true,
      code: this.code,
      message: this.rawMessage,
      file: this.file,
      record: this.record,
      option: this.option,
      stack: this.stack,
    };
  }

  /** Rebuilds an error serialized with {@link GlowtsError.toJSON}. */
  static fromJSON(e: SerializedGlowtsError): GlowtsError {
    const ctx: GlowtsErrorContext = {};
    if (e.file !== undefined) ctx.file = e.file;
    if (e.record !== undefined) ctx.record = e.record;
    if (e.option !== undefined) ctx.option = e.option;
    const err = new GlowtsError(e.code, e.message, ctx);
    if (e.stack) err.stack = `${err.name}: ${err.message}\n    (in worker)\n${e.stack.split("\n").slice(1).join("\n")}`;
    return err;
  }
}

/** Where an error happened. */
export interface GlowtsErrorContext {
  file?: string | undefined;
  record?: string | undefined;
  option?: string | undefined;
}

/** The plain-object form of a {@link GlowtsError}. */
export interface SerializedGlowtsError {
  __glowtsError: true;
  code: string;
  message: string;
  file?: string | undefined;
  record?: string | undefined;
  option?: string | undefined;
  stack?: string | undefined;
}

/**
 * Wraps any thrown value as a GlowtsError, adding file/record context when the value is a plain
 * error (e.g. a RangeError from a truncated buffer or a zlib error from a corrupted block).
 */
export function asGlowtsError(e: unknown, code: string, context: GlowtsErrorContext = {}): GlowtsError {
  if (e instanceof GlowtsError) {
    if (e.file === undefined && context.file !== undefined) {
      const ctx: GlowtsErrorContext = { ...context };
      if (e.record !== undefined) ctx.record = e.record;
      if (e.option !== undefined) ctx.option = e.option;
      return new GlowtsError(e.code, e.rawMessage, ctx);
    }
    return e;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new GlowtsError(code, msg, context);
}

/** Throws a GlowtsError with code `OPTION` naming the caller and option. */
export function optionError(caller: string, option: string, message: string): never {
  throw new GlowtsError("OPTION", `${caller}: option '${option}' ${message}`, { option });
}

/**
 * Checks a string choice case-insensitively and returns the canonical spelling.
 * @throws GlowtsError `OPTION` listing the allowed values.
 */
export function keyword<T extends string>(caller: string, option: string, value: string, allowed: readonly T[]): T {
  const v = String(value).toLowerCase();
  for (const a of allowed) if (a.toLowerCase() === v) return a;
  return optionError(caller, option, `must be one of ${allowed.map((a) => `'${a}'`).join(", ")}; got '${value}'`);
}
