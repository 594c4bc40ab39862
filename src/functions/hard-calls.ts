/**
 * Glow's `hard_calls(probabilities, numAlts, phased, threshold = 0.9)`: turns genotype posterior
 * probabilities into calls. Unphased: the genotype (colex order) with the largest probability, if it
 * is ≥ threshold, else all -1. Phased: per haplotype, the allele with the largest probability if it is
 * ≥ threshold, else -1 for the whole genotype (Glow sets every call to -1 when any haplotype fails).
 */
import { GlowtsError } from "../errors.js";
import type { Column, GenotypesColumn, ListColumn } from "../frame/column.js";
import { listRange } from "../frame/column.js";

/** Calls of the unphased colex genotype index `k` for `ploidy` copies (alleles ascending). */
export function colexGenotype(k: number, ploidy: number, out: Int32Array, at: number): void {
  // Colex order of multisets {a1 <= a2 <= ... <= ap}: rank = sum_i C(a_i + i - 1, i) (i 1-based).
  let rem = k;
  for (let i = ploidy; i >= 1; i--) {
    // largest a with C(a + i - 1, i) <= rem
    let a = 0;
    while (binom(a + 1 + i - 1, i) <= rem) a++;
    out[at + i - 1] = a;
    rem -= binom(a + i - 1, i);
  }
}

function binom(n: number, k: number): number {
  if (k < 0 || n < k) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Kernel for one genotype. Writes `ploidy` calls at `out[at..]`.
 * @param probs probabilities (colex order when unphased; haplotype-major when phased)
 */
export function hardCallsOne(
  probs: ArrayLike<number>, from: number, to: number, numAlleles: number, ploidy: number, phased: boolean, threshold: number, out: Int32Array, at: number,
): void {
  if (to <= from) { for (let j = 0; j < ploidy; j++) out[at + j] = -1; return; }
  if (phased) {
    for (let h = 0; h < ploidy; h++) {
      let best = -1;
      let bestP = -Infinity;
      for (let a = 0; a < numAlleles; a++) {
        const p = probs[from + h * numAlleles + a]!;
        if (p > bestP) { bestP = p; best = a; }
      }
      if (!(bestP >= threshold)) { for (let j = 0; j < ploidy; j++) out[at + j] = -1; return; }
      out[at + h] = best;
    }
    return;
  }
  let best = -1;
  let bestP = -Infinity;
  for (let i = from; i < to; i++) {
    const p = probs[i]!;
    if (p > bestP) { bestP = p; best = i - from; }
  }
  if (!(bestP >= threshold)) { for (let j = 0; j < ploidy; j++) out[at + j] = -1; return; }
  colexGenotype(best, ploidy, out, at);
}

/**
 * Column kernel: recomputes `calls` of a genotypes column from `posteriorProbabilities`.
 * `numAlleles[row]` = 1 + number of alternate alleles.
 */
export function hardCallsColumn(g: Column, numAlleles: Int32Array, threshold = 0.9): GenotypesColumn {
  if (g.type !== "genotypes") throw new GlowtsError("TYPE", `hard_calls: expected a genotypes column, got ${g.type}`);
  const probs = g.fields["posteriorProbabilities"] as ListColumn | undefined;
  if (!probs || probs.type !== "list") throw new GlowtsError("TYPE", "hard_calls: the genotypes have no posteriorProbabilities");
  const ns = g.nSamples;
  const nGeno = numAlleles.length * ns;
  const ploidyCol = g.fields["ploidy"];
  const phasedCol = g.fields["phased"];
  const pl = new Int32Array(nGeno);
  for (let i = 0; i < nGeno; i++) pl[i] = ploidyCol && ploidyCol.type === "int" ? ploidyCol.values[i]! : 2;
  const offsets = new Int32Array(nGeno + 1);
  for (let i = 0; i < nGeno; i++) offsets[i + 1] = offsets[i]! + pl[i]!;
  const calls = new Int32Array(offsets[nGeno]!);
  const pv = (probs.child as { values: ArrayLike<number> }).values;
  for (let r = 0; r < numAlleles.length; r++) {
    for (let s = 0; s < ns; s++) {
      const i = r * ns + s;
      const [a, b] = listRange(probs, i);
      const phased = phasedCol && phasedCol.type === "boolean" ? phasedCol.values[i] === 1 : false;
      hardCallsOne(pv, a, b, numAlleles[r]!, pl[i]!, phased, threshold, calls, offsets[i]!);
    }
  }
  const allTwo = pl.every((p) => p === 2);
  const callsCol: ListColumn = allTwo
    ? { type: "list", child: { type: "int", values: calls }, width: 2 }
    : { type: "list", child: { type: "int", values: calls }, offsets };
  return { ...g, fields: { ...g.fields, calls: callsCol } };
}
