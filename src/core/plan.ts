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
  | { op: "mapPartitions"; module: string; exportName: string; args: unknown }
  | FrameOp;

/** One partition's task as posted to a worker. */
export interface PartitionTask {
  format: string;
  options: Record<string, unknown>;
  partition: import("./source.js").PartitionSpec;
  /** Reader state of the plan; omitted when `sharedMeta` carries it. */
  meta?: unknown;
  /**
   * The same state serialized once per plan into shared memory: every task references the same
   * buffer (no copy per task) and each worker parses it once (cached by `id`).
   */
  sharedMeta?: { id: string; bytes: SharedArrayBuffer } | undefined;
  ops: PlanOp[];
  /** For formats registered with `registerFormat`: where the worker loads the reader from. */
  readerModule?: { url: string; exportName: string } | undefined;
}

// ------------------------------------------------------------- frame operations (explode, join, orderBy, groupBy)

/** A broadcast table for {@link JoinOp}: its key values and its other columns, row-aligned. */
export interface JoinTable {
  keys: (string | number | null)[];
  columns: { name: string; type: "double" | "string" | "boolean"; values: (string | number | boolean | null)[] }[];
}

export interface ExplodeOp { op: "explode"; column: string; as: string }
export interface JoinOp { op: "join"; on: string; how: "inner" | "left"; table: JoinTable }
export interface SortKey { expr: ExprNode; ascending: boolean }
export interface OrderByOp { op: "orderBy"; keys: SortKey[] }
/** An aggregate function of `groupBy().agg()`: `count` (rows, or non-null values of `expr`), `sum`, `mean`. */
export interface AggregateSpec { fn: "count" | "sum" | "mean"; expr?: ExprNode | undefined; name: string }
export type AggregateOp =
  | { op: "aggregate"; kind: "groupBy"; keys: ExprNode[]; keyNames: string[]; aggs: AggregateSpec[] }
  | { op: "aggregate"; kind: "sampleCallSummaryStats"; args: ExprNode[] }
  | { op: "aggregate"; kind: "sampleFieldSummaryStats"; args: ExprNode[]; field: string; caller: string };
export type FrameOp = ExplodeOp | JoinOp | OrderByOp | AggregateOp;
