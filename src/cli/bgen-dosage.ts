/**
 * A `mapPartitions` function for the REGENIE command line on BGEN input: the `values` column is
 * the expected alt-allele dosage of each sample (`glow.functions.expectedDosage`, what REGENIE
 * tests by default), and `dosageVariance` holds E[g²] − E[g]² of each sample's genotype under its
 * probabilities (P₁ + 4P₂ − (P₁ + 2P₂)² for an unphased diploid, Σ_h P(h alt)(1 − P(h alt)) when
 * phased, P(1 − P) for a haploid), from which ./sample-subset.ts computes REGENIE's INFO. Missing
 * probabilities give NaN in both.
 */
import type { Column, ListColumn, VariantBatch } from "../core/column.js";
import { isNull, listRange } from "../core/column.js";
import { GlowtsError } from "../core/errors.js";
import { expectedDosageColumn } from "../functions/dosage.js";
import { numAllelesOf } from "../functions/num-alleles.js";

export function bgenDosage(batch: VariantBatch): VariantBatch {
  const g = batch.columns["genotypes"];
  if (!g || g.type !== "genotypes") throw new GlowtsError("MAP_PARTITIONS", "bgenDosage: the frame has no genotypes column");
  const values = expectedDosageColumn(g, numAllelesOf(batch, "bgenDosage"));
  const probs = g.fields["posteriorProbabilities"] as ListColumn;
  const pv = (probs.child as { values: ArrayLike<number> }).values;
  const phasedCol = g.fields["phased"];
  const ns = g.nSamples;
  const d = (values.child as { values: Float64Array }).values;
  const v = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    if (Number.isNaN(d[i]!) || isNull(probs, i)) { v[i] = NaN; continue; }
    const [a, b] = listRange(probs, i);
    const len = b - a;
    const phased = phasedCol && phasedCol.type === "boolean" ? phasedCol.values[i] === 1 : false;
    if (len === 2) v[i] = pv[a + 1]! * (1 - pv[a + 1]!);
    else if (phased) v[i] = pv[a + 1]! * (1 - pv[a + 1]!) + pv[a + 3]! * (1 - pv[a + 3]!);
    else v[i] = pv[a + 1]! + 4 * pv[a + 2]! - d[i]! * d[i]!;
  }
  const dosageVariance: Column = { type: "list", child: { type: "double", values: v }, width: ns };
  return { numRows: batch.numRows, columns: { ...batch.columns, values, dosageVariance } };
}
