/**
 * Exact missing phenotypes (`missingPhenotypes: 'exact'`): the traits are split by missingness
 * pattern (`prepare.ts splitByMissingness`), each pattern gets its own state on its own observed
 * samples, and a partition is tested once per pattern. This module runs the per-pattern kernels on
 * a batch and puts the rows back in the order of a single state: per contig group, phenotype-major
 * in the order of the phenotype table's columns.
 */
import { concatBatches, takeBatch, type VariantBatch } from "../core/column.js";
import { contigGroups } from "./batch.js";

/** The states of several missingness patterns; `traitIndex` places each part's traits. */
export interface PatternStates<S> {
  kind: "patterns";
  /** All traits, in the phenotype table's order. */
  traits: string[];
  parts: { traitIndex: Int32Array; state: S }[];
}

function isPatterns<S>(x: S | PatternStates<S>): x is PatternStates<S> {
  return (x as PatternStates<S>).kind === "patterns";
}

/** The part states of a plan (one for a single state). */
export function planStates<S>(plan: S | PatternStates<S>): S[] {
  return isPatterns(plan) ? plan.parts.map((p) => p.state) : [plan];
}

/**
 * Runs `kernel` for every pattern of `plan` on `batch` and merges the outputs into the row order
 * of one state (per contig group of the batch, trait by trait, variants in batch order).
 */
export function patternsPartition<S extends { contigs: string[] | null }>(
  caller: string, batch: VariantBatch, plan: S | PatternStates<S>, kernel: (b: VariantBatch, s: S) => VariantBatch,
): VariantBatch {
  if (!isPatterns(plan)) return kernel(batch, plan);
  const outs = plan.parts.map((p) => kernel(batch, p.state));
  const groups = contigGroups(caller, batch, plan.parts[0]!.state.contigs !== null);
  const p = plan.traits.length;
  const partOf = new Int32Array(p);
  const posInPart = new Int32Array(p);
  plan.parts.forEach((part, pi) => part.traitIndex.forEach((t, q) => { partOf[t] = pi; posInPart[t] = q; }));
  // Row offsets of each part's output in the concatenation, and of each contig group within a part.
  const partStart: number[] = [];
  let total = 0;
  for (const o of outs) { partStart.push(total); total += o.numRows; }
  const order = new Int32Array(total);
  let at = 0;
  let before = 0; // variants in the contig groups already placed
  for (const g of groups) {
    const mg = g.rows.length;
    for (let t = 0; t < p; t++) {
      const pi = partOf[t]!;
      const width = plan.parts[pi]!.traitIndex.length;
      const base = partStart[pi]! + before * width + posInPart[t]! * mg;
      for (let v = 0; v < mg; v++) order[at++] = base + v;
    }
    before += mg;
  }
  return takeBatch(concatBatches(outs), order);
}

/** The plan with `f` applied to each of its states. */
export function mapStates<S>(plan: S | PatternStates<S>, f: (s: S) => S): S | PatternStates<S> {
  return isPatterns(plan) ? { ...plan, parts: plan.parts.map((p) => ({ traitIndex: p.traitIndex, state: f(p.state) })) } : f(plan);
}
