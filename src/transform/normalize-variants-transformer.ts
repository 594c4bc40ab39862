/** The calling-thread half of `normalize_variants`: options and the plan step. */
import * as path from "node:path";
import type { VariantFrame } from "../frame/variant-frame.js";
import { keyword } from "../core/errors.js";
import type { Transformer } from "./registry.js";
import { checkReference, type NormalizeArgs } from "./normalize-variants.js";
import { splitMultiallelicsTransformer } from "./split-multiallelics-transformer.js";

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === "string") return v.toLowerCase() === "true";
  return Boolean(v);
}

/**
 * Glow's `normalize_variants`: `referenceGenomePath` (required; FASTA with `.fai`, or bgzip with
 * `.fai` and `.gzi`), `replaceColumns` (true), deprecated `mode` (`normalize` | `split` |
 * `split_and_normalize`; split runs `split_multiallelics` first).
 */
export const normalizeVariantsTransformer: Transformer = {
  name: "normalize_variants",
  options: ["referenceGenomePath", "replaceColumns", "mode"],
  apply(frame: VariantFrame, options: Record<string, unknown>): VariantFrame {
    const mode = options["mode"] === undefined ? "normalize" : keyword("normalize_variants", "mode", String(options["mode"]), ["normalize", "split", "split_and_normalize"] as const);
    let f = frame;
    if (mode !== "normalize") f = splitMultiallelicsTransformer.apply(f, {});
    if (mode === "split") return f;
    const ref = path.resolve(checkReference(options["referenceGenomePath"]));
    const args: NormalizeArgs = { referenceGenomePath: ref, replaceColumns: bool(options["replaceColumns"], true) };
    return f.mapPartitions(new URL("./normalize-variants.js", import.meta.url).href, "normalizeVariantsPartition", args);
  },
};
