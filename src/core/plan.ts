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
  | {
    op: "mapPartitions"; module: string; exportName: string;
    /** Plain data, or (on the calling thread only) {@link DeferredArgs} resolved when an action runs. */
    args: unknown;
    /**
     * The column this function can compute itself from an expression (see `optimize.ts`): a
     * `withColumn` of it right before is then removed and handed over as `fused`.
     */
    fusable?: string;
    /** Set by the optimizer: the removed `withColumn`, passed to the function as its third argument. */
    fused?: { name: string; expr: ExprNode };
  }
  | FrameOp;

/** Arguments of a mapPartitions computed once, on the calling thread, when the first action runs. */
export class DeferredArgs {
  private value: Promise<unknown> | undefined;
  constructor(private readonly compute: () => unknown) {}
  /** The arguments (computed on first use; a failure rejects every action of the frame). */
  resolve(): Promise<unknown> {
    this.value ??= (async () => this.compute())();
    return this.value;
  }
}

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
  /**
   * Only the number of rows is wanted (`count()`): operations after the last one that can change
   * the row count are skipped and the worker sends back the count, not the rows.
   */
  countOnly?: boolean | undefined;
  /** For formats registered with `registerFormat`: where the worker loads the reader from. */
  readerModule?: { url: string; exportName: string } | undefined;
  /** For `frame.write`: encode the result in the worker and return bytes instead of the batch. */
  serialize?: SerializeSpec | undefined;
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
/** The interval table of an {@link OverlapJoinOp}: row-aligned intervals and other columns. */
export interface IntervalTable {
  contig: (string | null)[];
  start: (number | null)[];
  end: (number | null)[];
  columns: JoinTable["columns"];
}

export interface OverlapJoinOp {
  op: "overlapJoin";
  /** `left`: every left row, once per overlapping interval (nulls when none); `semi`: left rows with an overlap, once. */
  how: "left" | "semi";
  leftContig: string;
  leftStart: string;
  leftEnd: string;
  /** The intervals, or (on the calling thread only) a {@link DeferredArgs} collecting a right-hand frame when an action runs. */
  table: IntervalTable | DeferredArgs;
}

export type FrameOp = ExplodeOp | JoinOp | OrderByOp | AggregateOp | OverlapJoinOp;

/** Which output encoder a worker runs on a partition's result (`frame.write`), with plain-data options. */
export interface SerializeSpec {
  /** Encoder name: `tsv`, `parquet`, `vcf`, `bgen`, `plink`. */
  encoder: string;
  options: Record<string, unknown>;
}

/**
 * The operations `count()` needs: up to the last one that can change the number of rows (filter,
 * limit, mapPartitions and the frame operations); withColumn/select/drop after it cannot.
 */
export function opsForCount(ops: readonly PlanOp[]): PlanOp[] {
  let last = -1;
  ops.forEach((op, i) => { if (op.op !== "withColumn" && op.op !== "select" && op.op !== "drop") last = i; });
  return ops.slice(0, last + 1);
}
