/** Placeholder: the bgen reader is being written. */
import { GlowtsError } from "../../errors.js";
import type { FormatReader } from "../source.js";

export const bgenReader: FormatReader = {
  format: "bgen",
  normalizeOptions: (o) => o,
  plan: async () => { throw new GlowtsError("NOT_IMPLEMENTED", "bgen reader not implemented yet"); },
  readPartition: () => { throw new GlowtsError("NOT_IMPLEMENTED", "bgen reader not implemented yet"); },
};
