/** The calling-thread half of `split_multiallelics`: options and the plan step. */
import type { VariantFrame } from "../frame/variant-frame.js";
import { GlowtsError } from "../core/errors.js";
import type { Transformer } from "./registry.js";
import type { SplitArgs } from "./split-multiallelics.js";

/** Glow's `split_multiallelics` (option `splitInfoFields`: a comma list or an array of INFO names). */
export const splitMultiallelicsTransformer: Transformer = {
  name: "split_multiallelics",
  options: ["splitInfoFields"],
  apply(frame: VariantFrame, options: Record<string, unknown>): VariantFrame {
    const f = options["splitInfoFields"];
    let fields: string[] | null = null;
    if (typeof f === "string") fields = f.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    else if (Array.isArray(f)) fields = f.map(String);
    else if (f !== undefined && f !== null) throw new GlowtsError("OPTION", "split_multiallelics: splitInfoFields must be a comma-separated string or an array", { option: "splitInfoFields" });
    const args: SplitArgs = { splitInfoFields: fields, source: { format: frame.source.format, paths: [...frame.source.paths] } };
    return frame.mapPartitions(new URL("./split-multiallelics.js", import.meta.url).href, "splitMultiallelicsPartition", args);
  },
};
