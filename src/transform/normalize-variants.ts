/**
 * `normalize_variants`: left-aligns and trims every row against a reference FASTA (see
 * {@link normalizeAlleles}), per partition in the workers.
 *
 * With `replaceColumns` (Glow's default) `start`, `end`, `referenceAllele` and `alternateAlleles`
 * are overwritten for changed rows and a `normalizationStatus{changed, errorMessage}` column is
 * added; otherwise the columns stay and a `normalizationResult{start, end, referenceAllele,
 * alternateAlleles, normalizationStatus}` column is added.
 */
import type { Column, Field, StructColumn, VariantBatch } from "../core/column.js";
import { normalizationResultType } from "../functions/normalize-liftover.js";
import { col } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";
import { openFasta } from "../io/fasta.js";
import { booleans, listColumn, numberAt, stringColumn, stringListAt } from "../functions/columns.js";
import { normalizeAlleles, type NormalizationResult } from "../functions/normalize-alleles.js";

/** Plain-data arguments of the partition function. */
export interface NormalizeArgs {
  referenceGenomePath: string;
  replaceColumns: boolean;
}

/** Normalizes the rows of one partition. */
export function normalizeVariantsPartition(batch: VariantBatch, args: NormalizeArgs): VariantBatch {
  const caller = "normalize_variants";
  const fasta = openFasta(args.referenceGenomePath);
  const contig = stringColumn(batch, "contigName", caller);
  const ref = stringColumn(batch, "referenceAllele", caller);
  const alts = listColumn(batch, "alternateAlleles", caller);
  const startCol = batch.columns["start"], endCol = batch.columns["end"];
  const n = batch.numRows;
  const results: NormalizationResult[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = numberAt(startCol, i), e = numberAt(endCol, i);
    const c = contig.values[i], r = ref.values[i];
    if (s === null || e === null || c === null || c === undefined || r === null || r === undefined) {
      results[i] = { start: s ?? 0, end: e ?? 0, referenceAllele: r ?? "", alternateAlleles: [], normalizationStatus: { changed: false, errorMessage: "missing contigName, start, end or referenceAllele" } };
      continue;
    }
    results[i] = normalizeAlleles(c, s, e, r, stringListAt(alts, i), fasta);
  }
  const status: StructColumn = {
    type: "struct",
    fields: {
      changed: booleans(results.map((x) => x.normalizationStatus.changed)),
      errorMessage: { type: "string", values: results.map((x) => x.normalizationStatus.errorMessage) },
    },
  };
  const starts = new Float64Array(n), ends = new Float64Array(n);
  results.forEach((x, i) => { starts[i] = x.start; ends[i] = x.end; });
  const newRef: Column = { type: "string", values: results.map((x) => x.referenceAllele) };
  const newAlts = col.stringLists(results.map((x, i) => (x.normalizationStatus.changed ? x.alternateAlleles : stringListAt(alts, i))));
  if (args.replaceColumns) {
    const columns: Record<string, Column> = { ...batch.columns };
    columns["start"] = startCol?.type === "int" ? { type: "int", values: Int32Array.from(starts) } : col.longs(starts);
    columns["end"] = endCol?.type === "int" ? { type: "int", values: Int32Array.from(ends) } : col.longs(ends);
    columns["referenceAllele"] = newRef;
    columns["alternateAlleles"] = newAlts;
    columns["normalizationStatus"] = status;
    return { numRows: n, columns };
  }
  const result: StructColumn = {
    type: "struct",
    fields: { start: col.longs(starts), end: col.longs(ends), referenceAllele: newRef, alternateAlleles: newAlts, normalizationStatus: status },
  };
  return { numRows: n, columns: { ...batch.columns, normalizationResult: result } };
}

/** Checks the reference genome once on the calling thread. */
export function checkReference(path: unknown): string {
  if (typeof path !== "string" || path === "") throw new GlowtsError("OPTION", "normalize_variants: option 'referenceGenomePath' is required", { option: "referenceGenomePath" });
  openFasta(path);
  return path;
}

/** Output schema of {@link normalizeVariantsPartition}. */
export function normalizeVariantsPartitionSchema(schema: Field[], args: NormalizeArgs): Field[] {
  const status: Field = { name: "normalizationStatus", type: { struct: [{ name: "changed", type: "boolean" }, { name: "errorMessage", type: "string" }] } };
  const without = (name: string): Field[] => schema.filter((f) => f.name !== name);
  if (args.replaceColumns) return [...without("normalizationStatus"), status];
  return [...without("normalizationResult"), { name: "normalizationResult", type: normalizationResultType }];
}
