/** Shared option handling for the GloWGR classes. */
import { GlowtsError } from "../core/errors.js";
import { alphasForHeaderCount, countLabelFreeHeaders, createAlphaDict, formatAlphaList, type AlphaDict } from "./alphas.js";
import type { BlockMatrix, BlockRow } from "./block-matrix.js";
import { BlockMatrix as BM } from "./block-matrix.js";
import type { WgrLogger } from "./labels.js";

/** Options shared by every GloWGR class. */
export interface WgrCommonOptions {
  /**
   * Where Glow's progress messages ("Generated alphas: …", "Inferred chromosomes: …") and warnings
   * go; `false` silences them. @defaultValue console.log
   */
  log?: WgrLogger | false;
}

/** Resolves the logger option. */
export function loggerOf(o: WgrCommonOptions | undefined): WgrLogger {
  if (o?.log === false) return () => {};
  return o?.log ?? ((m: string) => console.log(m));
}

/** Accepts a BlockMatrix or rows in Glow's schema. */
export function toBlockMatrix(x: BlockMatrix | readonly BlockRow[] | readonly Record<string, unknown>[], what: string): BlockMatrix {
  if (x instanceof BM) return x;
  if (Array.isArray(x)) return BM.fromRows(x as Record<string, unknown>[]);
  throw new GlowtsError("BLOCK_MATRIX", `${what}: expected a BlockMatrix (from blockVariantsAndSamples or RidgeReduction.transform) or an array of block rows`);
}

/** Glow's `set_alphas`: user alphas by position, or generated from the block matrix. */
export function resolveAlphas(alphas: readonly number[] | undefined, bm: Pick<BlockMatrix, "header">, log: WgrLogger): AlphaDict {
  if (alphas && alphas.length > 0) return createAlphaDict(alphas);
  const h = countLabelFreeHeaders(bm.header);
  const d = alphasForHeaderCount(h);
  log(`Generated alphas: ${formatAlphaList(d)}`);
  return d;
}

/** Python-style list repr of strings. */
export function pyList(xs: readonly string[]): string {
  return `[${xs.map((x) => `'${x}'`).join(", ")}]`;
}

/** Checks a string option against choices (case-insensitive). */
export function choice<T extends string>(value: string | undefined, choices: readonly T[], option: string, fallback: T): T {
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  const hit = choices.find((c) => c === v);
  if (!hit) throw new GlowtsError("OPTION", `${option} must be one of ${choices.map((c) => `'${c}'`).join(", ")}; got '${value}'`, { option });
  return hit;
}
