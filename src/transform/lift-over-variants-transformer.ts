/** The calling-thread half of `lift_over_variants`: options and the plan step. */
import * as path from "node:path";
import type { VariantFrame } from "../frame/variant-frame.js";
import { GlowtsError } from "../core/errors.js";
import { readChainFile } from "../io/chain.js";
import { openFasta } from "../io/fasta.js";
import type { Transformer } from "./registry.js";
import type { LiftOverArgs } from "./lift-over-variants.js";

/**
 * Glow's `lift_over_variants`: `chainFile` (required; UCSC chain, plain or gzip), `referenceFile`
 * (required; the destination FASTA, with `.fai` or small enough to index in memory),
 * `minMatchRatio` (0.95).
 */
export const liftOverVariantsTransformer: Transformer = {
  name: "lift_over_variants",
  options: ["chainFile", "referenceFile", "minMatchRatio"],
  apply(frame: VariantFrame, options: Record<string, unknown>): VariantFrame {
    const chain = options["chainFile"], ref = options["referenceFile"];
    if (typeof chain !== "string" || chain === "") throw new GlowtsError("OPTION", "lift_over_variants: option 'chainFile' is required", { option: "chainFile" });
    if (typeof ref !== "string" || ref === "") throw new GlowtsError("OPTION", "lift_over_variants: option 'referenceFile' is required", { option: "referenceFile" });
    const ratio = options["minMatchRatio"] === undefined ? 0.95 : Number(options["minMatchRatio"]);
    if (!(ratio >= 0 && ratio <= 1)) throw new GlowtsError("OPTION", `lift_over_variants: minMatchRatio must be in [0, 1], got ${String(options["minMatchRatio"])}`, { option: "minMatchRatio" });
    const args: LiftOverArgs = {
      chainFile: path.resolve(chain), referenceFile: path.resolve(ref), minMatchRatio: ratio,
      source: { format: frame.source.format, paths: [...frame.source.paths] },
    };
    readChainFile(args.chainFile);
    openFasta(args.referenceFile, { allowUnindexed: true });
    return frame.mapPartitions(new URL("./lift-over-variants.js", import.meta.url).href, "liftOverVariantsPartition", args);
  },
};
