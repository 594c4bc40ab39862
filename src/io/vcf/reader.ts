/** Placeholder: the vcf reader is being written. */
import { GlowtsError } from "../../errors.js";
import type { FormatReader } from "../source.js";

export const vcfReader: FormatReader = {
  format: "vcf",
  normalizeOptions: (o) => o,
  plan: async () => { throw new GlowtsError("NOT_IMPLEMENTED", "vcf reader not implemented yet"); },
  readPartition: () => { throw new GlowtsError("NOT_IMPLEMENTED", "vcf reader not implemented yet"); },
};
