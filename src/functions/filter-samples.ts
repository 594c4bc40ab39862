/**
 * Keeps the genotypes of some samples: the analogue of Spark's
 * `filter(genotypes, g -> array_contains(ids, g.sampleId))` that Glow's sample-QC tutorial uses to
 * drop failing samples, for a genotypes column whose samples are the same on every row.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, GenotypesColumn } from "../core/column.js";
import { columnLength, takeRows } from "../core/column.js";

/** Column kernel: the genotypes of the samples in `sampleIds`, in the column's sample order. */
export function filterSamplesColumn(g: Column, sampleIds: string[]): GenotypesColumn {
  if (g.type !== "genotypes") throw new GlowtsError("TYPE", `filter_samples: expected a genotypes column, got ${g.type}`);
  if (!g.sampleIds) throw new GlowtsError("SAMPLES", "filter_samples: the genotypes have no sample ids (read with includeSampleIds: true)");
  const want = new Set(sampleIds);
  const keep: number[] = [];
  g.sampleIds.forEach((id, s) => { if (want.has(id)) keep.push(s); });
  const rows = columnLength(g);
  const ns = g.nSamples, nk = keep.length;
  const idx = new Int32Array(rows * nk);
  for (let r = 0; r < rows; r++) for (let k = 0; k < nk; k++) idx[r * nk + k] = r * ns + keep[k]!;
  const fields: Record<string, Column> = {};
  for (const [name, f] of Object.entries(g.fields)) fields[name] = takeRows(f, idx);
  return { type: "genotypes", nSamples: nk, sampleIds: keep.map((s) => g.sampleIds![s]!), fields };
}
