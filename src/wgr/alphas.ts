/**
 * Ridge penalties (Glow `model_functions.generate_alphas`, `create_alpha_dict`; reference §2.3).
 */
import { GlowtsError } from "../core/errors.js";

/** Alpha name → value, e.g. `{alpha_0: 0.1, alpha_1: 1}`. Names are iterated in sorted order. */
export type AlphaDict = Record<string, number>;

/** Heritability grid used to generate alphas: alpha = h / h². */
export const HERITABILITY_GRID = [0.99, 0.75, 0.5, 0.25, 0.01] as const;

/**
 * Glow's `create_alpha_dict`: names user alphas `alpha_0..alpha_{k-1}` by position.
 * @throws GlowtsError `OPTION` when an alpha is negative or not a number
 */
export function createAlphaDict(alphas: readonly number[]): AlphaDict {
  if (!alphas.every((a) => typeof a === "number" && a >= 0)) {
    throw new GlowtsError("OPTION", "Alpha values must all be non-negative.", { option: "alphas" });
  }
  const out: AlphaDict = {};
  alphas.forEach((a, i) => (out[`alpha_${i}`] = a));
  return out;
}

/**
 * Glow's `generate_alphas` from the number of distinct label-free headers h
 * (`regexp_extract(header, '^(.+?)($|_label_.*)', 1)`): `[h/0.99, h/0.75, h/0.5, h/0.25, h/0.01]`.
 */
export function alphasForHeaderCount(h: number): AlphaDict {
  return createAlphaDict(HERITABILITY_GRID.map((x) => h / x));
}

/** The label-free part of a header (`^(.+?)($|_label_.*)`). */
export function labelFreeHeader(header: string): string {
  const m = /^(.+?)($|_label_.*)/s.exec(header);
  return m ? m[1]! : "";
}

/** Number of distinct label-free headers. */
export function countLabelFreeHeaders(headers: Iterable<string>): number {
  const s = new Set<string>();
  for (const h of headers) s.add(labelFreeHeader(h));
  return s.size;
}

/** Alpha names in Glow's iteration order: lexicographic (`alpha_10` sorts before `alpha_2`). */
export function sortedAlphaNames(alphas: AlphaDict): string[] {
  return Object.keys(alphas).sort(compareStrings);
}

/** Code-point string comparison (Python's `<` on str). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The integer j of an alpha name `alpha_j` (used in sort keys). */
export function alphaIndex(name: string): number {
  const m = /^alpha_([0-9]+)/.exec(name);
  if (!m) throw new GlowtsError("OPTION", `alpha name '${name}' does not match alpha_<n>`);
  return Number(m[1]);
}

/** Python-like repr of an alpha list, for Glow's "Generated alphas: [...]" message. */
export function formatAlphaList(alphas: AlphaDict): string {
  return `[${Object.values(alphas).map((v) => (Number.isInteger(v) ? `${v}.0` : String(v))).join(", ")}]`;
}
