/**
 * REGENIE step-2 output (`<out>_<trait>.regenie`, space-separated) streamed from a GWAS result
 * frame: the columns are column expressions evaluated in the workers, each partition is encoded
 * there and appended to its trait's file in order (the TSV writer with `splitBy: "phenotype"`).
 */
import type { Col } from "../../core/expr.js";
import { col } from "../../core/expr.js";

/** What the writer needs of a result frame (a `VariantFrame` has it). */
export interface SelectableFrame {
  select(...cols: Col[]): { write(format: "tsv", path: string, options: Record<string, unknown>): Promise<number> };
}

/**
 * Writes one REGENIE-style file per trait: `pathTemplate` contains `{}` (replaced by the trait),
 * `columns` maps each output header to its expression, numbers get 6 significant digits (REGENIE's
 * precision; integral values in full), nulls and non-finite numbers `NA`. A trait without rows
 * still gets its header line.
 * @returns the number of rows written over all files
 */
export function writeRegenieFiles(
  result: SelectableFrame, pathTemplate: string, columns: Record<string, Col>, traits: string[],
  options: { workers?: number; onProgress?: unknown; splitFileNames?: Record<string, string> } = {},
): Promise<number> {
  const items = [...Object.entries(columns).map(([name, c]) => c.alias(name)), col("phenotype").alias("phenotype")];
  return result.select(...items).write("tsv", pathTemplate, {
    delimiter: " ", precision: 6, nullValue: "NA", splitBy: "phenotype", splitValues: traits, ...options,
  });
}
