/**
 * Frame-level GWAS: `glow.gwas.linearRegression` and `glow.gwas.logisticRegression`.
 *
 * As in Glow, the functions return a lazy frame at once (no `await`): the per-trait work
 * (validation, covariate bases per missingness pattern, residualized phenotypes, null logistic
 * models, per contig for LOCO offsets) runs once, on the calling thread, when the first action
 * (`collect`, `count`, `toDanfo`, `show`, ...) runs, and its errors reject that action; the
 * partitions are then tested in the workers (`frame.mapPartitions` with the plain-data state).
 */
import type { VariantBatch } from "../core/column.js";
import { VariantFrame } from "../frame/variant-frame.js";
import { GlowtsError } from "../core/errors.js";
import type { LinearRegressionOptions } from "./linear-regression.js";
import type { GwasCommonOptions } from "./prepare.js";
import type { LogisticRegressionOptions } from "./logistic-regression.js";

/** A frame-like input that is not a `VariantFrame`: batches from `partitions()` (wrapped in one). */
export interface GwasInputFrame {
  partitions(): AsyncIterable<VariantBatch>;
  sampleIds?(): Promise<string[] | null> | string[] | null;
}

const VALUES_COLUMN = "_glow_regression_values";

/**
 * The input as a VariantFrame with the values column (an expression becomes a `withColumn`), the
 * options naming it, and a function giving the genotype sample ids (run when an action runs).
 */
function resolveInput<O extends { valuesColumn?: unknown; genotypeSampleIds?: string[] | null }>(
  caller: string, frame: VariantFrame | GwasInputFrame, options: O, allowExpression: boolean,
): { frame: VariantFrame; options: O; sampleIds: () => Promise<string[] | null> } {
  if (!frame || typeof (frame as GwasInputFrame).partitions !== "function") {
    throw new GlowtsError("OPTION", `${caller}: the first argument must be a VariantFrame (from glow.read)`);
  }
  const input = frame;
  let f = frame instanceof VariantFrame ? frame : VariantFrame.fromPartitions(frame);
  let o = options;
  const v = options.valuesColumn;
  if (v !== undefined && typeof v !== "string") {
    if (!allowExpression) throw new GlowtsError("OPTION", `${caller}: option 'valuesColumn' must be a column name`, { option: "valuesColumn" });
    f = f.withColumn(VALUES_COLUMN, v as never);
    o = { ...options, valuesColumn: VALUES_COLUMN };
  }
  const sampleIds = async (): Promise<string[] | null> => options.genotypeSampleIds ?? (input.sampleIds ? await input.sampleIds() : null);
  return { frame: f, options: o, sampleIds };
}

/**
 * The lazy result: the GWAS kernel as a `mapPartitions` whose state (null models, projections) is
 * prepared when the first action runs. The kernel may compute the values column itself
 * (`fusable`): the frame's optimizer then hands it the `withColumn` that defines it.
 */
function gwasFrame(frame: VariantFrame, module: string, exportName: string, valuesColumn: string, prepare: () => Promise<unknown>): VariantFrame {
  return frame.mapPartitions(new URL(module, import.meta.url).href, exportName, prepare, { fusable: valuesColumn });
}

/**
 * Linear regression of every variant against every phenotype (Glow's `linear_regression`).
 *
 * @param frame variants with a per-sample numeric array column (`valuesColumn`, default 'values',
 *   e.g. `meanSubstitute(genotypeStates('genotypes'))`; a column expression is also accepted)
 * @param phenotypeDf danfo DataFrame indexed by sample id, one column per phenotype (NaN = missing)
 * @param options `covariateDf` (string columns are one-hot encoded, the first level seen being the
 *   reference, as REGENIE's `--catCovarList`), `offsetDf` (per sample, or per (sample, contig) for
 *   LOCO), `contigs`, `addIntercept` (true), `valuesColumn` ('values'), `dt` ('float64'),
 *   `verboseOutput` (false), `intersectSamples` (false), `genotypeSampleIds`,
 *   `missingPhenotypes` ('exact': each trait on its observed samples, as plink2 and REGENIE; 'glow':
 *   Glow's shortcut, see {@link GwasCommonOptions.missingPhenotypes})
 * @returns a lazy `VariantFrame` with the input columns except the values column, `genotypes` and
 *   `position`, then `effect`, `stderror`, `tvalue`, `pvalue` (two-sided t-test), `phenotype`,
 *   (verbose: `n`, `sum_x`, `y_transpose_x`), `negLog10pValue` (−log10 p, positive; exact where
 *   pvalue underflows)
 * @throws (when an action runs) GlowtsError for mismatched sample ids, missing or non-finite
 *   covariates, a non-finite or constant phenotype, a singular covariate matrix, too few samples,
 *   offsets lacking a contig, or unknown options
 * @example
 * ```ts
 * const df = glow.read("vcf", "genotypes.vcf.gz")
 *   .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
 * const res = glow.gwas.linearRegression(df, phenotypes, { covariateDf: covariates });
 * await res.show();
 * ```
 * @see https://glow.readthedocs.io/en/latest/api-docs/gwas.html
 */
export function linearRegression(frame: VariantFrame | GwasInputFrame, phenotypeDf: unknown, options: LinearRegressionOptions = {}): VariantFrame {
  const r = resolveInput("linearRegression", frame, options, true);
  const valuesColumn = typeof r.options.valuesColumn === "string" ? r.options.valuesColumn : "values";
  return gwasFrame(r.frame, "./linear-regression.js", "linearRegressionPartition", valuesColumn, async () => {
    const { prepareLinearRegression } = await import("./linear-regression.js");
    return prepareLinearRegression(phenotypeDf, r.options, await r.sampleIds());
  });
}

/**
 * Logistic regression of every variant against every binary phenotype (Glow's
 * `logistic_regression`): score test, with the approximate Firth correction where p <
 * `pvalueThreshold`.
 *
 * With `missingPhenotypes: 'exact'` (the default) the null model and the tests of each trait use
 * only its observed samples.
 *
 * @param options as {@link linearRegression} (no `verboseOutput`; `valuesColumn` must be a name)
 *   plus `correction` ('approx-firth' | 'none', default 'approx-firth'), `pvalueThreshold` (0.05)
 *   and `scoreEffects` (true: REGENIE's score-test effect = U/V and stderror = 1/√V where the Firth
 *   correction was not applied; false: Glow's nulls there)
 * @returns a lazy `VariantFrame` with the input columns except the values column, `genotypes` and
 *   `position`, then `effect`, `stderror` (with approx-firth or scoreEffects),
 *   `correctionSucceeded` (approx-firth; null where not attempted), `chisq`, `pvalue`, `phenotype`,
 *   `negLog10pValue`
 * @throws (when an action runs) GlowtsError as {@link linearRegression}, plus a phenotype not coded
 *   0/1 (`NOT_BINARY`), a phenotype with a single class, and a null model that separates perfectly
 *   or whose Firth fit fails
 */
export function logisticRegression(frame: VariantFrame | GwasInputFrame, phenotypeDf: unknown, options: LogisticRegressionOptions = {}): VariantFrame {
  const r = resolveInput("logisticRegression", frame, options, false);
  const valuesColumn = typeof r.options.valuesColumn === "string" ? r.options.valuesColumn : "values";
  return gwasFrame(r.frame, "./logistic-regression.js", "logisticRegressionPartition", valuesColumn, async () => {
    const { prepareLogisticRegression } = await import("./logistic-regression.js");
    return prepareLogisticRegression(phenotypeDf, r.options, await r.sampleIds());
  });
}
