/** The number of alleles of each row (1 + the length of `alternateAlleles`), for functions that need it. */
import type { VariantBatch } from "../core/column.js";
import { listRange } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";

/** `1 + size(alternateAlleles)` per row. Throws GlowtsError `TYPE` naming `caller` when the column is absent. */
export function numAllelesOf(batch: VariantBatch, caller: string): Int32Array {
  const alts = batch.columns["alternateAlleles"];
  if (!alts || alts.type !== "list") throw new GlowtsError("TYPE", `${caller}: needs the alternateAlleles column`);
  const na = new Int32Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) { const [a, b] = listRange(alts, i); na[i] = 1 + b - a; }
  return na;
}
