/**
 * The expected alternate-allele dosage of each sample from `posteriorProbabilities` (BGEN and
 * VCF `GP`), what Glow users write with Spark's higher-order functions, e.g.
 * `transform(genotypes, g -> g.posteriorProbabilities[1] + 2 * g.posteriorProbabilities[2])`,
 * and what REGENIE tests by default for BGEN input.
 *
 * Per genotype: unphased diploid biallelic [P(0 alt), P(1 alt), P(2 alt)] → P₁ + 2·P₂; phased
 * (one pair per haplotype) [P(h₁ ref), P(h₁ alt), P(h₂ ref), P(h₂ alt)] → P(h₁ alt) + P(h₂ alt);
 * haploid [P(ref), P(alt)] → P(alt). A sample without probabilities (missing) is NaN, so that
 * `meanSubstitute` can fill it. Multiallelic rows are an error (split them first).
 */
import { GlowtsError } from "../core/errors.js";
import { registerFunction } from "../core/function-registry.js";
import { numAllelesOf } from "./num-alleles.js";
import type { Column, ListColumn } from "../core/column.js";
import { isNull, listRange } from "../core/column.js";

/** Column kernel of `expectedDosage`: `array<double>`, one element per sample. */
export function expectedDosageColumn(g: Column, numAlleles: Int32Array): ListColumn {
  if (g.type !== "genotypes") throw new GlowtsError("TYPE", `expected_dosage: expected a genotypes column, got ${g.type}`);
  const probs = g.fields["posteriorProbabilities"] as ListColumn | undefined;
  if (!probs || probs.type !== "list") throw new GlowtsError("TYPE", "expected_dosage: the genotypes have no posteriorProbabilities (read BGEN, or VCF with GP)");
  const ns = g.nSamples;
  const m = numAlleles.length;
  const phasedCol = g.fields["phased"];
  const pv = (probs.child as { values: ArrayLike<number> }).values;
  const out = new Float64Array(m * ns);
  for (let r = 0; r < m; r++) {
    if (numAlleles[r] !== 2) throw new GlowtsError("TYPE", `expected_dosage: variant ${r} of the batch has ${numAlleles[r]! - 1} alternate alleles; split multiallelic variants first`, { record: `variant ${r} of the batch` });
    for (let s = 0; s < ns; s++) {
      const i = r * ns + s;
      const [a, b] = listRange(probs, i);
      const len = b - a;
      if (len === 0 || isNull(probs, i)) { out[i] = NaN; continue; }
      const phased = phasedCol && phasedCol.type === "boolean" ? phasedCol.values[i] === 1 : false;
      let d: number;
      if (len === 2) d = pv[a + 1]!;
      else if (phased && len === 4) d = pv[a + 1]! + pv[a + 3]!;
      else if (!phased && len === 3) d = pv[a + 1]! + 2 * pv[a + 2]!;
      else throw new GlowtsError("TYPE", `expected_dosage: ${len} probabilities for a biallelic ${phased ? "phased" : "unphased"} genotype (sample ${s})`, { record: `variant ${r} of the batch` });
      out[i] = d;
    }
  }
  return { type: "list", child: { type: "double", values: out }, width: ns };
}

registerFunction("expectedDosage", {
  evaluate: ([g], _p, batch) => expectedDosageColumn(g!, numAllelesOf(batch, "expected_dosage")),
  type: () => ({ list: "double" }),
});
