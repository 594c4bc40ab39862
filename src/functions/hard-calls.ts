/**
 * Glow's `hard_calls(probabilities, numAlts, phased, threshold = 0.9)` over a genotypes column:
 * recomputes `calls` from `posteriorProbabilities` with the kernel in `io/bgen/hard-calls.ts`.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, GenotypesColumn, ListColumn } from "../core/column.js";
import { listRange } from "../core/column.js";
import { hardCallsInto } from "../io/bgen/hard-calls.js";
import { registerFunction } from "../core/function-registry.js";
import { numAllelesOf } from "./num-alleles.js";

/**
 * Kernel for one genotype: Glow's diploid hard calls (shared with the BGEN reader); other
 * ploidies get -1 calls, as Glow's BGEN reader emits.
 */
export function hardCallsOne(
  probs: ArrayLike<number>, from: number, to: number, numAlleles: number, ploidy: number, phased: boolean, threshold: number, out: Int32Array, at: number,
): void {
  if (ploidy !== 2) { for (let j = 0; j < ploidy; j++) out[at + j] = -1; return; }
  hardCallsInto(probs, from, to - from, numAlleles, phased, threshold, out, at);
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

/**
 * Column kernel of Glow's `hard_calls(probabilities, numAlts, phased, threshold)` over plain
 * columns: per row, the diploid calls (`array<int>` of 2) from the row's probability array, with
 * the row's number of alternate alleles and phasing. Used on exploded genotypes or any
 * probability array; `[-1, -1]` for a null or empty array. Unphased calls list the higher allele
 * first, as Glow's documented example (`[0.05, 0.95, 0.0]` → `[1, 0]`).
 */
export function hardCallsFromColumns(probs: Column, numAlts: Column, phased: Column, threshold: number): ListColumn {
  if (probs.type !== "list") throw new GlowtsError("TYPE", `hard_calls: probabilities must be an array, got ${probs.type}`);
  const ch = probs.child;
  if (ch.type !== "double" && ch.type !== "long" && ch.type !== "int") throw new GlowtsError("TYPE", "hard_calls: probabilities must be numbers");
  if (numAlts.type !== "int" && numAlts.type !== "double" && numAlts.type !== "long") throw new GlowtsError("TYPE", `hard_calls: numAlts must be a number, got ${numAlts.type}`);
  if (phased.type !== "boolean") throw new GlowtsError("TYPE", `hard_calls: phased must be a boolean, got ${phased.type}`);
  const rows = probs.offsets ? probs.offsets.length - 1 : probs.width ? ch.values.length / probs.width : 0;
  const out = new Int32Array(2 * rows);
  for (let r = 0; r < rows; r++) {
    const [a, b] = listRange(probs, r);
    if ((probs.nulls && probs.nulls[r]) || b === a) { out[2 * r] = -1; out[2 * r + 1] = -1; continue; }
    const isPhased = phased.values[r] === 1;
    hardCallsInto(ch.values, a, b - a, Number(numAlts.values[r]) + 1, isPhased, threshold, out, 2 * r);
    // Glow's function lists an unphased genotype's alleles high first ([0.05, 0.95, 0] → [1, 0])
    if (!isPhased && out[2 * r]! < out[2 * r + 1]!) { const t = out[2 * r]!; out[2 * r] = out[2 * r + 1]!; out[2 * r + 1] = t; }
  }
  return { type: "list", child: { type: "int", values: out }, width: 2 };
}

registerFunction("hardCalls", {
  evaluate: ([g], p, batch) => hardCallsColumn(g!, numAllelesOf(batch, "hard_calls"), typeof p["threshold"] === "number" ? (p["threshold"] as number) : 0.9),
  type: ([t]) => t!,
});
