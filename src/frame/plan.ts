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
  | import("./operations.js").FrameOp;

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
  /** For formats registered with `registerFormat`: where the worker loads the reader from. */
  readerModule?: { url: string; exportName: string } | undefined;
  /** For `frame.write`: encode the result in the worker and return bytes instead of the batch. */
  serialize?: import("../io/writers/part.js").SerializeSpec | undefined;
}
