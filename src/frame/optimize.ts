/**
 * Optimizer rules of the VariantFrame's plan, applied when an action runs (the plan the user
 * built is never changed).
 *
 * - Fused projection: `withColumn(c, e)` immediately followed by a `mapPartitions` that declares
 *   `fusable: c` becomes that `mapPartitions` with `fused: {name: c, expr: e}`; the function then
 *   computes `e` itself, and may do so from a cheaper representation (the GWAS kernels decode
 *   `meanSubstitute(genotypeStates(genotypes))` straight from packed PLINK bytes). Disabled with
 *   `GLOWTS_FUSED_VALUES=0` in the environment.
 * - Deferred arguments: {@link DeferredArgs} are resolved to plain data (so tasks can be posted).
 */
import { DeferredArgs, type IntervalTable, type PlanOp } from "../core/plan.js";

/** The ops with the fused-projection rule applied. */
export function fuseProjections(ops: readonly PlanOp[]): PlanOp[] {
  if (process.env["GLOWTS_FUSED_VALUES"] === "0") return [...ops];
  const out: PlanOp[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const next = ops[i + 1];
    if (op.op === "withColumn" && next && next.op === "mapPartitions" && next.fusable === op.name && !next.fused) {
      out.push({ ...next, fused: { name: op.name, expr: op.expr } });
      i++;
    } else out.push(op);
  }
  return out;
}

/** The ops ready to run: optimized, with deferred arguments resolved. */
export async function physicalOps(ops: readonly PlanOp[]): Promise<PlanOp[]> {
  const fused = fuseProjections(ops);
  return Promise.all(fused.map(async (op) => {
    if (op.op === "mapPartitions" && op.args instanceof DeferredArgs) return { ...op, args: await op.args.resolve() };
    if (op.op === "overlapJoin" && op.table instanceof DeferredArgs) return { ...op, table: (await op.table.resolve()) as IntervalTable };
    return op;
  }));
}
