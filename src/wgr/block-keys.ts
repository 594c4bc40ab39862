/**
 * Worker side of the streamed blocking's first pass (see streamed-blocks.ts): for each variant of
 * a partition, the keys that order and name it in the block matrix, its number of values, and
 * whether the blocking keeps it (at least two distinct values, Glow's `size(array_distinct(values)) > 1`).
 * Only these small columns cross back to the calling thread.
 */
import type { Column, VariantBatch } from "../core/column.js";
import { batchVariants, hasTwoDistinct } from "./blocking.js";

/** `mapPartitions` entry: keys, `valueCount` and `kept` of every row of the batch. */
export function blockKeys(batch: VariantBatch): VariantBatch {
  const n = batch.numRows;
  const contig: (string | null)[] = new Array(n);
  const start = new Float64Array(n);
  const ref: (string | null)[] = new Array(n);
  const altOffsets = new Int32Array(n + 1);
  const alts: (string | null)[] = [];
  const kept = new Uint8Array(n);
  const count = new Int32Array(n);
  let i = 0;
  for (const v of batchVariants(batch)) {
    contig[i] = v.contigName;
    start[i] = v.start;
    ref[i] = v.referenceAllele;
    for (const a of v.alternateAlleles) alts.push(a);
    altOffsets[i + 1] = alts.length;
    count[i] = v.values.length;
    kept[i] = hasTwoDistinct(v.values, v.nulls) ? 1 : 0;
    i++;
  }
  const columns: Record<string, Column> = {
    contigName: { type: "string", values: contig },
    start: { type: "long", values: start },
    referenceAllele: { type: "string", values: ref },
    alternateAlleles: { type: "list", child: { type: "string", values: alts }, offsets: altOffsets },
    valueCount: { type: "int", values: count },
    kept: { type: "boolean", values: kept },
  };
  return { numRows: n, columns };
}
