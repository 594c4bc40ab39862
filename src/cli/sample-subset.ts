/**
 * A `mapPartitions` function for the REGENIE command line: keeps the analysed samples of the
 * `values` column (alt-allele dosages; NaN, nulls or negative values are missing), mean-imputes
 * the missing ones over the analysed samples (as REGENIE), and adds the per-variant columns
 * `A1FREQ` (alt-allele frequency over the analysed, non-missing samples), `MAC` (minor allele
 * count over them) and `N` (non-missing analysed samples).
 */
import type { Column, ListColumn, VariantBatch } from "../core/column.js";
import { listRange } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";

/** Arguments: positions (in the file's sample order) of the analysed samples. */
export interface SubsetArgs { keep: number[] }

export function subsetSamples(batch: VariantBatch, args: SubsetArgs): VariantBatch {
  const vc = batch.columns["values"] as ListColumn | undefined;
  if (!vc || vc.type !== "list") throw new GlowtsError("MAP_PARTITIONS", "subsetSamples: the frame has no list column 'values'");
  const child = vc.child as Column & { values: ArrayLike<number>; nulls?: Uint8Array };
  const keep = args.keep;
  const n = keep.length;
  const rows = batch.numRows;
  const out = new Float64Array(rows * n);
  const freq = new Float64Array(rows);
  const mac = new Float64Array(rows);
  const count = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const [a] = listRange(vc, i);
    let sum = 0;
    let c = 0;
    const o = i * n;
    for (let s = 0; s < n; s++) {
      const k = a + keep[s]!;
      const v = child.values[k]!;
      if ((child.nulls && child.nulls[k]) || !(v >= 0)) { out[o + s] = NaN; continue; }
      out[o + s] = v;
      sum += v;
      c++;
    }
    const mean = c ? sum / c : 0;
    for (let s = 0; s < n; s++) if (Number.isNaN(out[o + s]!)) out[o + s] = mean;
    freq[i] = c ? sum / (2 * c) : NaN;
    mac[i] = Math.min(sum, 2 * c - sum);
    count[i] = c;
  }
  return {
    numRows: rows,
    columns: {
      ...batch.columns,
      values: { type: "list", child: { type: "double", values: out }, width: n },
      A1FREQ: { type: "double", values: freq },
      MAC: { type: "double", values: mac },
      N: { type: "int", values: count },
    },
  };
}
