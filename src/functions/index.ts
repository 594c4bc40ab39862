/**
 * Glow's column functions (`glow.functions.*`), as expressions evaluated in the workers.
 * Names are Glow's in camelCase: `genotype_states` → `genotypeStates`.
 */
import type { ColLike, ExprNode } from "../core/expr.js";
import { Col, fnCall, lit, toCol } from "../core/expr.js";
import type { VariantBatch } from "../core/column.js";
import type { AggregateOp } from "../core/plan.js";
import { AggregateExpr, SortOrder } from "../core/sort-aggregate.js";
import { GlowtsError } from "../core/errors.js";
import { finishSampleCallSummary, finishSampleField } from "./sample-qc.js";
// The function modules register their evaluators on import (core/function-registry.ts).
import "./genotype-states.js";
import "./mean-substitute.js";
import "./hard-calls.js";
import "./array.js";
import "./qc.js";
import "./struct.js";
import "./etl-definitions.js";
import "./normalize-liftover.js";
import "./dosage.js";

/**
 * Per sample, the sum of the call integers (the alternate-allele count of a biallelic site);
 * -1 when any call is missing or there are no calls.
 *
 * This is Glow's definition, kept as is: at a multiallelic site the sum is not an allele count
 * (a 1/2 call gives 3, a 0/2 call gives 2). Split multiallelic sites first (Glow's
 * `split_multiallelics`) — or keep biallelic rows with
 * `filter(arraySize("alternateAlleles").eq(1))` — before using the states as dosages.
 * @param genotypes the genotypes column @returns `array<int>`, one element per sample
 * @see Glow `genotype_states`
 */
export function genotypeStates(genotypes: ColLike): Col {
  return fnCall("genotypeStates", [genotypes]);
}

/**
 * Replaces NaN, null or `missingValue` elements with the mean of the others in the row (if all are
 * missing they become `missingValue`).
 * @returns `array<double>` @see Glow `mean_substitute`
 */
export function meanSubstitute(array: ColLike, missingValue = -1): Col {
  return fnCall("meanSubstitute", [array], { missingValue });
}

/**
 * Hard calls, in two forms.
 *
 * - Glow's `hard_calls(probabilities, numAlts, phased, threshold = 0.9)`: `probabilities` is an
 *   array column (e.g. `genotype.posteriorProbabilities` after `explode("genotypes", "genotype")`),
 *   `numAlts` and `phased` columns or values; returns `array<int>` diploid calls — the genotype
 *   with the largest probability ≥ threshold in colex order (0→[0,0], 1→[1,0], 2→[1,1], 3→[2,0]…;
 *   per haplotype when phased), else `[-1, -1]`.
 * - The convenience form `hardCalls(genotypes = "genotypes", threshold = 0.9)`: recomputes `calls`
 *   of every genotype from its `posteriorProbabilities`, with numAlts from `alternateAlleles` and
 *   `phased` from the genotype; returns the genotypes column with new calls.
 * @see Glow `hard_calls`
 */
export function hardCalls(genotypes?: ColLike, threshold?: number): Col;
export function hardCalls(probabilities: ColLike, numAlts: ColLike | number, phased: ColLike | boolean, threshold?: number): Col;
export function hardCalls(a: ColLike = "genotypes", b?: ColLike | number, c?: ColLike | boolean, d = 0.9): Col {
  if (c === undefined) return fnCall("hardCalls", [a], { threshold: typeof b === "number" ? b : 0.9 });
  const numAlts = typeof b === "number" ? lit(b) : toCol(b!);
  const phased = typeof c === "boolean" ? lit(c) : toCol(c);
  return fnCall("hardCallsGlow", [a, numAlts, phased], { threshold: d });
}

/**
 * The expected alternate-allele dosage of each sample from `posteriorProbabilities` (P₁ + 2·P₂
 * for an unphased diploid; the sum of the haplotypes' alt probabilities when phased), NaN where a
 * sample has no probabilities. What Glow users write as
 * `transform(genotypes, g -> g.posteriorProbabilities[1] + 2 * g.posteriorProbabilities[2])`, and
 * what REGENIE tests for BGEN input; usable as the GWAS `valuesColumn`, e.g.
 * `linearRegression(df, y, { valuesColumn: meanSubstitute(expectedDosage("genotypes")) })`.
 * @returns `array<double>`, one element per sample
 */
export function expectedDosage(genotypes: ColLike = "genotypes"): Col {
  return fnCall("expectedDosage", [genotypes]);
}

/** Spark `size(array)`: elements per row (-1 for null). */
export function arraySize(array: ColLike): Col {
  return fnCall("arraySize", [array]);
}

/** Spark `array_distinct(array)`. */
export function arrayDistinct(array: ColLike): Col {
  return fnCall("arrayDistinct", [array]);
}

/**
 * Per-variant call statistics: `{callRate, nCalled, nUncalled, nHet, nHomozygous[], nNonRef,
 * nAllelesCalled, alleleCounts[], alleleFrequencies[]}`, with one entry per allele (reference
 * first) in the arrays, so multiallelic sites are counted allele by allele (checked against
 * `bcftools +fill-tags` AC/AN/AF). A genotype is called when none of its calls is missing.
 * @see Glow `call_summary_stats`
 */
export function callSummaryStats(genotypes: ColLike = "genotypes"): Col {
  return fnCall("callSummaryStats", [genotypes]);
}

/**
 * Hardy–Weinberg equilibrium of biallelic calls: `{hetFreqHwe, pValueHwe}` (Levene–Haldane exact
 * test, mid-p). Like Glow it assumes biallelic sites: only diploid 0/0, 0/1 and 1/1 genotypes are
 * counted, so at a multiallelic site genotypes carrying another allele are left out — split
 * multiallelic sites first. @see Glow `hardy_weinberg`
 */
export function hardyWeinberg(genotypes: ColLike = "genotypes"): Col {
  return fnCall("hardyWeinberg", [genotypes]);
}

/** In `select`, promotes the fields of a struct to columns (Spark's `struct.*`). @see Glow `expand_struct` */
export function expandStruct(struct: ColLike): Col {
  return fnCall("expandStruct", [struct]);
}

/** Spark's `arrays_overlap(array, array(values...))`: true where any element is one of `values`. */
export function arraysOverlap(array: ColLike, values: (string | number)[]): Col {
  return fnCall("isIn", [array], { values: [...values] });
}

/** Mean of each numeric array, ignoring NaN and nulls. */
export function arrayMean(array: ColLike): Col {
  return fnCall("arrayMean", [array]);
}

/**
 * Per variant `{mean, stdDev, min, max}` of the genotypes' `depth` (FORMAT DP) over the samples,
 * missing values skipped; `stdDev` is the sample standard deviation (n − 1), null for one value.
 * @see Glow `dp_summary_stats`
 */
export function dpSummaryStats(genotypes: ColLike = "genotypes"): Col {
  return fnCall("dpSummaryStats", [genotypes]);
}

/** As {@link dpSummaryStats}, of `conditionalQuality` (FORMAT GQ). @see Glow `gq_summary_stats` */
export function gqSummaryStats(genotypes: ColLike = "genotypes"): Col {
  return fnCall("gqSummaryStats", [genotypes]);
}

/**
 * Per row `{mean, stdDev, min, max}` of a numeric array (nulls and NaN skipped; stdDev with n − 1).
 * @see Glow `array_summary_stats`
 */
export function arraySummaryStats(array: ColLike): Col {
  return fnCall("arraySummaryStats", [array]);
}

/**
 * The `quantile` of each numeric array by linear interpolation between order statistics
 * (position q·(n−1)): `[1,2,3,4,5]` at 0.7 gives 3.8. Pass `isSorted: true` to skip sorting.
 * @see Glow `array_quantile`
 */
export function arrayQuantile(array: ColLike, quantile: number, isSorted = false): Col {
  return fnCall("arrayQuantile", [array], { quantile, isSorted });
}

/** A struct with only the named fields, in that order. @see Glow `subset_struct` */
export function subsetStruct(struct: ColLike, ...fields: string[]): Col {
  return fnCall("subsetStruct", [struct], { fields });
}

/**
 * The struct with fields appended: `addStructFields(s, "a", col("x"), "b", lit(1))` (a field of
 * the same name is replaced). Values are columns (a string is a column name) or numbers/booleans.
 * @see Glow `add_struct_fields`
 */
export function addStructFields(struct: ColLike, ...nameValues: (string | Col | number | boolean)[]): Col {
  if (nameValues.length % 2 !== 0) throw new GlowtsError("OPTION", "addStructFields: give name, value pairs");
  const names: string[] = [], values: Col[] = [];
  for (let i = 0; i < nameValues.length; i += 2) {
    const n = nameValues[i], v = nameValues[i + 1]!;
    if (typeof n !== "string") throw new GlowtsError("OPTION", `addStructFields: field names must be strings, got ${String(n)}`);
    names.push(n);
    values.push(typeof v === "number" || typeof v === "boolean" ? lit(v) : toCol(v));
  }
  return fnCall("addStructFields", [struct, ...values], { names });
}

/**
 * The genotypes of the listed samples only (in the column's sample order) — what Glow's sample-QC
 * tutorial writes as Spark's `filter(genotypes, g -> array_contains(ids, g.sampleId))`. The
 * frame's `sampleIds()` still lists the source's samples; the filtered column carries its own.
 */
export function filterSamples(genotypes: ColLike, sampleIds: string[]): Col {
  return fnCall("filterSamples", [genotypes], { sampleIds: [...sampleIds] });
}

// ------------------------------------------------------------------------------ sample QC

/** What the sample QC functions need of a frame (a {@link import("../frame/variant-frame.js").VariantFrame}). */
export interface SampleAggregatable {
  sampleAggregate(op: AggregateOp, finish: (p: VariantBatch) => Record<string, ArrayLike<number> | (string | null)[]>, options?: { workers?: number; onProgress?: boolean }): Promise<import("danfojs-node").DataFrame>;
}

const node = (c: ColLike): ExprNode => toCol(c).node;

/**
 * Per-sample call statistics over all variants of the frame (an aggregate, Glow's
 * `sample_call_summary_stats(genotypes, refAllele, alternateAlleles)`): a danfo DataFrame indexed
 * by sample id with `callRate, nCalled, nUncalled, nHomRef, nHet, nHomVar, nSnp, nInsertion,
 * nDeletion, nTransition, nTransversion, nSpanningDeletion, rTiTv, rInsertionDeletion,
 * rHetHomVar`. Allele-type counts are per alternate-allele copy of called genotypes; ratios are
 * plain quotients (NaN for 0/0, Infinity for x/0).
 *
 * Runs on the worker pool, one partial accumulator per sample per partition, combined on the
 * calling thread: memory is O(samples), not O(variants × samples).
 */
export function sampleCallSummaryStats(frame: SampleAggregatable, genotypes: ColLike = "genotypes", refAllele: ColLike = "referenceAllele", alternateAlleles: ColLike = "alternateAlleles"): Promise<import("danfojs-node").DataFrame> {
  return frame.sampleAggregate({ op: "aggregate", kind: "sampleCallSummaryStats", args: [node(genotypes), node(refAllele), node(alternateAlleles)] }, finishSampleCallSummary);
}

/**
 * Per-sample `{mean, stdDev, min, max}` of the genotypes' `depth` over all variants (Glow's
 * `sample_dp_summary_stats`), a danfo DataFrame indexed by sample id; missing depths skipped,
 * stdDev with n − 1 (NaN for fewer than two values). Memory O(samples), as
 * {@link sampleCallSummaryStats}.
 */
export function sampleDpSummaryStats(frame: SampleAggregatable, genotypes: ColLike = "genotypes"): Promise<import("danfojs-node").DataFrame> {
  return frame.sampleAggregate({ op: "aggregate", kind: "sampleFieldSummaryStats", args: [node(genotypes)], field: "depth", caller: "sample_dp_summary_stats" }, finishSampleField);
}

/** As {@link sampleDpSummaryStats}, of `conditionalQuality` (GQ). @see Glow `sample_gq_summary_stats` */
export function sampleGqSummaryStats(frame: SampleAggregatable, genotypes: ColLike = "genotypes"): Promise<import("danfojs-node").DataFrame> {
  return frame.sampleAggregate({ op: "aggregate", kind: "sampleFieldSummaryStats", args: [node(genotypes)], field: "conditionalQuality", caller: "sample_gq_summary_stats" }, finishSampleField);
}

// ------------------------------------------------------------------------------ aggregates and sort keys

/** `count()` rows of each group, or `count(col)` its non-null values (for `groupBy().agg`). */
export function count(column?: ColLike): AggregateExpr {
  return new AggregateExpr(column === undefined ? { fn: "count", name: "count" } : { fn: "count", expr: node(column), name: `count(${toCol(column).name})` });
}

/** Sum of a numeric column per group (null when the group has no value). */
export function sum(column: ColLike): AggregateExpr {
  return new AggregateExpr({ fn: "sum", expr: node(column), name: `sum(${toCol(column).name})` });
}

/** Mean of a numeric column per group, nulls skipped (Spark's `avg`, named `avg(x)`). */
export function mean(column: ColLike): AggregateExpr {
  return new AggregateExpr({ fn: "mean", expr: node(column), name: `avg(${toCol(column).name})` });
}

/** Alias of {@link mean}. */
export const avg = mean;

/** Ascending sort key for `orderBy`. */
export function asc(column: ColLike): SortOrder { return new SortOrder(toCol(column), true); }
/** Descending sort key for `orderBy`. */
export function desc(column: ColLike): SortOrder { return new SortOrder(toCol(column), false); }

export { normalizeVariant, liftOverCoordinates } from "./normalize-liftover.js";
