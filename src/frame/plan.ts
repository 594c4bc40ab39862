/** The lazy plan of a VariantFrame: a source and a list of operations, all plain data. */
import type { ExprNode } from "./expr.js";

/** Where rows come from. */
export interface SourceNode {
  format: string;
  /** Expanded file paths. */
  paths: string[];
  /** Options as given (normalized by the reader at plan time). */
  options: Record<string, unknown>;
}

export type PlanOp =
  | { op: "withColumn"; name: string; expr: ExprNode }
  | { op: "select"; items: { name: string; expr: ExprNode }[] }
  | { op: "drop"; names: string[] }
  | { op: "filter"; expr: ExprNode }
  | { op: "limit"; n: number }
  | { op: "mapPartitions"; module: string; exportName: string; args: unknown };

/** One partition's task as posted to a worker. */
export interface PartitionTask {
  format: string;
  options: Record<string, unknown>;
  partition: import("../io/source.js").PartitionSpec;
  /** Reader state of the plan; omitted when `sharedMeta` carries it. */
  meta?: unknown;
  /**
   * The same state serialized once per plan into shared memory: every task references the same
   * buffer (no copy per task) and each worker parses it once (cached by `id`).
   */
  sharedMeta?: { id: string; bytes: SharedArrayBuffer } | undefined;
  ops: PlanOp[];
  /**
   * Only the number of rows is wanted (`count()`): operations after the last one that can change
   * the row count are skipped and the worker sends back the count, not the rows.
   */
  countOnly?: boolean | undefined;
  /** For formats registered with `registerFormat`: where the worker loads the reader from. */
  readerModule?: { url: string; exportName: string } | undefined;
}

/**
 * The operations `count()` needs: up to the last one that can change the number of rows (filter,
 * limit, mapPartitions); withColumn/select/drop after it cannot.
 */
export function opsForCount(ops: readonly PlanOp[]): PlanOp[] {
  let last = -1;
  ops.forEach((op, i) => { if (op.op === "filter" || op.op === "limit" || op.op === "mapPartitions") last = i; });
  return ops.slice(0, last + 1);
}
