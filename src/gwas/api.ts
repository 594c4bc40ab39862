/**
 * Frame-level GWAS: `glow.gwas.linearRegression` and `glow.gwas.logisticRegression`.
 *
 * As in Glow, the per-trait work (covariate basis, residualized phenotypes, null logistic models,
 * per contig for LOCO offsets) is done once when the function is called; the result is a lazy frame
 * whose partitions are tested in the workers (`frame.mapPartitions` with the plain-data state), so
 * nothing is read until an action (`collect`, `count`, `toDanfo`, `show`, ...) runs.
 */
import type { VariantBatch } from "../core/column.js";
import type { VariantFrame } from "../frame/variant-frame.js";
import { concatBatches } from "../core/column.js";
import { fuseStandardValues } from "./batch.js";
import { GlowtsError } from "../core/errors.js";
import { linearRegressionPartition, prepareLinearRegression, type LinearRegressionOptions } from "./linear-regression.js";
import { logisticRegressionPartition, prepareLogisticRegression, type LogisticRegressionOptions } from "./logistic-regression.js";

/** What the GWAS functions need of a frame (a `VariantFrame` has all of it). */
export interface GwasInputFrame {
  partitions(): AsyncIterable<VariantBatch>;
  sampleIds?(): Promise<string[] | null> | string[] | null;
  /** When present the tests run lazily in the workers. */
  mapPartitions?(modulePath: string, exportName: string, args: unknown): GwasResultFrame;
  /** Used when `valuesColumn` is a column expression. */
  withColumn?(name: string, expr: never): GwasInputFrame;
}

/** The lazy result: a `VariantFrame` when the input is one, else a {@link GwasResult}. */
export interface GwasResultFrame {
  partitions(): AsyncIterable<VariantBatch>;
  collect(): Promise<Record<string, unknown>[]>;
  count(): Promise<number>;
  toDanfo(): Promise<import("danfojs-node").DataFrame>;
}

const VALUES_COLUMN = "_glow_regression_values";

async function resolveInput<O extends { valuesColumn?: unknown; genotypeSampleIds?: string[] | null }>(
  caller: string, frame: GwasInputFrame, options: O, allowExpression: boolean,
): Promise<{ frame: GwasInputFrame; options: O; sampleIds: string[] | null }> {
  if (!frame || typeof frame.partitions !== "function") {
    throw new GlowtsError("OPTION", `${caller}: the first argument must be a VariantFrame (from glow.read)`);
  }
  let f = frame;
  let o = options;
  const v = options.valuesColumn;
  if (v !== undefined && typeof v !== "string") {
    if (!allowExpression) throw new GlowtsError("OPTION", `${caller}: option 'valuesColumn' must be a column name`, { option: "valuesColumn" });
    if (typeof frame.withColumn !== "function") throw new GlowtsError("OPTION", `${caller}: a column expression for valuesColumn needs a VariantFrame`, { option: "valuesColumn" });
    f = frame.withColumn(VALUES_COLUMN, v as never);
    o = { ...options, valuesColumn: VALUES_COLUMN };
  }
  const sampleIds = options.genotypeSampleIds ?? (frame.sampleIds ? await frame.sampleIds() : null);
  return { frame: f, options: o, sampleIds };
}

function lazyResult<S>(frame: GwasInputFrame, module: string, exportName: string, state: S, kernel: (b: VariantBatch, s: S) => VariantBatch): GwasResultFrame {
  if (typeof frame.mapPartitions === "function") {
    return frame.mapPartitions(new URL(module, import.meta.url).href, exportName, state);
  }
  return new GwasResult(frame, (b) => kernel(b, state));
}

/**
 * Linear regression of every variant against every phenotype (Glow's `linear_regression`).
 *
 * @param frame variants with a per-sample numeric array column (`valuesColumn`, default 'values',
 *   e.g. `meanSubstitute(genotypeStates('genotypes'))`; a column expression is also accepted)
 * @param phenotypeDf danfo DataFrame indexed by sample id, one column per phenotype (NaN = missing)
 * @param options `covariateDf`, `offsetDf` (per sample, or per (sample, contig) for LOCO),
 *   `contigs`, `addIntercept` (true), `valuesColumn` ('values'), `dt` ('float64'),
 *   `verboseOutput` (false), `intersectSamples` (false), `genotypeSampleIds`
 * @returns a lazy frame (a `VariantFrame` when `frame` is one) with the input columns except the
 *   values column and `genotypes`, then
 *   `effect`, `stderror`, `tvalue`, `pvalue` (two-sided t-test), `phenotype`, (verbose: `n`,
 *   `sum_x`, `y_transpose_x`), `log10pvalue` (exact where pvalue underflows)
 * @throws GlowtsError for mismatched sample ids, missing covariates, a singular covariate matrix,
 *   too few samples, offsets lacking a contig, or unknown options
 * @example
 * ```ts
 * const df = glow.read("vcf", "genotypes.vcf.gz")
 *   .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
 * const res = await glow.gwas.linearRegression(df, phenotypes, { covariateDf: covariates });
 * await res.show();
 * ```
 * @see https://glow.readthedocs.io/en/latest/api-docs/gwas.html
 */
export async function linearRegression(frame: VariantFrame, phenotypeDf: unknown, options?: LinearRegressionOptions): Promise<VariantFrame>;
export async function linearRegression(frame: GwasInputFrame, phenotypeDf: unknown, options?: LinearRegressionOptions): Promise<GwasResultFrame>;
export async function linearRegression(frame: GwasInputFrame, phenotypeDf: unknown, options: LinearRegressionOptions = {}): Promise<GwasResultFrame> {
  const r = await resolveInput("linearRegression", frame, options, true);
  const state = prepareLinearRegression(phenotypeDf, r.options, r.sampleIds);
  const f = fuseStandardValues(r.frame, state);
  return lazyResult(f.frame, "./linear-regression.js", "linearRegressionPartition", f.state, linearRegressionPartition);
}

/**
 * Logistic regression of every variant against every binary phenotype (Glow's
 * `logistic_regression`): score test, with the approximate Firth correction where p <
 * `pvalueThreshold`.
 *
 * @param options as {@link linearRegression} (no `verboseOutput`; `valuesColumn` must be a name)
 *   plus `correction` ('approx-firth' | 'none', default 'approx-firth') and `pvalueThreshold` (0.05)
 * @returns a lazy frame with the input columns except the values column and `genotypes`, then
 *   (approx-firth) `effect`, `stderror`, `correctionSucceeded` (null where not attempted), `chisq`,
 *   `pvalue`, `phenotype`, `log10pvalue`
 * @throws GlowtsError as {@link linearRegression}, plus a phenotype with a single class and a
 *   null model that separates perfectly or whose Firth fit fails
 */
export async function logisticRegression(frame: VariantFrame, phenotypeDf: unknown, options?: LogisticRegressionOptions): Promise<VariantFrame>;
export async function logisticRegression(frame: GwasInputFrame, phenotypeDf: unknown, options?: LogisticRegressionOptions): Promise<GwasResultFrame>;
export async function logisticRegression(frame: GwasInputFrame, phenotypeDf: unknown, options: LogisticRegressionOptions = {}): Promise<GwasResultFrame> {
  const r = await resolveInput("logisticRegression", frame, options, false);
  const state = prepareLogisticRegression(phenotypeDf, r.options, r.sampleIds);
  const f = fuseStandardValues(r.frame, state);
  return lazyResult(f.frame, "./logistic-regression.js", "logisticRegressionPartition", f.state, logisticRegressionPartition);
}

/** Lazy result over a frame without a worker pool: partitions are tested as they are pulled. */
export class GwasResult implements GwasResultFrame {
  constructor(private readonly source: GwasInputFrame, private readonly kernel: (b: VariantBatch) => VariantBatch) {}

  async *partitions(): AsyncGenerator<VariantBatch> {
    for await (const b of this.source.partitions()) yield this.kernel(b);
  }

  /** All result rows as one columnar batch. */
  async collectBatch(): Promise<VariantBatch> {
    const parts: VariantBatch[] = [];
    for await (const b of this.partitions()) parts.push(b);
    return parts.length === 0 ? { numRows: 0, columns: {} } : concatBatches(parts);
  }

  async collect(): Promise<Record<string, unknown>[]> {
    const { batchRows } = await import("../frame/variant-frame.js");
    const rows: Record<string, unknown>[] = [];
    for await (const b of this.partitions()) rows.push(...batchRows(b));
    return rows;
  }

  async count(): Promise<number> {
    let n = 0;
    for await (const b of this.partitions()) n += b.numRows;
    return n;
  }

  /** The rows as a danfo DataFrame (arrays such as `names` joined with `,`). */
  async toDanfo(): Promise<import("danfojs-node").DataFrame> {
    const { flattenForTable } = await import("../frame/variant-frame.js");
    const cols = flattenForTable(await this.collectBatch());
    const dfd = await import("danfojs-node");
    return new dfd.DataFrame(cols);
  }
}
