/**
 * Glow's column functions (`glow.functions.*`), as expressions evaluated in the workers.
 * Names are Glow's in camelCase: `genotype_states` → `genotypeStates`.
 */
import type { ColLike } from "../frame/expr.js";
import { Col, fnCall } from "../frame/expr.js";

/**
 * Per sample, the sum of the call integers (the alternate-allele count of a biallelic site);
 * -1 when any call is missing or there are no calls.
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
 * Recomputes `calls` of the genotypes from `posteriorProbabilities` (max probability ≥ threshold,
 * colex genotype order; else -1s). Glow's `hard_calls(probabilities, numAlts, phased, threshold)`
 * applied to every genotype of the row, with numAlts from `alternateAlleles` and `phased` from the
 * genotype. @returns the genotypes column with new calls
 */
export function hardCalls(genotypes: ColLike = "genotypes", threshold = 0.9): Col {
  return fnCall("hardCalls", [genotypes], { threshold });
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
 * nAllelesCalled, alleleCounts[], alleleFrequencies[]}`. @see Glow `call_summary_stats`
 */
export function callSummaryStats(genotypes: ColLike = "genotypes"): Col {
  return fnCall("callSummaryStats", [genotypes]);
}

/**
 * Hardy–Weinberg equilibrium of biallelic calls: `{hetFreqHwe, pValueHwe}` (Levene–Haldane exact
 * test, mid-p). @see Glow `hardy_weinberg`
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
